import Foundation

/// The simple gradient noise scale B_simple = tr(Σ) / |G|², an estimate of the critical batch
/// size: the global batch above which more processes (a larger batch) buy little — below it,
/// doubling the batch nearly halves the steps needed; above it, hardly.
///
/// Source: McCandlish, Kaplan, Amodei et al. 2018, "An Empirical Model of Large-Batch Training",
/// appendix A. G is the full-data gradient and Σ the per-example gradients' covariance; a
/// minibatch gradient of B examples has E|G_B|² = |G|² + tr(Σ)/B, so squared norms measured at a
/// small batch B_s and a big batch B_b give unbiased estimates of both
///
///     |G|²  ≈ (B_b·|G_b|² − B_s·|G_s|²) / (B_b − B_s)
///     tr(Σ) ≈ (|G_s|² − |G_b|²) / (1/B_s − 1/B_b)
///
/// which are averaged over many measurements *before* dividing (the ratio of noisy estimates is
/// biased). Under data parallelism the pair comes free: each process's own gradient is a B_s =
/// B estimate and the all-reduced one a B_b = N·B estimate. `standardError` propagates the
/// measurements' spread through the ratio (delta method).
///
/// It is an estimate, and it equals the critical batch only when the Hessian is close to a multiple
/// of the identity (B_simple then equals the paper's B_noise); it grows as training goes on.
///
/// ```swift
/// // per-example gradients with tr(Σ) = 8 and |G|² = 0.5: the noise scale is 16
/// let scale = try GradientNoiseScale.estimate(smallBatch: 4, bigBatch: 64,
///                                             measurements: [(small: 2.5, big: 0.625), (small: 2.5, big: 0.625)])
/// scale.value   // (2.5 − 0.625) / (1/4 − 1/64) = 8;  (64·0.625 − 4·2.5) / 60 = 0.5;  8 / 0.5 = 16
/// ```
public struct GradientNoiseScale: Codable, Sendable, Equatable {
    /// The two batch sizes the gradient norms were measured at.
    public var smallBatch: Int
    public var bigBatch: Int
    /// The number of (small, big) measurements averaged.
    public var measurements: Int
    /// The estimate of |G|², the full-data gradient's squared norm.
    public var gradientNormSquared: Double
    /// The estimate of tr(Σ), the per-example gradients' total variance.
    public var traceCovariance: Double
    /// B_simple = tr(Σ) / |G|²; infinite when |G|² is not above zero (the gradient is all noise at this point).
    public var value: Double
    /// The standard error of `value` (NaN from fewer than two measurements or an infinite value).
    public var standardError: Double

    /// The noise scale from squared gradient norms measured in pairs at `smallBatch` and `bigBatch` examples.
    /// - Throws: `TrainingError.invalidConfiguration` when the batches are not 1 ≤ small < big or there are no measurements.
    public static func estimate(smallBatch: Int, bigBatch: Int,
                                measurements: [(small: Double, big: Double)]) throws -> GradientNoiseScale {
        guard smallBatch >= 1, bigBatch > smallBatch else {
            throw TrainingError.invalidConfiguration(
                "the noise scale needs two batch sizes 1 ≤ small < big, got \(smallBatch) and \(bigBatch)")
        }
        guard !measurements.isEmpty else {
            throw TrainingError.invalidConfiguration("the noise scale needs at least one pair of gradient norms")
        }
        let (small, big) = (Double(smallBatch), Double(bigBatch))
        let norms = measurements.map { (big * $0.big - small * $0.small) / (big - small) }
        let traces = measurements.map { ($0.small - $0.big) / (1 / small - 1 / big) }
        let count = Double(measurements.count)
        let meanNorm = norms.reduce(0, +) / count
        let meanTrace = traces.reduce(0, +) / count
        let value = meanNorm > 0 ? meanTrace / meanNorm : .infinity
        var standardError = Double.nan
        if measurements.count >= 2, value.isFinite {
            // Delta method for the ratio of two means: Var(S̄/Ḡ) ≈ r²(Var S̄/S̄² + Var Ḡ/Ḡ² − 2 Cov/(S̄Ḡ)).
            let varianceTrace = traces.reduce(0) { $0 + ($1 - meanTrace) * ($1 - meanTrace) } / (count - 1) / count
            let varianceNorm = norms.reduce(0) { $0 + ($1 - meanNorm) * ($1 - meanNorm) } / (count - 1) / count
            let covariance = zip(traces, norms).reduce(0) { $0 + ($1.0 - meanTrace) * ($1.1 - meanNorm) } / (count - 1) / count
            let relative = varianceTrace / (meanTrace * meanTrace) + varianceNorm / (meanNorm * meanNorm)
                - 2 * covariance / (meanTrace * meanNorm)
            standardError = Swift.abs(value) * Swift.max(relative, 0).squareRoot()
        }
        return GradientNoiseScale(smallBatch: smallBatch, bigBatch: bigBatch, measurements: measurements.count,
                                  gradientNormSquared: meanNorm, traceCovariance: meanTrace, value: value,
                                  standardError: standardError)
    }

