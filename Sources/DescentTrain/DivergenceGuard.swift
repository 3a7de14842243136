/// Catches a learning rate that is too high: a loss that is not finite, or a
/// smoothed loss (`SmoothedLoss`, β = 0.98) above `lossThreshold` × the lowest
/// smoothed loss seen so far — the stopping rule of fastai's range test.
///
/// On divergence the trainer restores the parameters and optimizer state of the
/// last good epoch and multiplies the rate scale by `backoff` — the rate controller
/// of DESIGN.md's rate = schedule(step) × scale. After `maximumRollbacks`
/// rollbacks training stops with `TrainingError.diverged`.
///
/// ```swift
/// let guard = DivergenceGuard(lossThreshold: 4, backoff: 0.5)
/// guard.isDiverged(loss: .nan, best: 0.3)    // true
/// guard.isDiverged(loss: 1.5, best: 0.3)     // true: 1.5 > 4 × 0.3
/// guard.isDiverged(loss: 0.9, best: 0.3)     // false
/// ```
public struct DivergenceGuard: Codable, Sendable, Equatable {
    public var lossThreshold: Double
    public var backoff: Double
    public var maximumRollbacks: Int

    public init(lossThreshold: Double = 4, backoff: Double = 0.5, maximumRollbacks: Int = 5) {
        self.lossThreshold = lossThreshold
        self.backoff = backoff
        self.maximumRollbacks = maximumRollbacks
    }

    /// Whether a step's `loss` counts as divergence, given the lowest smoothed loss so far (`best`, nil at the start).
    public func isDiverged(loss: Double, best: Double?) -> Bool {
        guard loss.isFinite else { return true }
        guard let best, best > 0 else { return false }
        return loss > lossThreshold * best
    }

    func validate() throws {
        guard lossThreshold > 1, lossThreshold.isFinite else {
            throw TrainingError.invalidConfiguration("divergence guard lossThreshold must be finite and > 1, got \(lossThreshold)")
        }
        guard backoff > 0, backoff < 1 else {
            throw TrainingError.invalidConfiguration("divergence guard backoff must be in (0, 1), got \(backoff)")
        }
        guard maximumRollbacks >= 0 else {
            throw TrainingError.invalidConfiguration("divergence guard maximumRollbacks must be ≥ 0, got \(maximumRollbacks)")
        }
    }
}
