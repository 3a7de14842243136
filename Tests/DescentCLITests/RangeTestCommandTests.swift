import Foundation
import XCTest

/// `descent range-test` and `descent conformance lr-finder` run as a user runs them.
final class RangeTestCommandTests: XCTestCase {
    private func lastLineJSON(_ output: String) throws -> [String: Any] {
        let last = try XCTUnwrap(output.split(separator: "\n").last)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    func testDigitsWithSGDMomentumSuggestsWhatFastaiDid() throws {
        // The conformance file's digits_mlp setting: 64-32-10, SGD momentum 0.9, batch 32, 1e-7 → 10 in 100 steps.
        let result = try CommandLineRunner.run(["range-test", "--dataset", "digits", "--hidden", "32", "--optimizer", "sgd",
                                                "--momentum", "0.9", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let summary = try lastLineJSON(result.standardOutput)
        let suggestions = try XCTUnwrap(summary["suggestions"] as? [String: Double])
        XCTAssertEqual(Set(suggestions.keys), ["valley", "slide", "minimum", "steep"])
        let valley = try XCTUnwrap(suggestions["valley"])
        XCTAssertLessThan(Swift.abs(Foundation.log10(valley / 0.007585775572806597)), 1, "valley \(valley)")
        XCTAssertTrue(["high", "medium", "low"].contains(try XCTUnwrap(summary["confidence"] as? String)))
        let rates = try XCTUnwrap(summary["lrs"] as? [Double])
        let losses = try XCTUnwrap(summary["losses"] as? [Any])
        XCTAssertEqual(rates.count, losses.count)
        XCTAssertEqual(rates[0], 1e-7)
        XCTAssertEqual(rates[50], 1e-3, accuracy: 1e-15)
        XCTAssertFalse(try XCTUnwrap(summary["reasons"] as? [String]).isEmpty)
    }

    /// --noise-scale: the gradient noise scale at the starting weights, from pairs of batches 32 and 256, with
    /// tr(Σ)/|G|² equal to the value reported (the value is their ratio, appendix A of McCandlish et al.).
    func testNoiseScaleIsMeasuredAtTwoBatchSizes() throws {
        let result = try CommandLineRunner.run(["range-test", "--dataset", "digits", "--hidden", "32", "--repeats", "1",
                                                "--noise-scale", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let noise = try XCTUnwrap(try lastLineJSON(result.standardOutput)["noise_scale"] as? [String: Any])
        XCTAssertEqual(noise["small_batch"] as? Int, 32)
        XCTAssertEqual(noise["big_batch"] as? Int, 256)
        XCTAssertEqual(noise["measurements"] as? Int, 32)
        let trace = try XCTUnwrap(noise["trace_covariance"] as? Double), norm = try XCTUnwrap(noise["gradient_norm_squared"] as? Double)
        XCTAssertGreaterThan(norm, 0, "at the starting weights the full-data gradient is far from zero")
        XCTAssertEqual(try XCTUnwrap(noise["value"] as? Double), trace / norm, accuracy: 1e-9 * trace / norm)
        XCTAssertGreaterThan(try XCTUnwrap(noise["standard_error"] as? Double), 0)
    }

    func testTheReportShowsAChartSuggestionsAndReasons() throws {
        let result = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--iterations", "40", "--batch-size", "16",
                                                "--optimizer", "adam", "--start", "1e-5", "--end", "10"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let output = result.standardOutput
        XCTAssertTrue(output.contains("smoothed loss by iteration"), output)
        XCTAssertTrue(output.contains("┤"), output)   // the terminal chart
        for name in ["valley", "slide", "minimum", "steep"] { XCTAssertTrue(output.contains("  \(name) "), output) }
        XCTAssertTrue(output.contains("Confidence: "), output)
        XCTAssertTrue(output.contains("  - "), output)
    }

    func testBadOptionsAreUsageErrorsNamingTheOption() throws {
        let cases: [([String], String)] = [
            (["--start", "1", "--end", "0.5"], "--end"),
            (["--start", "0"], "--start"),
            (["--iterations", "9"], "--iterations"),
            (["--batch-size", "0"], "--batch-size"),
            (["--momentum", "1"], "--momentum"),
            (["--hidden", "32,x"], "--hidden"),
            (["--optimizer", "lion"], "--optimizer"),
        ]
        for (options, named) in cases {
            let result = try CommandLineRunner.run(["range-test", "--dataset", "iris"] + options)
            XCTAssertEqual(result.status, 2, "\(options): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains(named), "\(options): \(result.standardError)")
        }
        let noData = try CommandLineRunner.run(["range-test"])
        XCTAssertEqual(noData.status, 2)
        XCTAssertTrue(noData.standardError.contains("--dataset"), noData.standardError)
        let missing = try CommandLineRunner.run(["range-test", "--csv", "/nonexistent/data.csv"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.standardError.contains("/nonexistent/data.csv"), missing.standardError)
    }

    func testConformanceLRFinderPassesTheFastaiFile() throws {
        let file = CommandLineRunner.repositoryRoot.appendingPathComponent("conformance/lr_finder.json").path
        let result = try CommandLineRunner.run(["conformance", "lr-finder", file])
        XCTAssertEqual(result.status, 0, result.standardOutput + result.standardError)
        let lines = result.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.count, 6)
        XCTAssertTrue(lines.dropLast().allSatisfy { $0.hasPrefix("PASS ") }, result.standardOutput)
        XCTAssertEqual(lines.last, "5 passed, 0 failed")
    }

    func testConformanceLRFinderFailsOnWrongValuesAndMalformedFiles() throws {
        let directory = FileManager.default.temporaryDirectory
        let wrong = directory.appendingPathComponent("lr_finder_wrong_\(UUID().uuidString).json")
        let original = try String(contentsOf: CommandLineRunner.repositoryRoot.appendingPathComponent("conformance/lr_finder.json"),
                                  encoding: .utf8)
        // The digits case's steep suggestion, changed.
        XCTAssertTrue(original.contains("0.2089296132326126"))
        try original.replacingOccurrences(of: "0.2089296132326126", with: "0.3").write(to: wrong, atomically: true, encoding: .utf8)
        let failed = try CommandLineRunner.run(["conformance", "lr-finder", wrong.path])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.standardOutput.contains("FAIL digits_mlp: suggestions.steep"), failed.standardOutput)
        XCTAssertEqual(failed.standardOutput.split(separator: "\n").last, "4 passed, 1 failed")

        let malformed = directory.appendingPathComponent("lr_finder_bad_\(UUID().uuidString).json")
        try #"{"cases": [{"name": "broken", "num_it": 100, "lrs": [1e-7], "raw_losses": "x"}]}"#
            .write(to: malformed, atomically: true, encoding: .utf8)
        let broken = try CommandLineRunner.run(["conformance", "lr-finder", malformed.path])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.standardOutput.contains("case broken: field raw_losses"), broken.standardOutput)

        let notJSON = directory.appendingPathComponent("lr_finder_text_\(UUID().uuidString).json")
        try "not json".write(to: notJSON, atomically: true, encoding: .utf8)
        addTeardownBlock { for file in [wrong, malformed, notJSON] { try? FileManager.default.removeItem(at: file) } }
        let unreadable = try CommandLineRunner.run(["conformance", "lr-finder", notJSON.path])
        XCTAssertEqual(unreadable.status, 1)
        XCTAssertTrue(unreadable.standardError.contains(notJSON.lastPathComponent), unreadable.standardError)
    }
}
