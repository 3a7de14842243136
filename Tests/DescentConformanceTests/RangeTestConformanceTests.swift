import DescentConformance
import DescentTrain
import Foundation
import XCTest

/// fastai's values (conformance/lr_finder.json) and malformed files.
final class RangeTestConformanceTests: XCTestCase {
    private var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testEveryCaseOfTheFastaiFilePasses() throws {
        let report = try RangeTestConformance.run(fileURL: repositoryRoot.appendingPathComponent("conformance/lr_finder.json"))
        XCTAssertEqual(report.results.count, 5)
        for result in report.results {
            XCTAssertTrue(result.passed, result.line)
            XCTAssertLessThanOrEqual(result.maxRelativeError, RangeTestConformance.relativeTolerance)
        }
        XCTAssertEqual(report.summary, "5 passed, 0 failed")
    }

    private func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lr_finder_\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// The digits case of the shared file, as a dictionary to alter.
    private func digitsCase() throws -> [String: Any] {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("conformance/lr_finder.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
        return try XCTUnwrap(cases.first { $0["name"] as? String == "digits_mlp" })
    }

    private func run(cases: [[String: Any]]) throws -> RangeTestConformance.Report {
        let data = try JSONSerialization.data(withJSONObject: ["about": "test", "cases": cases])
        return try RangeTestConformance.run(fileURL: try write(String(decoding: data, as: UTF8.self)))
    }

    func testAWrongSuggestionFailsNamingIt() throws {
        var entry = try digitsCase()
        var suggestions = try XCTUnwrap(entry["suggestions"] as? [String: Any])
        suggestions["valley"] = 0.01
        entry["suggestions"] = suggestions
        let report = try run(cases: [entry])
        XCTAssertEqual(report.summary, "0 passed, 1 failed")
        XCTAssertTrue(report.results[0].line.hasPrefix("FAIL digits_mlp: suggestions.valley"), report.results[0].line)
    }

    func testAWrongSmoothedLossFailsNamingItsIndex() throws {
        var entry = try digitsCase()
        var smoothed = try XCTUnwrap(entry["smoothed_losses"] as? [Double])
        smoothed[7] += 1e-3
        entry["smoothed_losses"] = smoothed
        let report = try run(cases: [entry])
        XCTAssertTrue(report.results[0].detail.hasPrefix("smoothed_losses[7]"), report.results[0].detail)
    }

    func testMalformedCasesNameTheCaseAndField() throws {
        var missing = try digitsCase()
        missing["raw_losses"] = nil
        var wrongType = try digitsCase()
        wrongType["name"] = "bad_lrs"
        wrongType["lrs"] = "fast"
        var noSuggestions = try digitsCase()
        noSuggestions["name"] = "empty"
        noSuggestions["suggestions"] = ["best": 1.0]
        let report = try run(cases: [missing, wrongType, noSuggestions])
        XCTAssertEqual(report.summary, "0 passed, 3 failed")
        XCTAssertTrue(report.results[0].detail.contains("case digits_mlp: field raw_losses: missing"), report.results[0].detail)
        XCTAssertTrue(report.results[1].detail.contains("case bad_lrs: field lrs: not an array"), report.results[1].detail)
        XCTAssertTrue(report.results[2].detail.contains("field suggestions"), report.results[2].detail)
    }

    func testAFileThatIsNotAConformanceFileIsAnError() throws {
        XCTAssertThrowsError(try RangeTestConformance.run(fileURL: try write("[1, 2]"))) { error in
            XCTAssertTrue("\(error)".contains("cases"), "\(error)")
        }
        XCTAssertThrowsError(try RangeTestConformance.run(fileURL: URL(fileURLWithPath: "/nonexistent/lr.json"))) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/lr.json"), "\(error)")
        }
    }
}
