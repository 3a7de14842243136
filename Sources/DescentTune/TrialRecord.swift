import Foundation

/// One trial as stored: its gap-free number within the study, its state, the parameters it
/// tried, its value and the intermediate values it reported (one per epoch, keyed by the step:
/// the number of epochs trained). Optuna calls this a `FrozenTrial`.
///
/// ```swift
/// let trial = TrialRecord(id: 1, number: 0, state: .pruned, value: nil,
///                         parameters: ["learning_rate": .float(0.3)], intermediate: [1: 0.9, 2: 0.8])
/// trial.lastStep   // 2
/// ```
public struct TrialRecord: Sendable, Equatable {
    /// The storage's key for the trial.
    public var id: Int64
    /// 0, 1, 2, … within the study, without gaps.
    public var number: Int
    public var state: TrialState
    /// The objective's value (complete trials only).
    public var value: Double?
    public var parameters: [String: ParameterValue]
    /// Step → value; the trainer reports the validation loss after each epoch, step = epochs trained.
    public var intermediate: [Int: Double]
    /// Who ran it (`host:pid`).
    public var worker: String
    /// Seconds since 1970 (the storage's clock).
    public var started: Double
    public var finished: Double?
    /// Why it failed, or at which step it was pruned.
    public var message: String?

    public init(id: Int64, number: Int, state: TrialState, value: Double?, parameters: [String: ParameterValue],
                intermediate: [Int: Double], worker: String = "", started: Double = 0, finished: Double? = nil, message: String? = nil) {
        self.id = id
        self.number = number
        self.state = state
        self.value = value
        self.parameters = parameters
        self.intermediate = intermediate
        self.worker = worker
        self.started = started
        self.finished = finished
        self.message = message
    }

    /// The last step with a reported value.
    public var lastStep: Int? { intermediate.keys.max() }

    /// The intermediate values in step order.
    public var intermediateCurve: [(step: Int, value: Double)] {
        intermediate.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// A study as stored: a name, a direction and the configuration it was created with (the search
/// space's text form, the sampler, the pruner and the training flags), so that a resumed study
/// keeps them.
public struct StudyRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var direction: StudyDirection
    public var configuration: String

    public init(id: Int64, name: String, direction: StudyDirection, configuration: String) {
        self.id = id
        self.name = name
        self.direction = direction
        self.configuration = configuration
    }
}

/// What a worker gets when it asks for the next trial.
public enum TrialClaim: Sendable, Equatable {
    /// A new running trial, numbered `number`, is this worker's.
    case claimed(id: Int64, number: Int)
    /// All trials are taken but some still run elsewhere: ask again later (a dead worker's trial
    /// fails after the grace period, and all workers then end together).
    case wait
    /// The study has its trials and none runs.
    case done
}

/// An error of a study storage: unreachable, refused, or of another schema version.
public struct StudyStorageError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
