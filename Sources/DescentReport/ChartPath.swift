/// A named path through the plane, drawn on a ``SVGContourMap``: the points an optimizer
/// visited, step by step (`x[k]`, `y[k]` after step k; point 0 is the start).
///
/// The path stops at the first point that is not finite (a run that blew up).
/// Example: `ChartPath(name: "rate 0.5", x: [1, 0, 0], y: [1, 0, 0])` jumps from (1, 1) to the
/// minimum of the bowl in one step and stays there.
public struct ChartPath: Sendable, Equatable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// A CSS colour; nil takes the palette's colour of the path's position.
    public var color: String?
    /// The step number of each point, for the animation (nil: 0, 1, 2, …). A long path drawn from every
    /// 10th point has steps [0, 10, 20, …].
    public var steps: [Int]?

    public init(name: String, x: [Double], y: [Double], color: String? = nil, steps: [Int]? = nil) {
        let count = Swift.min(x.count, y.count)
        self.name = name
        self.x = Array(x.prefix(count))
        self.y = Array(y.prefix(count))
        self.color = color
        self.steps = steps.map { Array($0.prefix(count)) }
    }

    /// The step number of point `index`.
    public func step(_ index: Int) -> Int {
        guard let steps, index < steps.count else { return index }
        return steps[index]
    }

    /// The points up to (not including) the first non-finite one.
    public var finitePoints: [(x: Double, y: Double)] {
        var result: [(x: Double, y: Double)] = []
        for (x, y) in zip(x, y) {
            guard x.isFinite, y.isFinite else { break }
            result.append((x, y))
        }
        return result
    }
}
