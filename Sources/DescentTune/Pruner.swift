/// Decides, after a trial reports an intermediate value, whether to stop it early.
///
/// `trial` carries every value it has reported so far (its last step is the current one);
/// `trials` is the whole study as stored now (other workers' trials included).
public protocol Pruner: Sendable {
    /// Whether the trial should stop now.
    func shouldPrune(_ trial: TrialRecord, trials: [TrialRecord], direction: StudyDirection) -> Bool
    /// Whether the pruner looks at other trials at all (a pruner that never prunes need not read the study).
    var needsHistory: Bool { get }
}

extension Pruner {
    public var needsHistory: Bool { true }
}

/// Never prunes (Optuna's `NopPruner`).
public struct NoPruner: Pruner {
    public init() {}
    public func shouldPrune(_ trial: TrialRecord, trials: [TrialRecord], direction: StudyDirection) -> Bool { false }
    public var needsHistory: Bool { false }
}

/// A trial's stop, thrown out of the training loop when the pruner says so.
public struct TrialPruned: Error, Equatable, CustomStringConvertible {
    /// The step (epochs trained) at which it was pruned, and the value it had reported there.
    public var step: Int
    public var value: Double
    public init(step: Int, value: Double) {
        self.step = step
        self.value = value
    }
    public var description: String { "pruned at step \(step) (value \(value))" }
}
