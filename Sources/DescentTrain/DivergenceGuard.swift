/// Catches a learning rate that is too high: a loss that is not finite, or a
/// smoothed loss (`SmoothedLoss`, β = 0.98) above `lossThreshold` × the lowest
/// smoothed loss seen so far — the stopping rule of fastai's range test.
/// During the first `graceSteps` steps only a non-finite loss counts: the smoothed
/// loss of a handful of minibatches is just their raw losses, and on a small data set
/// one batch can honestly have 4× the loss of another (without the grace period,
/// 4 rows split into 2 batches "diverged" at step 1 at any learning rate), and the
/// trainer takes "the lowest smoothed loss" from after the grace period only.
///
/// On divergence the trainer restores the parameters and optimizer state of the
/// last good state (one further back when that state itself already diverges before any
/// update) and multiplies the rate scale by `backoff` — the rate controller
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
    /// Steps at the start of training during which only a non-finite loss counts as divergence.
    public var graceSteps: Int

    public init(lossThreshold: Double = 4, backoff: Double = 0.5, maximumRollbacks: Int = 5, graceSteps: Int = 10) {
        self.lossThreshold = lossThreshold
        self.backoff = backoff
        self.maximumRollbacks = maximumRollbacks
        self.graceSteps = graceSteps
    }

    private enum CodingKeys: String, CodingKey { case lossThreshold, backoff, maximumRollbacks, graceSteps }

    /// Decodes a guard; `graceSteps` may be absent (configurations written before it existed) and defaults to 10.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lossThreshold = try container.decode(Double.self, forKey: .lossThreshold)
        backoff = try container.decode(Double.self, forKey: .backoff)
        maximumRollbacks = try container.decode(Int.self, forKey: .maximumRollbacks)
        graceSteps = try container.decodeIfPresent(Int.self, forKey: .graceSteps) ?? 10
    }

    /// `isDiverged(loss:best:)` after `observedSteps` losses: within the first `graceSteps`
    /// only a non-finite loss counts.
    public func isDiverged(loss: Double, best: Double?, observedSteps: Int) -> Bool {
        guard loss.isFinite else { return true }
        return observedSteps > graceSteps && isDiverged(loss: loss, best: best)
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
        guard graceSteps >= 0 else {
            throw TrainingError.invalidConfiguration("divergence guard graceSteps must be ≥ 0, got \(graceSteps)")
        }
        guard maximumRollbacks >= 0 else {
            throw TrainingError.invalidConfiguration("divergence guard maximumRollbacks must be ≥ 0, got \(maximumRollbacks)")
        }
    }
}
