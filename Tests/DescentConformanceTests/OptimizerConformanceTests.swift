import DescentConformance
import DescentOptim
import Foundation
import XCTest

/// The shared reference file and the extra cases generated with the real references
/// (scripts/generate_optimizer_conformance.py) must pass in full.
final class OptimizerConformanceTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("conformance")

    func check(_ file: String, expectedCases: Int) throws {
        let report = try OptimizerConformance.run(fileURL: Self.directory.appendingPathComponent(file))
        for result in report.results where !result.passed { XCTFail(result.line) }
        XCTAssertEqual(report.results.count, expectedCases)
        XCTAssertEqual(report.summary, "\(expectedCases) passed, 0 failed")
    }

    func testSharedOptimizerCasesPass() throws { try check("optimizers.json", expectedCases: 19) }

    func testExtraOptimizerCasesPass() throws { try check("optimizers-extra.json", expectedCases: 41) }

    func testAWrongExpectationFails() throws {
        // Take a shared case, move one expected value by 1e-3 relative: the runner must report it.
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("optimizers.json"))
        var root = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        var cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
        var first = cases[0]
        var expected = try XCTUnwrap(first["expected"] as? [[Double]])
        expected[3][2] *= 1.001
        first["expected"] = expected
        cases = [first]
        root["cases"] = cases
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("optimizers-broken-\(UUID()).json")
        try JSONSerialization.data(withJSONObject: root).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let report = try OptimizerConformance.run(fileURL: url)
        XCTAssertEqual(report.summary, "0 passed, 1 failed")
        XCTAssertTrue(report.results[0].detail.contains("step 3[2]"), report.results[0].detail)
    }

    func testUnknownHyperparameterIsReportedByName() {
        XCTAssertThrowsError(try OptimizerFactory.make(reference: "Adam", parameters: ["lr": 0.1, "betaz": [0.9, 0.99]])) {
            XCTAssertTrue("\($0)".contains("params.betaz"), "\($0)")
        }
        XCTAssertThrowsError(try OptimizerFactory.make(reference: "Adamm", parameters: [:])) {
            XCTAssertTrue("\($0)".contains("Adamm"), "\($0)")
        }
    }
}
