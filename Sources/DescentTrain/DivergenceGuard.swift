/// Catches a learning rate that is too high, without crying wolf on a converged run.
///
/// A step's loss counts as divergence when it is not finite, or when — after `graceSteps`
/// steps — the smoothed loss `s` (`SmoothedLoss`, β = 0.98) has climbed above the lowest
/// smoothed loss `b` seen so far by both a factor and a margin that respects the loss's
/// own scale and noise:
///
///     s > lossThreshold · b   and   s − b > max(absoluteFloor,
///                                               relativeFloor · reference,
///                                               noiseMultiple · noise(b))
///
/// `reference` is the loss of the initial model on the training set, measured before the first
/// update (the loss's own scale, which no rate can have moved); `b` is never above it, so a rate
/// so high that the loss is far up by the end of the grace period is caught at once. `noise(b)` is
/// the mean absolute deviation of the raw step losses from the smoothed curve when `b` was reached. The factor is the stopping rule of fastai's range test;
/// the margin keeps a loss that converged to 1e-9 and wanders to 7e-9 from counting (a 7× rise,
/// but 0.0000003% of a starting loss of 2.3), and likewise a noisy curve's honest bumps and the
/// brief spikes Adam shows near zero loss (digits, 1000 epochs: one batch at 0.64 after 1e-9,
/// recovered by itself): a rise counts once it is a tenth of the starting loss.
///
/// On divergence the trainer restores the last good state (one further back when that state
/// itself diverges before any update) and multiplies the rate scale by `backoff`, harder after
/// repeated divergence at the same place: the k-th divergence in a row without a completed epoch
/// in between multiplies by `backoffᵏ` (0.5, 0.25, 0.125, … — a rate 100× too high is tamed in
/// 4 rollbacks instead of 7). Backing off goes on until the scale would fall below
/// `minimumScale`; only then does training stop with `TrainingError.diverged`. `maximumRollbacks`
/// is a last bound on the count.
///
/// ```swift
/// let settings = DivergenceGuard(lossThreshold: 4, backoff: 0.5)
/// settings.isDiverged(loss: .nan, best: 0.3)                            // true
/// settings.isDiverged(loss: 1.5, best: 0.3, reference: 2.3, noise: 0.01) // true: 1.5 > 4 × 0.3, 1.2 > 0.23
/// settings.isDiverged(loss: 0.9, best: 0.3, reference: 2.3, noise: 0.01) // false: 0.9 < 1.2
/// settings.isDiverged(loss: 7e-9, best: 1e-9, reference: 2.3, noise: 1e-9) // false: a rise of 6e-9 < 0.23
/// ```
public struct DivergenceGuard: Codable, Sendable, Equatable {
    /// The factor over the lowest smoothed loss that counts as a blow-up (> 1).
    public var lossThreshold: Double
    /// The rate scale's multiplier at each rollback, in (0, 1).
    public var backoff: Double
    /// A last bound on rollbacks (the scale floor normally ends a hopeless run first).
    public var maximumRollbacks: Int
    /// Steps at the start of training during which only a non-finite loss counts as divergence.
    public var graceSteps: Int
    /// The lowest rate scale the guard backs off to; a divergence below it ends training.
    public var minimumScale: Double
    /// The smallest rise of the smoothed loss, as a fraction of the reference loss, that can count.
    public var relativeFloor: Double
    /// The smallest rise that can count, in the loss's own units.
    public var absoluteFloor: Double
    /// The smallest rise that can count, in multiples of the step losses' noise at the minimum.
    public var noiseMultiple: Double

    public init(lossThreshold: Double = 4, backoff: Double = 0.5, maximumRollbacks: Int = 100, graceSteps: Int = 10,
                minimumScale: Double = 1e-4, relativeFloor: Double = 0.1, absoluteFloor: Double = 1e-12,
                noiseMultiple: Double = 3) {
        self.lossThreshold = lossThreshold
        self.backoff = backoff
        self.maximumRollbacks = maximumRollbacks
        self.graceSteps = graceSteps
        self.minimumScale = minimumScale
        self.relativeFloor = relativeFloor
        self.absoluteFloor = absoluteFloor
        self.noiseMultiple = noiseMultiple
    }

    private enum CodingKeys: String, CodingKey {
        case lossThreshold, backoff, maximumRollbacks, graceSteps, minimumScale, relativeFloor, absoluteFloor, noiseMultiple
    }

    /// Decodes a guard; the settings added after the first version may be absent and take their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = DivergenceGuard()
        lossThreshold = try container.decode(Double.self, forKey: .lossThreshold)
        backoff = try container.decode(Double.self, forKey: .backoff)
        maximumRollbacks = try container.decode(Int.self, forKey: .maximumRollbacks)
        graceSteps = try container.decodeIfPresent(Int.self, forKey: .graceSteps) ?? defaults.graceSteps
        minimumScale = try container.decodeIfPresent(Double.self, forKey: .minimumScale) ?? defaults.minimumScale
        relativeFloor = try container.decodeIfPresent(Double.self, forKey: .relativeFloor) ?? defaults.relativeFloor
        absoluteFloor = try container.decodeIfPresent(Double.self, forKey: .absoluteFloor) ?? defaults.absoluteFloor
        noiseMultiple = try container.decodeIfPresent(Double.self, forKey: .noiseMultiple) ?? defaults.noiseMultiple
    }

    /// Whether a step's smoothed `loss` counts as divergence, given the lowest smoothed loss so far
    /// (`best`, nil at the start), the `reference` loss and the step losses' `noise` at the minimum.
    public func isDiverged(loss: Double, best: Double?, reference: Double? = nil, noise: Double = 0) -> Bool {
        guard loss.isFinite else { return true }
        guard let best, best >= 0, loss > lossThreshold * best else { return false }
        let margin = Swift.max(absoluteFloor, relativeFloor * Swift.abs(reference ?? 0), noiseMultiple * noise)
        return loss - best > margin
    }

    /// The multiplier of the k-th divergence in a row at the same place (k ≥ 1): `backoffᵏ`.
    public func backoff(consecutive: Int) -> Double {
        var factor = 1.0
        for _ in 0..<Swift.max(consecutive, 1) { factor *= backoff }
        return factor
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
        guard minimumScale > 0, minimumScale <= 1 else {
            throw TrainingError.invalidConfiguration("divergence guard minimumScale must be in (0, 1], got \(minimumScale)")
        }
        for (name, value) in [("relativeFloor", relativeFloor), ("absoluteFloor", absoluteFloor), ("noiseMultiple", noiseMultiple)] {
            guard value >= 0, value.isFinite else {
                throw TrainingError.invalidConfiguration("divergence guard \(name) must be finite and ≥ 0, got \(value)")
            }
        }
    }
}

extension DivergenceGuard {
    /// `isDiverged(loss:best:)` after `observedSteps` losses: within the first `graceSteps`
    /// only a non-finite loss counts (no reference loss or noise: only `absoluteFloor` as margin).
    public func isDiverged(loss: Double, best: Double?, observedSteps: Int) -> Bool {
        guard loss.isFinite else { return true }
        return observedSteps > graceSteps && isDiverged(loss: loss, best: best)
    }
}
