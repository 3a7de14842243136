import DescentSchedules

/// A rate controller as it goes into a checkpoint: the controllers are existentials
/// (`any LearningRateController`), so each known kind is saved under its name.
///
/// ```swift
/// let saved = try SavedController(DivergenceBackoff(scale: 0.25, rollbacks: 2))
/// saved.controller.scale   // 0.25
/// ```
public enum SavedController: Codable, Sendable {
    case reduceOnPlateau(ReduceOnPlateau)
    case divergenceBackoff(DivergenceBackoff)

    /// Throws `TrainingError.invalidCheckpoint` for a controller kind a checkpoint cannot hold.
    public init(_ controller: any LearningRateController) throws {
        switch controller {
        case let plateau as ReduceOnPlateau: self = .reduceOnPlateau(plateau)
        case let backoff as DivergenceBackoff: self = .divergenceBackoff(backoff)
        default:
            throw TrainingError.invalidCheckpoint(
                "a controller of type \(type(of: controller)) cannot be saved; checkpoints hold ReduceOnPlateau and DivergenceBackoff")
        }
    }

    public var controller: any LearningRateController {
        switch self {
        case let .reduceOnPlateau(plateau): return plateau
        case let .divergenceBackoff(backoff): return backoff
        }
    }
}
