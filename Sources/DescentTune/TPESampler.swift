import DescentTensor
import Foundation

/// The Tree-structured Parzen Estimator with Optuna's defaults (`TPESampler()`: univariate,
/// prior weight 1, magic clip, 10 start-up trials, 24 candidates, default γ and weights).
///
/// Until 10 trials are complete or pruned it samples at random. Then, for each parameter:
///
/// 1. the n finished trials split into the γ(n) = min(⌈0.1 n⌉, 25) best ("below") and the rest
///    ("above"): complete trials by value first, then pruned trials by the last step they reached
///    (further is better) and their value there; running and failed trials are ignored;
/// 2. Parzen estimators l(x) on the below trials' values and g(x) on the above trials' (see
///    `ParzenEstimator`: on the log scale for log parameters);
/// 3. 24 candidates are drawn from l, and the one with the largest log l(x) − log g(x) is taken
///    (the expected-improvement maximiser of Bergstra et al., NeurIPS 2011).
///
/// Example: after 20 finished trials, γ(20) = 2, so l is fitted to the 2 best values and g to the other 18.
public struct TPESampler: Sampler {
    public var seed: UInt64
    public var startupTrials: Int
    public var candidates: Int
    public var priorWeight: Double

    public init(seed: UInt64 = 0, startupTrials: Int = 10, candidates: Int = 24, priorWeight: Double = 1) {
        self.seed = seed
        self.startupTrials = startupTrials
        self.candidates = candidates
        self.priorWeight = priorWeight
    }

    /// Optuna's `default_gamma`: min(⌈0.1 n⌉, 25).
    public static func gamma(_ n: Int) -> Int { Swift.min(Int((0.1 * Double(n)).rounded(.up)), 25) }

    public func sample(_ space: SearchSpace, history: [TrialRecord], number: Int, direction: StudyDirection) -> [String: ParameterValue] {
        let finished = history.filter { $0.state == .complete || $0.state == .pruned }
        if finished.count < startupTrials {
            return RandomSampler(seed: seed).sample(space, history: history, number: number, direction: direction)
        }
        let (below, above) = Self.split(finished, count: Self.gamma(finished.count), direction: direction)
        var generator = Self.generator(seed: seed, number: number, salt: 0x7470_65)
        var result: [String: ParameterValue] = [:]
        for parameter in space.parameters {
            let distribution = parameter.distribution
            func observations(_ trials: [TrialRecord]) -> [Double] {
                trials.compactMap { $0.parameters[parameter.name].flatMap(distribution.internalValue) }
            }
            let good = ParzenEstimator(observations: observations(below), distribution: distribution, priorWeight: priorWeight)
            let bad = ParzenEstimator(observations: observations(above), distribution: distribution, priorWeight: priorWeight)
            let samples = good.sample(candidates, using: &generator)
            var best = samples[0], bestScore = -Double.infinity
            for candidate in samples {
                let score = good.logDensity(candidate) - bad.logDensity(candidate)
                if score > bestScore { (best, bestScore) = (candidate, score) }
            }
            result[parameter.name] = distribution.externalValue(best)
        }
        return result
    }

    /// Optuna's `_split_trials`: the `count` best finished trials and the rest, each in trial-number order.
    static func split(_ trials: [TrialRecord], count: Int, direction: StudyDirection) -> (below: [TrialRecord], above: [TrialRecord]) {
        let sign = direction == .minimize ? 1.0 : -1.0
        let complete = trials.filter { $0.state == .complete }.sorted { sign * ($0.value ?? .nan) < sign * ($1.value ?? .nan) }
        // Pruned: further along first, then the better value at the last step (NaN last).
        func score(_ trial: TrialRecord) -> (Int, Double) {
            guard let step = trial.lastStep, let value = trial.intermediate[step] else { return (1, 0) }
            return (-step, value.isNaN ? .infinity : sign * value)
        }
        let pruned = trials.filter { $0.state == .pruned }.sorted { score($0) < score($1) }
        let fromComplete = Swift.min(count, complete.count)
        let fromPruned = Swift.min(count - fromComplete, pruned.count)
        let below = Array(complete.prefix(fromComplete)) + Array(pruned.prefix(fromPruned))
        let above = Array(complete.dropFirst(fromComplete)) + Array(pruned.dropFirst(fromPruned))
        return (below.sorted { $0.number < $1.number }, above.sorted { $0.number < $1.number })
    }
}
