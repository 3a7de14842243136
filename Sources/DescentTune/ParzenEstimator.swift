import DescentTensor
import Foundation

/// A Parzen estimator (kernel density) over one parameter, built as Optuna's `_ParzenEstimator`
/// builds it with its defaults (prior weight 1, magic clip on, endpoints off, univariate):
///
/// * numbers are on the internal scale — `ln x` for log parameters, and integers widened by ½
///   on each side (`[low − ½, high + ½]`) — so a log parameter's kernels are Gaussian in `ln x`;
/// * one truncated-normal kernel per observation `μᵢ`, with σᵢ the larger distance to its
///   neighbours among the sorted observations, the prior mean `(low + high)/2` and the bounds
///   (the outermost kernels use their inner neighbour only), clipped to
///   `[(high − low) / min(100, n + 2), high − low]`, plus a prior kernel N((low + high)/2, (high − low)²);
/// * weights: Optuna's `default_weights` — 1 for each of the newest 25 observations, a ramp from
///   1/n up to 1 for older ones — and the prior weight 1, normalised to sum to 1;
/// * a categorical parameter is a mixture of per-observation distributions over the choices:
///   each kernel puts `1/(n + 1)` on every choice (the prior) plus 1 on the observed one, renormalised.
///
/// Bergstra et al., "Algorithms for Hyper-Parameter Optimization", NeurIPS 2011; Watanabe,
/// "Tree-Structured Parzen Estimator: Understanding Its Algorithm Components", 2023.
///
/// Example: observations `[0.2]` of `uniform(0, 1)` give kernels N(0.2, σ=0.3) (distance to the
/// prior mean 0.5, clipped to at least 1/3 → σ = 1/3) and the prior N(0.5, 1), weights ½ and ½.
struct ParzenEstimator {
    let distribution: ParameterDistribution
    let weights: [Double]
    /// Numerical kernels, on the internal scale (empty for categorical).
    let kernels: [TruncatedNormal]
    /// Categorical kernels: one probability vector over the choices per kernel.
    let choiceProbabilities: [[Double]]
    /// Bounds on the internal scale.
    let low: Double, high: Double

