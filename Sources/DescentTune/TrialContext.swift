import Foundation

/// What an objective sees of its trial: the number, the parameters to try, and `report`, which
/// stores an intermediate value and asks the pruner whether to go on.
///
/// ```swift
/// try study.optimize { trial in
///     let rate = trial.parameters["learning_rate"]!.number!
///     for epoch in 1...20 {
///         let loss = trainOneEpoch(rate)
///         try trial.report(step: epoch, value: loss)   // throws TrialPruned when the pruner says stop
///     }
///     return loss
/// }
/// ```
public final class TrialContext: @unchecked Sendable {
    public let number: Int
    public let parameters: [String: ParameterValue]
    let id: Int64
    let study: StudyRecord
    let storage: any StudyStorage
    let pruner: any Pruner

    init(number: Int, id: Int64, parameters: [String: ParameterValue], study: StudyRecord, storage: any StudyStorage, pruner: any Pruner) {
        self.number = number
        self.id = id
        self.parameters = parameters
        self.study = study
        self.storage = storage
        self.pruner = pruner
    }

    /// Stores `value` at `step` (steps count up from 1: epochs trained) and throws `TrialPruned`
    /// when the pruner stops the trial.
    public func report(step: Int, value: Double) throws {
        try storage.reportIntermediate(trialID: id, step: step, value: value)
        guard pruner.needsHistory else { return }
        let trials = try storage.trials(studyID: study.id)
        guard let current = trials.first(where: { $0.id == id }) else { return }
        if pruner.shouldPrune(current, trials: trials, direction: study.direction) {
            throw TrialPruned(step: step, value: value)
        }
    }
}
