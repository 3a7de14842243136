import Foundation

/// What the divergence guard knows during a run: the smoothed step loss, its noise, the lowest
/// smoothed loss after the grace period, the reference loss, and the rollbacks so far. A value,
/// saved in checkpoints, so a resumed run's guard judges exactly as the uninterrupted run's would.
///
/// The noise is the debiased exponential moving average (same β as the smoothed loss) of
/// |raw loss − smoothed loss before it|; the guard uses its value at the minimum.
///
/// ```swift
/// var state = DivergenceGuardState()
/// state.reference = 2.3                    // the initial model's loss on the training set
/// let settings = DivergenceGuard(graceSteps: 2)
/// state.observe(2.3, settings: settings)   // false: within the grace period
/// state.observe(40, settings: settings)    // false: within the grace period
/// state.observe(900, settings: settings)   // true: smoothed ≈ 320 > 4 × 2.3
/// ```
public struct DivergenceGuardState: Codable, Sendable, Equatable {
    /// The debiased moving average of the step losses.
    public var smoothed = SmoothedLoss()
    /// Moving average of the step losses' absolute deviation from the smoothed curve.
    public var noise = SmoothedLoss()
    /// The lowest smoothed loss after the grace period.
    public var minimum: Double?
    /// The noise when `minimum` was reached.
    public var noiseAtMinimum = 0.0
    /// The loss of the initial model on the training set (before any update, so no rate can have
    /// moved it): the loss's own scale, and a bound the smoothed loss may never climb far above.
    public var reference: Double?
    /// Rollbacks so far in the run.
    public var rollbacks = 0
    /// Divergences since the last completed epoch (the k of the back-off `backoffᵏ`).
    public var consecutive = 0
    /// Whether the parameters were restored and no update has been taken since.
    public var restoredWithoutUpdate = false

    public init() {}

    /// Adds a step's raw loss; returns whether training diverged at this step (judged against
    /// the minimum before this step).
    @discardableResult
    public mutating func observe(_ loss: Double, settings: DivergenceGuard) -> Bool {
        let previous = smoothed.value
        let (best, noiseAtBest) = (minimum, noiseAtMinimum)
        let current = smoothed.add(loss)
        if let previous, loss.isFinite, previous.isFinite { noise.add(Swift.abs(loss - previous)) }
        guard loss.isFinite, current.isFinite else { return true }
        guard smoothed.count > settings.graceSteps else { return false }
        if current < (minimum ?? .infinity) {
            minimum = current
            noiseAtMinimum = noise.value ?? 0
        }
        // The lowest level so far: the minimum after the grace period, or the initial loss when lower
        // (a rate so high that the loss is already far up by the end of the grace period is caught).
        let level = [best, reference].compactMap { $0 }.filter(\.isFinite).min()
        let noiseAtLevel = level == best ? noiseAtBest : 0
        return settings.isDiverged(loss: current, best: level, reference: reference, noise: noiseAtLevel)
    }

    /// Whether the run stands where it may be rolled back to: a finite smoothed loss no more than
    /// `lossThreshold` × the reference (a rate far too high can blow the loss up within the grace
    /// period, before the guard judges, and that state must not become a "good" one).
    /// The epoch's `validationLoss`, when there is one, must pass the same test: weights whose training
    /// loss still looks fine can already be far off (digits, SGD at 0.38: validation loss 10.6 after epoch 1).
    public func isHealthy(settings: DivergenceGuard, validationLoss: Double? = nil) -> Bool {
        if let validationLoss, !validationLoss.isFinite { return false }
        guard let value = smoothed.value, value.isFinite else { return smoothed.count == 0 }
        guard let reference else { return true }
        return [value, validationLoss].compactMap { $0 }.allSatisfy {
            !settings.isDiverged(loss: $0, best: reference, reference: reference, noise: 0)
        }
    }

    /// The state to go on from after restoring `snapshot`: its curve, this run's counters.
    func restoring(_ snapshot: DivergenceGuardState) -> DivergenceGuardState {
        var restored = snapshot
        restored.rollbacks = rollbacks
        restored.consecutive = consecutive
        restored.restoredWithoutUpdate = true
        return restored
    }
}
