import Foundation

/// A study: a named search for the parameters that minimise (or maximise) an objective, run by
/// one or many workers that share a storage. `optimize` is one worker's loop:
///
/// 1. claim the next trial (the storage numbers it, fails trials whose workers died, and says
///    when the study has `trials` trials — a study's total, any state, as Optuna's `n_trials`);
/// 2. sample its parameters from the finished trials, store them, start a heartbeat;
/// 3. run the objective; it reports one intermediate value per epoch and may be pruned;
/// 4. store the outcome: complete with its value, pruned, or failed with the error.
///
/// A worker whose claim finds every trial taken but some still running waits for them, so
/// that when all workers have returned every trial is finished.
///
/// ```swift
/// let storage = try SQLiteStudyStorage(path: "studies.sqlite")
/// let study = try Study(name: "digits", space: space, storage: storage, sampler: TPESampler(seed: 0),
///                       pruner: SuccessiveHalvingPruner())
/// try study.optimize(trials: 50) { trial in try train(trial) }
/// try study.best()?.value   // 0.057
/// ```
public final class Study: @unchecked Sendable {
    public let record: StudyRecord
    public let space: SearchSpace
    public let storage: any StudyStorage
    public let sampler: any Sampler
    public let pruner: any Pruner
    /// How often a running trial's worker says it is alive.
    public var heartbeatInterval: Double = 5
    /// How long without a heartbeat before a running trial counts as failed.
    public var gracePeriod: Double = 30
    /// This worker's name in the storage.
    public var workerName: String = Study.defaultWorkerName
    /// How long to sleep between claims while others' trials run.
    public var pollInterval: Double = 0.2

    /// `host:pid`.
    public static var defaultWorkerName: String { workerName(processIdentifier: ProcessInfo.processInfo.processIdentifier) }

    /// The default name of the worker that is process `processIdentifier` on this machine (`host:pid`):
    /// how a parent finds the trials of a worker process it started.
    public static func workerName(processIdentifier: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return "\(host):\(processIdentifier)"
    }

    /// Opens (or creates) the study `name` in `storage`.
    public init(name: String, space: SearchSpace, direction: StudyDirection = .minimize, configuration: String? = nil,
                storage: any StudyStorage, sampler: any Sampler, pruner: any Pruner = NoPruner()) throws {
        record = try storage.openStudy(name: name, direction: direction, configuration: configuration ?? space.textForm)
        self.space = space
        self.storage = storage
        self.sampler = sampler
        self.pruner = pruner
    }

    /// Runs trials until the study has `trials` of them, or until `stopRequested` says so (checked
    /// before each claim). `finished` is told of each trial this worker ends.
    public func optimize(trials limit: Int, finished: (TrialRecord) -> Void = { _ in },
                         stopRequested: () -> Bool = { false },
                         objective: (TrialContext) throws -> Double) throws {
        // A stop request (Ctrl-C) claims no new trial; the objective ends the one in progress by throwing,
        // and that trial is stored as failed with the objective's message.
        while !stopRequested() {
            switch try storage.claimTrial(studyID: record.id, limit: limit, worker: workerName, staleAfter: gracePeriod) {
            case .done:
                return
            case .wait:
                Thread.sleep(forTimeInterval: pollInterval)
            case let .claimed(id, number):
                let history = try storage.trials(studyID: record.id).filter { $0.id != id }
                    .map { trial -> TrialRecord in
                        var trial = trial
                        trial.parameters = space.normalized(trial.parameters)
                        return trial
                    }
                let parameters = sampler.sample(space, history: history, number: number, direction: record.direction)
                try storage.setParameters(trialID: id, parameters: parameters)
                let heartbeat = Heartbeat(storage: storage, trialID: id, interval: heartbeatInterval)
                let context = TrialContext(number: number, id: id, parameters: parameters, study: record, storage: storage, pruner: pruner)
                var state = TrialState.failed, value: Double?, message: String?
                do {
                    let result = try objective(context)
                    if result.isNaN {
                        message = "the objective's value is NaN"
                    } else {
                        (state, value) = (.complete, result)
                    }
                } catch let pruned as TrialPruned {
                    (state, message) = (.pruned, pruned.description)
                } catch {
                    message = "\(error)"
                }
                heartbeat.stop()
                try storage.finishTrial(trialID: id, state: state, value: value, message: message)
                if let trial = try storage.trials(studyID: record.id).first(where: { $0.id == id }) { finished(trial) }
            }
        }
    }

    /// The study's trials, parameters in their declared kinds.
    public func trials() throws -> [TrialRecord] {
        try Self.trials(of: record, in: storage, space: space)
    }

    static func trials(of record: StudyRecord, in storage: any StudyStorage, space: SearchSpace?) throws -> [TrialRecord] {
        try storage.trials(studyID: record.id).map { trial in
            var trial = trial
            if let space { trial.parameters = space.normalized(trial.parameters) }
            return trial
        }
    }

    /// The best complete trial (lowest value when minimising), if any.
    public func best() throws -> TrialRecord? { Self.best(of: try trials(), direction: record.direction) }

    /// The best complete trial among `trials`.
    public static func best(of trials: [TrialRecord], direction: StudyDirection) -> TrialRecord? {
        trials.filter { $0.state == .complete && $0.value != nil }.min { a, b in direction.isBetter(a.value!, than: b.value!) }
    }
}
