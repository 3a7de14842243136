@testable import DescentCLI
@testable import DescentCLIRuns
import Foundation
import XCTest

/// The range-test report takes plain runs: repeats become separate curves, a ceiling a marked line.
final class RangeTestReportTests: XCTestCase {
    private func run(_ label: String, shift: Double) -> RangeTestReport.Run {
        let rates = (0..<60).map { 1e-5 * pow(1e6, Double($0) / 60) }
        let smoothed = rates.map { 2.3 - 1.2 / (1 + pow(1e-2 / $0, 2)) + shift + ($0 > 1 ? 5 * ($0 - 1) : 0) }
        return RangeTestReport.Run(label: label, learningRates: rates, rawLosses: smoothed.map { $0 + 0.05 },
                                   smoothedLosses: smoothed, diverged: true)
    }

    func testRepeatsAreSeparateCurvesAndTheCeilingAndChoiceAreMarked() throws {
        let report = RangeTestReport(runs: [run("seed 0", shift: 0), run("seed 1", shift: 0.1)],
                                     suggestions: [("valley", 3e-3), ("slide", 1e-3), ("minimum", 0.05), ("steep", 8e-3)],
                                     confidenceLevel: "high", confidenceReasons: ["the repeats agree within 0.2 decades"],
                                     ceiling: 0.4, chosen: (0.02, "automatic"))
        let chart = report.chart()
        XCTAssertEqual(chart.xScale, .logarithmic)
        XCTAssertEqual(chart.series.map(\.name), ["seed 0 (raw)", "seed 0 (smoothed)", "seed 1 (raw)", "seed 1 (smoothed)"])
        XCTAssertEqual(chart.series[0].color, chart.series[1].color)
        XCTAssertNotEqual(chart.series[1].color, chart.series[3].color)
        XCTAssertEqual(chart.series[0].x.count, 55, "fastai's last 5 points are left off")
        XCTAssertTrue(chart.markers.contains { $0.label == "ceiling at the start 4.00e-01" && $0.x == 0.4 })
        XCTAssertEqual(chart.markers.count, 5)
        XCTAssertEqual(chart.points.first?.label, "chosen 2.00e-02")
        // The chosen point sits on the first run's smoothed curve (interpolated in log rate).
        let expected = try XCTUnwrap(RangeTestReport.interpolate(report.runs[0], at: 0.02))
        XCTAssertEqual(chart.points[0].y, expected, accuracy: 1e-12)
        XCTAssertEqual(expected, 2.3 - 1.2 / (1 + pow(1e-2 / 0.02, 2)), accuracy: 0.02)
        let html = report.document().html()
        XCTAssertTrue(html.contains("2 repeats · confidence high"))
        XCTAssertTrue(html.contains("Stability ceiling"))
        XCTAssertTrue(html.contains("the repeats agree within 0.2 decades"))
    }
}
