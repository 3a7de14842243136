import DescentConformance
import DescentFiles
import Foundation
import XCTest

/// Every JSON number is a number, whatever form it is written in: the Linux parser once yielded an
/// integral NSNumber (which even answered `is Bool`) for `1` and `1.0`. Conformance files are read
/// into ``JSONValue``, where `1`, `1.0` and `2.5` are numbers and `true` is not.
final class JSONNumberTests: XCTestCase {
    private func parse(_ text: String) throws -> [JSONValue] {
        try XCTUnwrap(JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)).array)
    }

    func testIntegralAndFractionalNumbersAreNumbersAndBooleansAreNot() throws {
        let values = try parse("[1, 1.0, 0, 0.0, -3, 2.5, 1e-3, 12345678901234567890, true, false, \"1\", null]")
        let read = values.map(\.number)
        XCTAssertEqual(Array(read[0..<8]), [1, 1, 0, 0, -3, 2.5, 1e-3, 12345678901234567890.0])
        XCTAssertEqual(read[8...].map { $0 == nil }, [true, true, true, true])
        XCTAssertEqual(values.map { $0.bool != nil }, [false, false, false, false, false, false, false, false, true, true, false, false])
        // The strict parser (the safetensors header's) reads them the same way.
        XCTAssertEqual(try JSONValue.parse(Array("[1, 1.0, 2.5, true]".utf8)[...]), [1, 1, 2.5, true])
        // Swift literals count too.
        let literal: JSONValue = ["lr": 3, "scale": 0.5, "nesterov": true]
        XCTAssertEqual(literal.object?["lr"]?.number, 3)
        XCTAssertEqual(literal.object?["scale"]?.number, 0.5)
        XCTAssertNil(literal.object?["nesterov"]?.number)
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
