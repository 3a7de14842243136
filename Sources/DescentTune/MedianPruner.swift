import Foundation

/// Optuna's `MedianPruner` (a `PercentilePruner` at the 50th percentile), with its semantics:
///
/// * no pruning until `startupTrials` trials are complete, nor while the trial's step is below
///   `warmupSteps`, nor between checks (`intervalSteps`, counted from the warm-up);
/// * otherwise the trial's best intermediate value so far is compared with the median of the
///   values the *complete* trials reported at the same step (linear interpolation, NaN ignored);
///   with fewer than `minimumTrials` such values there is no verdict;
/// * it is pruned when that best is worse than the median (or is NaN).
///
/// Example (minimise, defaults): complete trials reported 0.5, 0.7, 0.9 at step 3; a trial whose
/// values so far are [0.95, 0.8, 0.75] has best 0.75 > median 0.7, so it is pruned at step 3.
public struct MedianPruner: Pruner {
    public var startupTrials: Int
    public var warmupSteps: Int
    public var intervalSteps: Int
    public var minimumTrials: Int
    /// The percentile kept (50 for the median).
    public var percentile: Double

    public init(startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int = 1, minimumTrials: Int = 1, percentile: Double = 50) {
        self.startupTrials = startupTrials
        self.warmupSteps = warmupSteps
        self.intervalSteps = Swift.max(intervalSteps, 1)
        self.minimumTrials = Swift.max(minimumTrials, 1)
        self.percentile = percentile
    }

    public func shouldPrune(_ trial: TrialRecord, trials: [TrialRecord], direction: StudyDirection) -> Bool {
        let complete = trials.filter { $0.state == .complete && $0.number != trial.number }
        guard !complete.isEmpty, complete.count >= startupTrials, let step = trial.lastStep else { return false }
        guard step >= warmupSteps else { return false }
        // Only the first report at or after each check point counts (Optuna's `_is_first_in_interval_step`).
        let nearestCheck = (step - warmupSteps) / intervalSteps * intervalSteps + warmupSteps
        let previous = trial.intermediate.keys.filter { $0 != step }.max() ?? -1
        guard previous < nearestCheck else { return false }
        let own = trial.intermediate.values.filter { !$0.isNaN }
        guard !own.isEmpty else { return true }
        let best = direction == .minimize ? own.min()! : own.max()!
        let others = complete.compactMap { $0.intermediate[step] }
        guard others.count >= minimumTrials else { return false }
        let p = Self.percentile(others, direction == .minimize ? percentile : 100 - percentile)
        guard !p.isNaN else { return false }
        return direction == .minimize ? best > p : best < p
    }

    /// NumPy's `nanpercentile` with linear interpolation: q = 50 of [0.5, 0.7, 0.9] is 0.7, of [1, 2] is 1.5.
    public static func percentile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return .nan }
        let position = q / 100 * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = Swift.min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
