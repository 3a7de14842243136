import DescentOptim
import Foundation
import XCTest

/// Every JSON number is a number, whatever form the parser gives it: the Linux parser yields an
/// integral NSNumber (which even answers `is Bool`) for `1` and `1.0`.
final class JSONNumberTests: XCTestCase {
    private func parse(_ text: String) throws -> [Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any])
    }

    func testIntegralAndFractionalNumbersAreNumbersAndBooleansAreNot() throws {
        let values = try parse("[1, 1.0, 0, 0.0, -3, 2.5, 1e-3, 12345678901234567890, true, false, \"1\", null]")
        let read = values.map(JSONNumber.double)
        XCTAssertEqual(Array(read[0..<8]), [1, 1, 0, 0, -3, 2.5, 1e-3, 12345678901234567890.0])
        XCTAssertEqual(read[8...].map { $0 == nil }, [true, true, true, true])
        XCTAssertEqual(values.map(JSONNumber.isBoolean), [false, false, false, false, false, false, false, false, true, true, false, false])
        XCTAssertEqual(values.prefix(7).map(JSONNumber.integer), [1, 1, 0, 0, -3, nil, nil])
        // Swift values put in a dictionary by hand count too.
        XCTAssertEqual(JSONNumber.double(3), 3)
        XCTAssertEqual(JSONNumber.double(Float(0.5)), 0.5)
        XCTAssertNil(JSONNumber.double(true))
    }

    /// An SGD case whose rate, initial values, gradients and expectations are written as integers
    /// and integral decimals: p = [1, 2] − 1 · [1, 1] = [0, 1], then [0, 1] − 1 · [0.5, 1] = [−0.5, 0].
    func testAnOptimizerCaseWrittenWithIntegralNumbersPasses() throws {
        let text = """
        {"about": "integral numbers", "cases": [
          {"name": "integral", "optimizer": "SGD", "params": {"lr": 1, "momentum": 0.0, "nesterov": false},
           "initial": [1, 2.0], "gradients": [[1, 1.0], [0.5, 1]], "expected": [[0, 1.0], [-0.5, 0]]}
        ]}
        """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("integral_\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let report = try OptimizerConformance.run(fileURL: url)
        XCTAssertEqual(report.summary, "1 passed, 0 failed", report.results.map(\.line).joined(separator: "\n"))
    }

    func testABooleanWhereANumberBelongsIsStillRejected() throws {
        let text = """
        {"about": "a boolean rate", "cases": [
          {"name": "boolean", "optimizer": "SGD", "params": {"lr": true},
           "initial": [1], "gradients": [[1]], "expected": [[0]]}
        ]}
        """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("boolean_\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let report = try OptimizerConformance.run(fileURL: url)
        XCTAssertEqual(report.summary, "0 passed, 1 failed")
        XCTAssertTrue(report.results[0].detail.contains("params.lr"), report.results[0].detail)
    }
}
