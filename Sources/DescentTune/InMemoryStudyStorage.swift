import Foundation

/// Studies kept in this process's memory: for tests and single-process runs that need no file.
/// Thread-safe (one lock); a claim is atomic because it runs under the lock.
public final class InMemoryStudyStorage: StudyStorage, @unchecked Sendable {
    private let lock = NSLock()
    private var studies: [StudyRecord] = []
    private var trialsByStudy: [Int64: [TrialRecord]] = [:]
    private var heartbeats: [Int64: Double] = [:]
    private var nextTrialID: Int64 = 1
    /// The clock, in seconds since 1970 (replaceable in tests).
    public var clock: @Sendable () -> Double = { Date().timeIntervalSince1970 }

    public init() {}

    public func openStudy(name: String, direction: StudyDirection, configuration: String) throws -> StudyRecord {
        lock.withLock {
            if let study = studies.first(where: { $0.name == name }) { return study }
            let study = StudyRecord(id: Int64(studies.count + 1), name: name, direction: direction, configuration: configuration)
            studies.append(study)
            return study
        }
    }

    public func findStudy(named name: String) throws -> StudyRecord? {
        lock.withLock { studies.first { $0.name == name } }
    }

    public func allStudies() throws -> [StudyRecord] {
        lock.withLock { studies.sorted { $0.name < $1.name } }
    }

    public func claimTrial(studyID: Int64, limit: Int, worker: String, staleAfter: Double) throws -> TrialClaim {
        lock.withLock {
            let now = clock()
            var trials = trialsByStudy[studyID] ?? []
            for index in trials.indices where trials[index].state == .running && now - (heartbeats[trials[index].id] ?? 0) > staleAfter {
                trials[index].state = .failed
                trials[index].finished = now
                trials[index].message = staleMessage(staleAfter)
            }
            defer { trialsByStudy[studyID] = trials }
            guard trials.count < limit else { return trials.contains { $0.state == .running } ? .wait : .done }
            let trial = TrialRecord(id: nextTrialID, number: trials.count, state: .running, value: nil, parameters: [:],
                                    intermediate: [:], worker: worker, started: now)
            nextTrialID += 1
            heartbeats[trial.id] = now
            trials.append(trial)
            return .claimed(id: trial.id, number: trial.number)
        }
    }

    private func update(_ trialID: Int64, _ change: (inout TrialRecord) -> Void) -> Bool {
        for (study, trials) in trialsByStudy {
            if let index = trials.firstIndex(where: { $0.id == trialID }) {
                change(&trialsByStudy[study]![index])
                return true
            }
        }
        return false
    }

    public func setParameters(trialID: Int64, parameters: [String: ParameterValue]) throws {
        lock.withLock { _ = update(trialID) { $0.parameters = parameters } }
    }

    public func heartbeat(trialID: Int64) throws {
        lock.withLock { heartbeats[trialID] = clock() }
    }

    public func reportIntermediate(trialID: Int64, step: Int, value: Double) throws {
        lock.withLock { _ = update(trialID) { $0.intermediate[step] = value } }
    }

    public func finishTrial(trialID: Int64, state: TrialState, value: Double?, message: String?) throws -> Bool {
        lock.withLock {
            var changed = false
            let now = clock()
            _ = update(trialID) { trial in
                guard trial.state == .running else { return }
                trial.state = state
                trial.value = value
                trial.message = message
                trial.finished = now
                changed = true
            }
            return changed
        }
    }

    public func trials(studyID: Int64) throws -> [TrialRecord] {
        lock.withLock { trialsByStudy[studyID] ?? [] }
    }
}

/// The message of a trial failed for lack of heartbeats.
public func staleMessage(_ staleAfter: Double) -> String {
    "its worker sent no heartbeat for \(ParameterDistribution.number(staleAfter)) s (the grace period) and is presumed dead"
}