    private init(smallBatch: Int, bigBatch: Int, measurements: Int, gradientNormSquared: Double, traceCovariance: Double,
                 value: Double, standardError: Double) {
        self.smallBatch = smallBatch
        self.bigBatch = bigBatch
        self.measurements = measurements
        self.gradientNormSquared = gradientNormSquared
        self.traceCovariance = traceCovariance
        self.value = value
        self.standardError = standardError
    }
}

/// The (small, big) squared gradient norms a training run gathers for `GradientNoiseScale`, and
/// the estimates made from them at the end of each epoch that brings the measurements since the
/// last estimate to `minimumMeasurements`.
public struct NoiseScaleTrack: Codable, Sendable, Equatable {
    public struct Measurement: Codable, Sendable, Equatable {
        public var small: Double
        public var big: Double
    }

    /// An estimate made at the end of an epoch from that epoch's measurements.
    public struct Entry: Codable, Sendable, Equatable {
        public var epoch: Int
        public var step: Int
        public var noiseScale: GradientNoiseScale
    }

    public var smallBatch = 0
    public var bigBatch = 0
    public var pending: [Measurement] = []
    public var entries: [Entry] = []

    public init() {}

    /// Adds one pair; pairs at other batch sizes than the first one's are left out (an uneven last batch).
    public mutating func add(smallBatch: Int, small: Double, bigBatch: Int, big: Double) {
        if pending.isEmpty && entries.isEmpty && self.smallBatch == 0 { (self.smallBatch, self.bigBatch) = (smallBatch, bigBatch) }
        guard smallBatch == self.smallBatch, bigBatch == self.bigBatch, small.isFinite, big.isFinite else { return }
        pending.append(Measurement(small: small, big: big))
    }

    /// The fewest measurements an estimate is made from at an epoch's end; fewer carry over to the next epoch.
    public static let minimumMeasurements = 32

    /// Turns the measurements since the last estimate into one, when there are at least `minimumMeasurements`.
    public mutating func endEpoch(_ epoch: Int, step: Int) {
        guard pending.count >= Self.minimumMeasurements, let estimate = pendingEstimate else { return }
        entries.append(Entry(epoch: epoch, step: step, noiseScale: estimate))
        pending.removeAll()
    }

    /// The estimates, with one more from the measurements not yet used when there are at least two
    /// and no estimate was made (a short run).
    public func finished(epoch: Int, step: Int) -> [Entry] {
        guard entries.isEmpty, pending.count >= 2, let estimate = pendingEstimate else { return entries }
        return [Entry(epoch: epoch, step: step, noiseScale: estimate)]
    }

    private var pendingEstimate: GradientNoiseScale? {
        try? GradientNoiseScale.estimate(smallBatch: smallBatch, bigBatch: bigBatch, measurements: pending.map { ($0.small, $0.big) })
    }
}
