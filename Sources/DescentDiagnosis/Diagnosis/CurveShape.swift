import DescentTrain
import Foundation

/// The shape of a loss curve, measured on a short, low-noise version of it: the epoch means
/// of the training loss when there are at least 6 epochs, else the step losses averaged in
/// up to 10 equal bins. Slopes are taken in log space (the loss falls by a fraction per
/// point), so a curve is judged the same whatever its units.
///
/// ```swift
/// let shape = CurveShape([2.0, 1.0, 0.5, 0.25, 0.125, 0.0625])
/// shape.thirdSlopes     // [ln 2, ln 2, ln 2]: the same fall per point in every third
/// shape.fallingFraction(inLast: 3)   // 1.0
/// ```
public struct CurveShape: Sendable, Equatable {
    /// The points (all finite and positive).
    public var points: [Double]

    public init(_ points: [Double]) {
        self.points = points
    }

    /// The trend of a run's training loss (see the type's summary); empty when nothing finite was recorded.
    public init(trainingLossOf curves: TrainingCurves) {
        let epochLosses = curves.epochs.map(\.trainingLoss)
        if epochLosses.count >= 6 {
            self.init(epochLosses.map { Swift.max($0, 1e-12) })
            return
        }
        let losses = curves.steps.map(\.loss).filter(\.isFinite)
        let binCount = Swift.min(10, losses.count / 5)
        guard binCount >= 2 else {
            self.init(epochLosses.filter(\.isFinite).map { Swift.max($0, 1e-12) })
            return
        }
        var bins: [Double] = []
        for bin in 0..<binCount {
            let slice = losses[(bin * losses.count / binCount)..<((bin + 1) * losses.count / binCount)]
            bins.append(Swift.max(slice.reduce(0, +) / Double(slice.count), 1e-12))
        }
        self.init(bins)
    }

    /// The least-squares slope of −log(loss) against the point index over `range`: the
    /// fraction by which the loss falls per point (positive while it falls).
    public func fallRate(_ range: Range<Int>) -> Double {
        guard range.count >= 2 else { return 0 }
        let xs = range.map(Double.init), ys = range.map { -Foundation.log(points[$0]) }
        let meanX = xs.reduce(0, +) / Double(xs.count), meanY = ys.reduce(0, +) / Double(ys.count)
        var covariance = 0.0, variance = 0.0
        for (x, y) in zip(xs, ys) {
            covariance += (x - meanX) * (y - meanY)
            variance += (x - meanX) * (x - meanX)
        }
        return covariance / variance
    }

    /// The fall rates of the first, middle and last third (overlapping by a point, so each has two or more).
    public var thirdSlopes: [Double] {
        let count = points.count
        guard count >= 4 else { return [] }
        let cuts = [0, count / 3, (2 * count) / 3, count - 1]
        return (0..<3).map { fallRate(cuts[$0]..<(cuts[$0 + 1] + 1)) }
    }

    /// Of the last `count` changes between neighbouring points, the fraction that fell.
    public func fallingFraction(inLast count: Int) -> Double {
        let changes = zip(points, points.dropFirst()).map { $1 - $0 }.suffix(count)
        guard !changes.isEmpty else { return 0 }
        return Double(changes.filter { $0 < 0 }.count) / Double(changes.count)
    }

    /// Over the second half, the mean absolute change between neighbouring points divided by
    /// the mean level: how much the curve jumps about relative to where it is.
    public var noiseToLevel: Double {
        let half = Array(points.suffix(Swift.max(3, points.count / 2)))
        let changes = zip(half, half.dropFirst()).map { Swift.abs($1 - $0) }
        guard !changes.isEmpty else { return 0 }
        let level = half.reduce(0, +) / Double(half.count)
        return changes.reduce(0, +) / Double(changes.count) / level
    }
}
