import DescentConformance
import DescentTrain
import Foundation
import XCTest

/// A range-test conformance case written with integral JSON numbers (`1`, `1.0`, `10.0`): the Linux parser
/// yields an integral NSNumber for them, which the reader once rejected as "field lrs[…]: not a number".
final class RangeTestConformanceNumberTests: XCTestCase {
    func testACaseWrittenWithIntegralNumbersPasses() throws {
        // start 1, end 1024 over 10 iterations: the rates are 2^i, written as integers and integral decimals.
        let settings = try LearningRateRangeTest(startLearningRate: 1, endLearningRate: 1024, iterations: 10)
        let rates = (0..<10).map(settings.learningRate(at:))
        let raw: [Double] = [5, 4, 3, 3, 2, 2, 1, 1, 2, 9]
        var smoother = SmoothedLoss(beta: 0.98)
        let smoothed = raw.map { smoother.add($0) }
        let suggestions = try LearningRateSuggestions(learningRates: rates, smoothedLosses: smoothed, iterations: 10)
        // Each rate is within 1e-15 of 2^i; write it as an integer (odd indices) or an integral decimal (even).
        let lrsText = (0..<10).map { index in index % 2 == 0 ? "\(1 << index).0" : "\(1 << index)" }.joined(separator: ", ")
        let rawText = raw.map { "\(Int($0))" }.joined(separator: ", ")
        let smoothedText = smoothed.map { "\($0)" }.joined(separator: ", ")
        let suggestionsText = suggestions.named.map { "\"\($0.name)\": \($0.learningRate)" }.joined(separator: ", ")
        XCTAssertEqual(suggestions.steep, suggestions.steep.rounded(), "the steep rate is a power of two, written as N.0")
        let text = """
        {"about": "integral numbers", "cases": [
          {"name": "integral", "num_it": 10.0, "start_lr": 1, "end_lr": 1024.0, "beta": 0.98,
           "lrs": [\(lrsText)], "raw_losses": [\(rawText)], "smoothed_losses": [\(smoothedText)],
           "suggestions": {\(suggestionsText)}, "trimmed": {"from": 1.0, "drop_last": 5}}
        ]}
        """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lr_integral_\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let report = try RangeTestConformance.run(fileURL: url)
        XCTAssertEqual(report.summary, "1 passed, 0 failed", report.results.map(\.line).joined(separator: "\n"))
    }

    func testABooleanIsNotANumber() throws {
        let text = """
        {"about": "boolean", "cases": [{"name": "boolean", "num_it": 10, "lrs": [true], "raw_losses": [1],
          "smoothed_losses": [1], "suggestions": {"valley": 1}}]}
        """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lr_boolean_\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let report = try RangeTestConformance.run(fileURL: url)
        XCTAssertEqual(report.results.first?.detail.contains("lrs[0]: not a number"), true, report.results.first?.detail ?? "")
    }
}
