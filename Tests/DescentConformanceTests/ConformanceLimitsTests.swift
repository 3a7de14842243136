import DescentConformance
import DescentOptim
import Foundation
import XCTest

/// An optimizers conformance file with numbers no `Int` can hold: a failed case naming the
/// field, never a trap in the conversion.
final class ConformanceLimitsTests: XCTestCase {
    func testHugeWarmupStepsFailTheCaseByName() throws {
        // Was: "Double value cannot be converted to Int because the result would be greater than Int.max".
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        for (optimizer, value) in [("SGDScheduleFree", "1e308"), ("AdamWScheduleFree", "9223372036854775807"), ("AdamWScheduleFree", "2.5")] {
            try Data(#"{"cases": [{"name": "w", "source": "schedulefree", "optimizer": "\#(optimizer)", "params": {"lr": 0.1, "warmup_steps": \#(value)}, "initial": [1.0], "gradients": [[0.5]], "expected": [[1.0]]}]}"#.utf8).write(to: url)
            let report = try OptimizerConformance.run(fileURL: url)
            XCTAssertEqual(report.results.count, 1)
            XCTAssertFalse(report.results[0].passed)
            XCTAssertTrue(report.results[0].detail.contains("warmup_steps"), report.results[0].detail)
        }
    }

    func testLongValuesAreCutInMessages() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("long-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        let long = String(repeating: "9", count: 100_000)
        try Data(#"{"cases": [{"name": "w", "source": "pytorch", "optimizer": "SGD", "params": {"lr": "x\#(long)"}, "initial": [1.0], "gradients": [[0.5]], "expected": [[1.0]]}]}"#.utf8).write(to: url)
        let report = try OptimizerConformance.run(fileURL: url)
        XCTAssertFalse(report.results[0].passed)
        XCTAssertLessThan(report.results[0].detail.count, 400, String(report.results[0].detail.prefix(500)))
        XCTAssertTrue(report.results[0].detail.contains("characters)"), String(report.results[0].detail.prefix(500)))
    }
}
