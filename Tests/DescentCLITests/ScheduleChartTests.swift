import DescentReport
import XCTest

/// The terminal chart: braille dots where the values are, labelled axes.
final class ScheduleChartTests: XCTestCase {
    func testRisingLineFillsTheDiagonal() {
        let chart = TerminalChart(width: 2, height: 1).render([0, 1, 2, 3], title: "t")
        let lines = chart.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "t")
        // 4 dot columns × 4 dot rows: points (0,3) (1,2) (2,1) (3,0) → ⡠ (left low, right second) and ⠊.
        XCTAssertEqual(lines[1], "3 ┤\u{2860}\u{280A}")
        XCTAssertEqual(lines[2], "  └──")
        XCTAssertEqual(lines[3], "   0 3")
    }

    func testLabelsShowMinimumAndMaximum() {
        let values = (0..<100).map { 0.1 * Double($0) / 99 + 1e-5 }
        let lines = TerminalChart(width: 30, height: 5).render(values).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 7)
        XCTAssertTrue(lines[0].hasPrefix("  0.1 ┤"), lines[0])
        XCTAssertTrue(lines[4].hasPrefix("1e-05 ┤"), lines[4])
        XCTAssertTrue(lines[6].hasSuffix("99"))
    }

    func testConstantAndEmptySeries() {
        XCTAssertTrue(TerminalChart().render([Double.nan]).contains("no finite values"))
        let flat = TerminalChart(width: 4, height: 2).render([0.5, 0.5, 0.5])
        XCTAssertTrue(flat.contains("0.5 ┤"), flat)
    }
}
