import Foundation

/// A line chart drawn with Unicode braille characters, for terminals.
///
/// Each character cell holds 2 × 4 dots, so a chart `width` characters wide and `height` lines
/// tall has `2·width × 4·height` dots. The series (plain `[Double]`, index = x) is scaled to fill
/// the plot; consecutive points are joined by straight runs of dots so the line has no gaps.
/// The left axis is labelled with the maximum (top) and minimum (bottom) values, the bottom axis
/// with the first and last x (the index, or counted from `firstIndex`). Non-finite values are left out.
///
/// Example:
///
///     let chart = TerminalChart(width: 40, height: 8)
///     print(chart.render((0..<100).map { 0.1 * (1 + cos(Double.pi * Double($0) / 99)) / 2 }))
///
/// draws a cosine falling from `0.1` (top-left label) to `0` (bottom-left label), x from 0 to 99.
public struct TerminalChart: Sendable {
    /// Plot width in characters (not counting the axis labels).
    public var width: Int
    /// Plot height in lines.
    public var height: Int

    /// The largest width and height drawn (larger values are clamped, so a huge size cannot
    /// overflow or exhaust memory).
    public static let maximumSize = 1_000

    public init(width: Int = 60, height: Int = 10) {
        self.width = min(max(width, 2), Self.maximumSize)
        self.height = min(max(height, 1), Self.maximumSize)
    }

    /// The chart of `values` (x = index), with `title` above it when given.
    ///
    /// `firstIndex` is the x of the first value, for the label under the axis: 1 for epochs, which
    /// people count from 1 (20 epochs are labelled 1 … 20, not 0 … 19). When `values` are samples of a
    /// longer series (evenly spaced, the first at x = `firstIndex`), `lastIndex` is the x of the last sample.
    public func render(_ values: [Double], title: String? = nil, firstIndex: Int = 0, lastIndex: Int? = nil) -> String {
        let finite = values.filter(\.isFinite)
        var lines: [String] = []
        if let title { lines.append(title) }
        guard let low = finite.min(), let high = finite.max() else {
            lines.append("(no finite values)")
            return lines.joined(separator: "\n")
        }
        // `width`/`height` are public vars: clamp again here.
        let width = min(max(self.width, 2), Self.maximumSize), height = min(max(self.height, 1), Self.maximumSize)
        let dotColumns = width * 2
        let dotRows = height * 4
        var dots = Array(repeating: Array(repeating: false, count: dotColumns), count: dotRows)
        // Halved so that `high - low` cannot overflow to infinity for values near ±Double.greatestFiniteMagnitude.
        let halfSpan = high / 2 - low / 2
        func row(of value: Double) -> Int {
            guard halfSpan > 0 else { return dotRows / 2 }
            let fraction = (value / 2 - low / 2) / halfSpan
            let scaled = ((1 - fraction) * Double(dotRows - 1)).rounded()
            guard scaled.isFinite else { return dotRows / 2 }
            return min(dotRows - 1, max(0, Int(scaled)))
        }
        func column(of index: Int) -> Int {
            guard values.count > 1 else { return 0 }
            return Int((Double(index) / Double(values.count - 1) * Double(dotColumns - 1)).rounded())
        }
        var previous: (column: Int, row: Int)?
        for (index, value) in values.enumerated() {
            guard value.isFinite else {
                previous = nil
                continue
            }
            let point = (column: column(of: index), row: row(of: value))
            dots[point.row][point.column] = true
            if let previous {
                // Join to the previous point with a straight run of dots (Bresenham).
                var x = previous.column, y = previous.row
                let dx = abs(point.column - x), dy = -abs(point.row - y)
                let sx = x < point.column ? 1 : -1, sy = y < point.row ? 1 : -1
                var error = dx + dy
                while true {
                    dots[y][x] = true
                    if x == point.column && y == point.row { break }
                    let doubled = 2 * error
                    if doubled >= dy { error += dy; x += sx }
                    if doubled <= dx { error += dx; y += sy }
                }
            }
            previous = point
        }
        let topLabel = Self.format(high)
        let bottomLabel = Self.format(low)
        let labelWidth = max(topLabel.count, bottomLabel.count)
        // Braille dot bits: left column rows 0-3 → 0x01, 0x02, 0x04, 0x40; right column → 0x08, 0x10, 0x20, 0x80.
        let leftBits: [UInt32] = [0x01, 0x02, 0x04, 0x40]
        let rightBits: [UInt32] = [0x08, 0x10, 0x20, 0x80]
        for line in 0..<height {
            var text = ""
            for cell in 0..<width {
                var bits: UInt32 = 0
                for dotRow in 0..<4 {
                    if dots[line * 4 + dotRow][cell * 2] { bits |= leftBits[dotRow] }
                    if dots[line * 4 + dotRow][cell * 2 + 1] { bits |= rightBits[dotRow] }
                }
                text.unicodeScalars.append(Unicode.Scalar(0x2800 + bits)!)
            }
            let label = line == 0 ? topLabel : (line == height - 1 ? bottomLabel : "")
            let padded = String(repeating: " ", count: labelWidth - label.count) + label
            let axis = line == 0 || line == height - 1 ? "┤" : "│"
            lines.append(padded + " " + axis + text)
        }
        let firstLabel = String(firstIndex)
        let lastLabel = String(lastIndex ?? firstIndex + max(values.count - 1, 0))
        let gap = max(1, width - firstLabel.count - lastLabel.count)
        lines.append(String(repeating: " ", count: labelWidth + 1) + "└" + String(repeating: "─", count: width))
        lines.append(String(repeating: " ", count: labelWidth + 2) + firstLabel + String(repeating: " ", count: gap) + lastLabel)
        return lines.joined(separator: "\n")
    }

    /// Compact number text for axis labels: 4 significant digits (`0.1`, `1e-05`, `2.5e+04`).
    public static func format(_ value: Double) -> String {
        String(format: "%.4g", value)
    }
}
