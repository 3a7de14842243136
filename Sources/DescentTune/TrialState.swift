/// Where a trial is in its life: `running` while a worker trains it (and sends heartbeats),
/// then `complete` (it returned a value), `pruned` (a pruner stopped it early) or `failed`
/// (its objective threw, or its worker stopped sending heartbeats for longer than the grace period).
public enum TrialState: String, Sendable, CaseIterable, Codable {
    case running, complete, pruned, failed

    /// Whether the trial is over.
    public var isFinished: Bool { self != .running }
}

/// Whether a study looks for the lowest or the highest value.
public enum StudyDirection: String, Sendable, Codable {
    case minimize, maximize

    /// Whether `a` is strictly better than `b` in this direction (NaN is never better).
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        self == .minimize ? a < b : a > b
    }
}