    /// `observations` in internal representation (Optuna's `to_internal_repr`), oldest first.
    init(observations: [Double], distribution: ParameterDistribution, priorWeight: Double = 1) {
        self.distribution = distribution
        let n = observations.count
        var weights = n == 0 ? [1.0] : Self.defaultWeights(n) + [priorWeight]
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }
        self.weights = weights
        switch distribution {
        case let .categorical(choices):
            let count = choices.count
            var rows: [[Double]] = []
            if n == 0 {
                rows = [Array(repeating: 1 / Double(count), count: count)]
            } else {
                let kernels = n + 1
                for index in 0..<kernels {
                    var row = Array(repeating: priorWeight / Double(kernels), count: count)
                    if index < n { row[Int(observations[index])] += 1 }
                    let sum = row.reduce(0, +)
                    rows.append(row.map { $0 / (sum == 0 ? 1 : sum) })
                }
            }
            choiceProbabilities = rows
            kernels = []
            low = 0
            high = Double(count - 1)
        case .float, .int:
            var (low, high) = Self.bounds(distribution)
            var mus = observations
            if case .int = distribution { low -= 0.5; high += 0.5 }
            if distribution.isLog {
                mus = mus.map { Foundation.log($0) }
                low = Foundation.log(low)
                high = Foundation.log(high)
            }
            self.low = low
            self.high = high
            var sigmas = Self.sigmas(mus, low: low, high: high)
            let minimum = (high - low) / Swift.min(100, 1 + Double(n + 1))
            sigmas = sigmas.map { Swift.min(Swift.max($0, minimum), high - low) }
            var kernels = zip(mus, sigmas).map { TruncatedNormal(mean: $0, deviation: $1, low: low, high: high) }
            kernels.append(TruncatedNormal(mean: 0.5 * (low + high), deviation: high - low, low: low, high: high))
            // A zero-width range (low == high) has one point; give its kernels a tiny width.
            if high - low <= 0 { kernels = kernels.map { TruncatedNormal(mean: $0.mean, deviation: 1e-12, low: low - 1e-12, high: high + 1e-12) } }
            self.kernels = kernels
            choiceProbabilities = []
        }
    }

    static func bounds(_ distribution: ParameterDistribution) -> (Double, Double) {
        switch distribution {
        case let .float(low, high, _): return (low, high)
        case let .int(low, high, _): return (Double(low), Double(high))
        case let .categorical(choices): return (0, Double(choices.count - 1))
        }
    }

    /// Optuna's `default_weights(n)`: ones for n < 25, else a ramp `linspace(1/n, 1, n − 25)` then 25 ones.
    static func defaultWeights(_ n: Int) -> [Double] {
        if n == 0 { return [] }
        if n < 25 { return Array(repeating: 1, count: n) }
        let rampCount = n - 25
        let first = 1 / Double(n)
        let ramp = (0..<rampCount).map { index -> Double in
            guard rampCount > 1 else { return first }
            let fraction = Double(index) / Double(rampCount - 1)
            return first + (1 - first) * fraction
        }
        return ramp + Array(repeating: 1, count: 25)
    }

    /// The kernels' widths: the larger gap to a neighbour among the sorted observations with the prior
    /// mean and the bounds; the lowest and highest use only their inner gap (endpoints not considered).
    static func sigmas(_ mus: [Double], low: Double, high: Double) -> [Double] {
        let withPrior = mus + [0.5 * (low + high)]
        let order = withPrior.indices.sorted { withPrior[$0] < withPrior[$1] }
        var sorted: [Double] = [low]
        for index in order { sorted.append(withPrior[index]) }
        sorted.append(high)
        var sortedSigmas: [Double] = []
        for index in 1..<(sorted.count - 1) {
            let left: Double = sorted[index] - sorted[index - 1]
            let right: Double = sorted[index + 1] - sorted[index]
            sortedSigmas.append(Swift.max(left, right))
        }
        if sorted.count >= 4 {
            sortedSigmas[0] = sorted[2] - sorted[1]
            sortedSigmas[sortedSigmas.count - 1] = sorted[sorted.count - 2] - sorted[sorted.count - 3]
        }
        var sigmas = Array(repeating: 0.0, count: withPrior.count)
        for (rank, index) in order.enumerated() { sigmas[index] = sortedSigmas[rank] }
        return Array(sigmas.prefix(mus.count))
    }

    /// Draws `count` values in internal representation (log scale undone, integers rounded).
    func sample(_ count: Int, using generator: inout SeededGenerator) -> [Double] {
        (0..<count).map { _ in
            let component = Self.pick(weights, generator.nextUniform())
            switch distribution {
            case .categorical:
                return Double(Self.pick(choiceProbabilities[component], generator.nextUniform()))
            case .float, .int:
                var x = kernels[component].sample(uniform: generator.nextUniform())
                if distribution.isLog { x = Foundation.exp(x) }
                if case let .int(low, high, _) = distribution { x = Swift.min(Swift.max(x.rounded(), Double(low)), Double(high)) }
                if case let .float(low, high, _) = distribution { x = Swift.min(Swift.max(x, low), high) }
                return x
            }
        }
    }

    /// log of the mixture's density (or, for integers and choices, probability mass) at `x` (internal representation).
    func logDensity(_ x: Double) -> Double {
        var terms: [Double] = []
        switch distribution {
        case .categorical:
            terms = zip(weights, choiceProbabilities).map { Foundation.log($0) + Foundation.log($1[Int(x)]) }
        case .int:
            var lower = x - 0.5, upper = x + 0.5
            if distribution.isLog { lower = Foundation.log(lower); upper = Foundation.log(upper) }
            terms = zip(weights, kernels).map { Foundation.log($0) + $1.logMass(from: lower, to: upper) }
        case .float:
            let point = distribution.isLog ? Foundation.log(x) : x
            terms = zip(weights, kernels).map { Foundation.log($0) + $1.logDensity(point) }
        }
        let top = terms.max() ?? -.infinity
        guard top.isFinite else { return top }
        return top + Foundation.log(terms.reduce(0) { $0 + Foundation.exp($1 - top) })
    }

    /// The index whose cumulative weight first exceeds `u` (weights sum to 1).
    static func pick(_ weights: [Double], _ u: Double) -> Int {
        var cumulative = 0.0
        for (index, weight) in weights.enumerated() {
            cumulative += weight
            if u < cumulative { return index }
        }
        return weights.count - 1
    }
}
