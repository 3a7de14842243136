import DescentTensor
import Foundation

/// Every combination of a grid, in a seeded random order (Optuna's `GridSampler` also shuffles).
/// Choices are used as they are; integer ranges of at most `pointsPerRange` values are used whole;
/// other ranges contribute `pointsPerRange` evenly spaced points, both ends included
/// (geometrically for log ranges): xᵢ = low + i (high − low)/(k − 1), or low · (high/low)^(i/(k − 1)).
/// Optuna's `GridSampler` takes the values of each parameter as a list; `choice(…)` is that list
/// here, and `pointsPerRange` (`descent tune --grid-points`, 5 by default) cuts the ranges.
/// Trial `number` takes grid point `order[number mod size]`, so distinct trial numbers — which
/// the storage hands out without gaps — visit distinct points until the grid is exhausted; more
/// trials than points visit it again.
///
/// Example: `lr=loguniform(1e-4,1e-2); optimizer=choice(adam,sgd)` with 3 points per range is the
/// 6 points {1e-4, 1e-3, 1e-2} × {adam, sgd}.
public struct GridSampler: Sampler {
    public var seed: UInt64
    public var pointsPerRange: Int

    /// The points per range when not told: 5.
    public static let defaultPointsPerRange = 5
    /// The most grid points a study may have (the shuffled order is held in memory).
    public static let largestGrid = 1_000_000

    public init(seed: UInt64 = 0, pointsPerRange: Int = GridSampler.defaultPointsPerRange) {
        self.seed = seed
        self.pointsPerRange = Swift.max(pointsPerRange, 1)
    }

    /// The values one parameter takes on the grid.
    public func values(of distribution: ParameterDistribution) -> [ParameterValue] {
        let count = pointsPerRange
        func spaced(_ low: Double, _ high: Double, log: Bool) -> [Double] {
            guard count > 1, high > low else { return [low] }
            return (0..<count).map { index in
                let t = Double(index) / Double(count - 1)
                return log ? Foundation.exp(Foundation.log(low) + t * (Foundation.log(high) - Foundation.log(low))) : low + t * (high - low)
            }
        }
        switch distribution {
        case let .categorical(choices): return choices.map(ParameterValue.choice)
        case let .float(low, high, log): return spaced(low, high, log: log).map { distribution.externalValue($0) }
        case let .int(low, high, log):
            if high - low + 1 <= count { return (low...high).map(ParameterValue.int) }
            var seen = Set<Int>()
            return spaced(Double(low), Double(high), log: log).map { Int($0.rounded()) }.filter { seen.insert($0).inserted }.map(ParameterValue.int)
        }
    }

    /// The number of grid points; nil when it overflows an `Int`.
    /// Example: `lr=loguniform(1e-4,1e-2); optimizer=choice(adam,sgd)` with 5 points per range: 5 × 2 = 10.
    public func size(of space: SearchSpace) -> Int? {
        var size = 1
        for parameter in space.parameters {
            let (product, overflow) = size.multipliedReportingOverflow(by: values(of: parameter.distribution).count)
            if overflow { return nil }
            size = product
        }
        return size
    }

    /// Trial `number`'s point. A grid larger than `largestGrid` points (checked by `descent tune`
    /// before a study starts) is walked in the order of its points instead of a shuffled one.
    public func sample(_ space: SearchSpace, history: [TrialRecord], number: Int, direction: StudyDirection) -> [String: ParameterValue] {
        guard let size = size(of: space), size <= Self.largestGrid else { return point(number, of: space) }
        // A seeded Fisher–Yates shuffle of the grid's indices, the same in every worker.
        var generator = SeededGenerator(seed: seed ^ 0x6772_6964)
        var order = Array(0..<size)
        if size > 1 {
            for index in stride(from: size - 1, to: 0, by: -1) {
                order.swapAt(index, Int(generator.next() % UInt64(index + 1)))
            }
        }
        return point(order[number % size], of: space)
    }

    /// The grid point of index `index` (the last parameter varies fastest; wraps around past the end).
    func point(_ index: Int, of space: SearchSpace) -> [String: ParameterValue] {
        var point = index
        var result: [String: ParameterValue] = [:]
        for parameter in space.parameters.reversed() {
            let values = values(of: parameter.distribution)
            result[parameter.name] = values[point % values.count]
            point /= values.count
        }
        return result
    }
}
