/// An error from the training loop, with the reason in words.
public enum TrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A setting is invalid (names the setting).
    case invalidConfiguration(String)
    /// Training diverged more often than the guard may roll back.
    case diverged(step: Int, loss: Double, rollbacks: Int)

    public var description: String {
        switch self {
        case let .invalidConfiguration(reason): return "invalid training configuration: \(reason)"
        case let .diverged(step, loss, rollbacks):
            return "training diverged at step \(step) (loss \(loss)) after \(rollbacks) rollbacks; lower the learning rate"
        }
    }
}
