/// Where studies and their trials live. Every implementation keeps these promises, whatever
/// number of worker processes on whatever number of machines share it:
///
/// * `claimTrial` is one transaction: it fails running trials whose heartbeat is older than
///   `staleAfter`, counts the study's trials and, while there are fewer than `limit`, adds one
///   numbered `count` — so numbers are 0, 1, 2, … without gaps, no trial is lost or run twice;
/// * `finishTrial` changes only a trial that is still running (a trial already failed for lack of
///   heartbeats stays failed) and says whether it did;
/// * `openStudy` creates a study or returns the existing one of that name (resuming it);
/// * a database written with another schema version is refused with a message saying so.
///
/// Implementations: `InMemoryStudyStorage` (tests, one process), `SQLiteStudyStorage` (a file,
/// many processes on one machine), and `PostgresStudyStorage` in `DescentTunePostgres` (many machines).
public protocol StudyStorage: AnyObject, Sendable {
    /// The study called `name`, created with `direction` and `configuration` if it does not exist.
    func openStudy(name: String, direction: StudyDirection, configuration: String) throws -> StudyRecord
    /// The study called `name`, if any.
    func findStudy(named name: String) throws -> StudyRecord?
    /// All studies, by name.
    func allStudies() throws -> [StudyRecord]
    /// The next trial of the study, if any remain (see above).
    func claimTrial(studyID: Int64, limit: Int, worker: String, staleAfter: Double) throws -> TrialClaim
    /// Records the parameters the sampler chose for a running trial.
    func setParameters(trialID: Int64, parameters: [String: ParameterValue]) throws
    /// Says the trial's worker is alive.
    func heartbeat(trialID: Int64) throws
    /// Records an intermediate value (one per step; a repeated step replaces the value).
    func reportIntermediate(trialID: Int64, step: Int, value: Double) throws
    /// Ends a running trial; false when it was no longer running.
    @discardableResult
    func finishTrial(trialID: Int64, state: TrialState, value: Double?, message: String?) throws -> Bool
    /// The study's trials in number order.
    func trials(studyID: Int64) throws -> [TrialRecord]
}

/// The storage schema version this build reads and writes. A database of another version is refused.
public let studySchemaVersion = 1

/// The message for a database of another schema version.
func schemaMismatchMessage(found: String, location: String) -> String {
    "the study database \(location) has schema version \(found), but this descent reads version \(studySchemaVersion); "
        + "use the descent that wrote it, or a new --storage (nothing was changed)"
}
