/// Stops training when the validation loss has not improved for `patience` epochs.
///
/// A controller-like value: `observe` takes each epoch's validation loss and says whether it is
/// the best so far (keep its weights), whether to wait, or whether to stop (restore the best
/// weights). A non-finite loss is never the best: a NaN best could never be beaten (x < NaN is
/// false), so training would stop and restore the NaN epoch's weights.
///
/// ```swift
/// var stopping = EarlyStopping(patience: 2)
/// stopping.observe(validationLoss: 0.5, epoch: 1)   // .improved
/// stopping.observe(validationLoss: 0.6, epoch: 2)   // .waiting
/// stopping.observe(validationLoss: 0.7, epoch: 3)   // .stop(bestEpoch: 1)
/// ```
public struct EarlyStopping: Codable, Sendable, Equatable {
    /// What to do after an epoch.
    public enum Decision: Equatable, Sendable {
        case improved
        case waiting
        case stop(bestEpoch: Int)
    }

    /// Epochs without a lower validation loss before stopping (≥ 1).
    public let patience: Int
    /// The lowest finite validation loss so far.
    public private(set) var bestLoss: Double?
    /// The epoch (1-based) that reached `bestLoss`.
    public private(set) var bestEpoch: Int?

    public init(patience: Int) {
        self.patience = patience
    }

    public mutating func observe(validationLoss loss: Double, epoch: Int) -> Decision {
        if loss.isFinite, loss < (bestLoss ?? .infinity) {
            bestLoss = loss
            bestEpoch = epoch
            return .improved
        }
        guard let bestEpoch else { return .waiting }
        return epoch - bestEpoch >= patience ? .stop(bestEpoch: bestEpoch) : .waiting
    }
}
