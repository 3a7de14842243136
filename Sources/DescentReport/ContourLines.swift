/// Contour lines (isolines) of a sampled function by marching squares.
///
/// Each grid cell is classified by which of its four corners lie at or above the level
/// (16 cases); where an edge has one corner below and one at or above, the line crosses it at
/// the linearly interpolated point `t = (level − a) / (b − a)` along the edge. The two saddle
/// cases (opposite corners above) are resolved by the mean of the four corners, as usual.
/// The segments of all cells are then joined, through the edges they share, into polylines;
/// a closed line ends with its first point repeated. Cells with a non-finite corner are skipped.
///
/// Reference: W. E. Lorensen and H. E. Cline, "Marching cubes" (SIGGRAPH 1987), whose
/// two-dimensional case this is.
///
/// Example: for the bowl f(x, y) = x² + y² sampled on [−2, 2]² the level 1 gives one closed
/// line whose points lie on the unit circle (within the grid's interpolation error, under
/// 0.002 with 81 × 81 points):
///
///     let grid = ScalarGrid(x: -2...2, y: -2...2, columns: 81, rows: 81) { $0 * $0 + $1 * $1 }
///     let lines = ContourLines.lines(in: grid, level: 1)
///     lines.count                  // 1
///     lines[0].first == lines[0].last   // true: closed
public enum ContourLines {
    /// A point of a contour line, in the grid's coordinates.
    public typealias Point = (x: Double, y: Double)

    /// The polylines where the sampled function equals `level`.
    public static func lines(in grid: ScalarGrid, level: Double) -> [[Point]] {
        let columns = grid.xs.count, rows = grid.ys.count
        guard columns >= 2, rows >= 2, level.isFinite else { return [] }
        // Edge keys: the horizontal edge from corner (c, r) to (c+1, r) is 2·(r·columns + c);
        // the vertical edge from (c, r) to (c, r+1) is 2·(r·columns + c) + 1.
        func horizontal(_ c: Int, _ r: Int) -> Int { 2 * (r * columns + c) }
        func vertical(_ c: Int, _ r: Int) -> Int { 2 * (r * columns + c) + 1 }
        var crossing: [Int: Point] = [:]
        func point(on edge: Int) -> Point {
            if let known = crossing[edge] { return known }
            let corner = edge / 2
            let (c, r) = (corner % columns, corner / columns)
            let a = grid.values[corner]
            let (c2, r2) = edge % 2 == 0 ? (c + 1, r) : (c, r + 1)
            let b = grid.values[r2 * columns + c2]
            let t = b == a ? 0.5 : Swift.min(Swift.max((level - a) / (b - a), 0), 1)
            let result = (x: grid.xs[c] + t * (grid.xs[c2] - grid.xs[c]), y: grid.ys[r] + t * (grid.ys[r2] - grid.ys[r]))
            crossing[edge] = result
            return result
        }
        var segments: [(Int, Int)] = []
        for r in 0..<(rows - 1) {
            for c in 0..<(columns - 1) {
                let v0 = grid.values[r * columns + c], v1 = grid.values[r * columns + c + 1]
                let v2 = grid.values[(r + 1) * columns + c + 1], v3 = grid.values[(r + 1) * columns + c]
                guard v0.isFinite, v1.isFinite, v2.isFinite, v3.isFinite else { continue }
                // Corners counter-clockwise from the bottom left: 0 (c, r), 1 (c+1, r), 2 (c+1, r+1), 3 (c, r+1).
                let index = (v0 >= level ? 1 : 0) | (v1 >= level ? 2 : 0) | (v2 >= level ? 4 : 0) | (v3 >= level ? 8 : 0)
                let bottom = horizontal(c, r), right = vertical(c + 1, r), top = horizontal(c, r + 1), left = vertical(c, r)
                switch index {
                case 0, 15: break
                case 1, 14: segments.append((left, bottom))
                case 2, 13: segments.append((bottom, right))
                case 3, 12: segments.append((left, right))
                case 4, 11: segments.append((right, top))
                case 6, 9: segments.append((bottom, top))
                case 7, 8: segments.append((left, top))
                case 5, 10:
                    // Saddle: whether the centre is above decides which corners connect.
                    let centreAbove = (v0 + v1 + v2 + v3) / 4 >= level
                    if (index == 5) == centreAbove {
                        segments.append((left, top)); segments.append((bottom, right))
                    } else {
                        segments.append((left, bottom)); segments.append((right, top))
                    }
                default: break
                }
            }
        }
        return join(segments).map { keys in keys.map(point(on:)) }
    }

    /// Joins segments that share an edge key into chains of keys; open chains first start at an end.
    static func join(_ segments: [(Int, Int)]) -> [[Int]] {
        var touching: [Int: [Int]] = [:]
        for (index, segment) in segments.enumerated() {
            touching[segment.0, default: []].append(index)
            touching[segment.1, default: []].append(index)
        }
        var used = [Bool](repeating: false, count: segments.count)
        var chains: [[Int]] = []
        func walk(from start: Int, key: Int) -> [Int] {
            var chain = [key]
            var current = key
            var segmentIndex: Int? = start
            while let index = segmentIndex {
                used[index] = true
                let segment = segments[index]
                current = segment.0 == current ? segment.1 : segment.0
                chain.append(current)
                segmentIndex = touching[current]?.first { !used[$0] }
            }
            return chain
        }
        // Open lines start at an edge only one segment touches (the grid's border or a gap).
        let ends = touching.filter { $0.value.count == 1 }.keys.sorted()
        for key in ends {
            guard let index = touching[key]?.first, !used[index] else { continue }
            chains.append(walk(from: index, key: key))
        }
        for index in segments.indices where !used[index] {
            chains.append(walk(from: index, key: segments[index].0))
        }
        return chains
    }

    /// `count` levels for a contour map of values from `low` to `high`.
    ///
    /// With `.linear` they are evenly spaced strictly inside the range; with `.logarithmic`
    /// the heights above `low` grow geometrically, so a function that spans several decades
    /// (Rosenbrock's valley) still gets lines near its minimum: level_k = low + (high − low)^(k/count)
    /// scaled so the first height is (high − low)·10⁻⁴ and the last (high − low)·0.9.
    /// Example: `levels(low: 0, high: 10, count: 4, scale: .linear)` is [2, 4, 6, 8].
    public static func levels(low: Double, high: Double, count: Int, scale: AxisScale) -> [Double] {
        guard low.isFinite, high.isFinite, high > low, count > 0 else { return [] }
        switch scale {
        case .linear:
            return (1...count).map { low + (high - low) * Double($0) / Double(count + 1) }
        case .logarithmic:
            let span = high - low
            let first = 1e-4, last = 0.9
            if count == 1 { return [low + span * last] }
            return (0..<count).map { k in
                low + span * first * pow(last / first, Double(k) / Double(count - 1))
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
