/// Values of a function of two variables sampled on a rectangular grid, for contour maps.
///
/// `values[row * xs.count + column]` is f(xs[column], ys[row]); `xs` and `ys` increase.
/// Non-finite values are allowed (a contour line stops at them).
///
/// Example: the bowl f(x, y) = x² + y² on 5 × 5 points over [−2, 2]²:
///
///     let grid = ScalarGrid(x: -2...2, y: -2...2, columns: 5, rows: 5) { x, y in x * x + y * y }
///     grid.xs                      // [-2, -1, 0, 1, 2]
///     grid.value(column: 3, row: 2) // f(1, 0) = 1
public struct ScalarGrid: Sendable, Equatable {
    /// The x of each column, increasing.
    public var xs: [Double]
    /// The y of each row, increasing.
    public var ys: [Double]
    /// Row-major values: `values[row * xs.count + column]`.
    public var values: [Double]

    /// A grid from explicit coordinates and values (`values.count` must be `xs.count × ys.count`).
    public init(xs: [Double], ys: [Double], values: [Double]) {
        precondition(values.count == xs.count * ys.count, "ScalarGrid needs xs.count × ys.count values")
        self.xs = xs
        self.ys = ys
        self.values = values
    }

    /// Samples `function` at `columns × rows` evenly spaced points covering the two ranges (at least 2 × 2).
    public init(x: ClosedRange<Double>, y: ClosedRange<Double>, columns: Int, rows: Int,
                function: (Double, Double) -> Double) {
        let columns = Swift.max(columns, 2), rows = Swift.max(rows, 2)
        let xs = (0..<columns).map { x.lowerBound + (x.upperBound - x.lowerBound) * Double($0) / Double(columns - 1) }
        let ys = (0..<rows).map { y.lowerBound + (y.upperBound - y.lowerBound) * Double($0) / Double(rows - 1) }
        var values: [Double] = []
        values.reserveCapacity(columns * rows)
        for y in ys { for x in xs { values.append(function(x, y)) } }
        self.init(xs: xs, ys: ys, values: values)
    }

    /// f at grid point (`column`, `row`).
    public func value(column: Int, row: Int) -> Double { values[row * xs.count + column] }

    /// The smallest and largest finite values (nil when none is finite).
    public var finiteRange: ClosedRange<Double>? {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return low...high
    }
}
