/// An error from the training loop, with the reason in words.
public enum TrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A setting is invalid (names the setting).
    case invalidConfiguration(String)
    /// Training diverged more often than the guard may roll back.
    case diverged(step: Int, loss: Double, rollbacks: Int)
    /// The loss is not finite at the weights training started from, before any update: no
    /// learning rate can help, the data (or the initial model) holds extreme values.
    case nonFiniteInitialLoss(loss: Double)
    /// A checkpoint could not be read or does not belong to this run (names what is wrong).
    case invalidCheckpoint(String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(reason): return "invalid training configuration: \(reason)"
        case let .diverged(step, loss, rollbacks):
            return "training diverged at step \(step) (loss \(loss)) after \(rollbacks) rollbacks; lower the learning rate"
        case let .nonFiniteInitialLoss(loss):
            return "the loss is \(loss) before any update, so lowering the learning rate cannot help: "
                + "look for extreme values in the data (squared errors of targets beyond about ±1.8e19 overflow Float32) "
                + "or standardise the features"
        case let .invalidCheckpoint(reason): return "invalid checkpoint: \(reason)"
        }
    }
}
