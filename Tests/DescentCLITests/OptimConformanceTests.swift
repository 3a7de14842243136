import Foundation
import XCTest

/// `descent conformance optimizers FILE` and `descent bench adam`, run as a user would.
final class OptimConformanceTests: XCTestCase {
    func testSharedOptimizerFilePasses() throws {
        let file = CommandLineRunner.repositoryRoot.appendingPathComponent("conformance/optimizers.json").path
        let result = try CommandLineRunner.run(["conformance", "optimizers", file])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.count, 20, "one line per case, then the summary")
        XCTAssertEqual(lines.last, "19 passed, 0 failed")
        XCTAssertTrue(lines.contains { $0.hasPrefix("PASS prodigy") })
    }

    func testAFailingCaseGivesNonZeroExit() throws {
        let source = CommandLineRunner.repositoryRoot.appendingPathComponent("conformance/optimizers.json")
        var root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: source)) as? [String: Any])
        var cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
        var broken = cases[4]
        broken["params"] = ["lr": 0.011, "betas": [0.9, 0.999], "eps": 1e-8]   // expected values are for lr 0.01
        cases = [cases[0], broken]
        root["cases"] = cases
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("optim-cli-\(UUID()).json")
        try JSONSerialization.data(withJSONObject: root).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try CommandLineRunner.run(["conformance", "optimizers", url.path])
        XCTAssertNotEqual(result.status, 0)
        let lines = result.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.last, "1 passed, 1 failed")
        XCTAssertTrue(lines.contains { $0.hasPrefix("FAIL adam") })
    }

    func testMissingFileIsAnErrorNamingIt() throws {
        let result = try CommandLineRunner.run(["conformance", "optimizers", "/nonexistent/optimizers.json"])
        XCTAssertEqual(result.status, 1)   // the work failed; not a usage error
        XCTAssertTrue(result.standardError.contains("/nonexistent/optimizers.json"), result.standardError)
    }

    func testBenchAdamPrintsSecondsPerStepAsJSON() throws {
        let result = try CommandLineRunner.run(["bench", "adam", "--params", "100000", "--steps", "3", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let last = try XCTUnwrap(result.standardOutput.split(separator: "\n").last)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Double])
        XCTAssertGreaterThan(try XCTUnwrap(object["seconds_per_step"]), 0)
    }

    func testBenchAdamRejectsBadArguments() throws {
        let result = try CommandLineRunner.run(["bench", "adam", "--params", "0"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.standardError.contains("--params"), result.standardError)
    }
}
