import DescentReport
import XCTest

/// The terminal chart with short series and extreme values.
final class ChartRobustnessTests: XCTestCase {
    /// The dots of the plot area, as [dotRow][dotColumn], decoded from the braille characters.
    private func dots(_ chart: String, width: Int, height: Int) -> [[Bool]] {
        let lines = chart.split(separator: "\n").map(String.init)
        var grid = Array(repeating: Array(repeating: false, count: 2 * width), count: 4 * height)
        let leftBits: [UInt32] = [0x01, 0x02, 0x04, 0x40], rightBits: [UInt32] = [0x08, 0x10, 0x20, 0x80]
        for line in 0..<height {
            let cells = lines[line].unicodeScalars.filter { (0x2800...0x28FF).contains($0.value) }
            XCTAssertEqual(cells.count, width)
            for (cell, scalar) in cells.enumerated() {
                let bits = scalar.value - 0x2800
                for row in 0..<4 {
                    if bits & leftBits[row] != 0 { grid[line * 4 + row][cell * 2] = true }
                    if bits & rightBits[row] != 0 { grid[line * 4 + row][cell * 2 + 1] = true }
                }
            }
        }
        return grid
    }

    func testFivePointsAreJoinedIntoAnUnbrokenLine() {
        // 5 epochs over 120 dot columns: points 30 columns apart must be joined, no column left empty,
        // and each column's dots must touch the previous column's (no vertical jumps either).
        let values = [1.0, 0.5, 0.8, 0.2, 0.1]
        let chart = TerminalChart(width: 60, height: 8).render(values)
        let grid = dots(chart, width: 60, height: 8)
        var previousRows: ClosedRange<Int>?
        for column in 0..<120 {
            let rows = (0..<32).filter { grid[$0][column] }
            XCTAssertFalse(rows.isEmpty, "dot column \(column) is empty")
            guard let low = rows.min(), let high = rows.max() else { continue }
            XCTAssertEqual(rows.count, high - low + 1, "column \(column) has a gap")
            if let previous = previousRows {
                XCTAssertTrue(low <= previous.upperBound + 1 && high >= previous.lowerBound - 1,
                              "column \(column) (\(low)...\(high)) does not touch \(previous)")
            }
            previousRows = low...high
        }
        // The end points sit at the top-left (1.0 is the maximum) and bottom-right (0.1 the minimum).
        XCTAssertTrue(grid[0][0])
        XCTAssertTrue(grid[31][119])
        // The middle point 0.8 at x = 2 → column 60 (of 0...119, rounded), row round((1 − 0.7/0.9) × 31) = 7.
        XCTAssertTrue(grid[7][60])
    }

    func testExtremeFiniteValuesAndHugeSizesDoNotTrap() {
        // Was: (value − low) / (high − low) = inf / inf = NaN, and Int(NaN) trapped.
        let chart = TerminalChart(width: 10, height: 2).render([-Double.greatestFiniteMagnitude, 0, Double.greatestFiniteMagnitude])
        let grid = dots(chart, width: 10, height: 2)
        XCTAssertTrue(grid[7][0])
        XCTAssertTrue(grid[0][19])
        // A width that would overflow `2 × width` is clamped.
        var huge = TerminalChart(width: Int.max, height: Int.max)
        XCTAssertEqual(huge.width, TerminalChart.maximumSize)
        huge.width = Int.max
        huge.height = 2
        XCTAssertEqual(huge.render([1, 2]).split(separator: "\n").count, 4)
    }
}
