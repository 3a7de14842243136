import DescentOptim
import DescentSchedules

/// The range of every number a checkpoint holds, checked when it is read: a checkpoint edited by
/// hand, damaged or written by something else is refused with the field's path and the range it
/// must lie in (`progress.epoch is -3; it must be from 0 to 2147483647`), before any of its numbers
/// reach arithmetic that would trap on them (`UInt64(epoch)`, `step + 1`, `epoch - bestEpoch`).
///
/// The ranges are those a run can produce: counts are never negative, epochs and per-epoch counters
/// fit in 2³¹ − 1, steps in 10¹⁵ (the longest schedule `descent schedule show` takes), the history
/// has one record per completed epoch, numbered 1, 2, …, and losses summed so far are finite.
/// The position within an epoch (`progress.batchIndex`) is checked against the data when the run
/// resumes (``TrainingLoop``), since only then is the number of minibatches known.
///
/// Example: a checkpoint whose `progress.epoch` is `-1` is refused with
/// "run/checkpoint.json: progress.epoch is -1; it must be from 0 to 2147483647".
extension TrainingCheckpoint {
    /// The most epochs, rollbacks, reports and other per-run counters a checkpoint may hold.
    public static var maximumCount: Int { Int(Int32.max) }
    /// The most optimizer steps a checkpoint may hold.
    public static var maximumStep: Int { 1_000_000_000_000_000 }

    /// Throws `TrainingError.invalidCheckpoint` naming the first field out of its range.
    public func checkRanges(source: String) throws {
        func check(_ value: Int, _ range: ClosedRange<Int>, _ field: String) throws {
            guard range.contains(value) else {
                throw TrainingError.invalidCheckpoint(
                    "\(source): \(field) is \(value); it must be from \(range.lowerBound) to \(range.upperBound)")
            }
        }
        func finite(_ value: Double, _ field: String) throws {
            guard value.isFinite else { throw TrainingError.invalidCheckpoint("\(source): \(field) is \(value); it must be finite") }
        }
        let counts = 0...Self.maximumCount
        try check(optimizer.step, 0...Self.maximumStep, "optimizer.step")
        try check(progress.epoch, counts, "progress.epoch")
        try check(progress.batchIndex, counts, "progress.batchIndex")
        try check(progress.exampleCount, counts, "progress.exampleCount")
        try finite(progress.lossTotal, "progress.lossTotal")
        guard progress.history.count == progress.epoch else {
            throw TrainingError.invalidCheckpoint(
                "\(source): progress.epoch is \(progress.epoch) but progress.history holds \(progress.history.count) epochs")
        }
        for (index, record) in progress.history.enumerated() {
            try check(record.epoch, (index + 1)...(index + 1), "progress.history[\(index)].epoch")
            try check(record.step, 0...Self.maximumStep, "progress.history[\(index)].step")
        }
        try checkGuard(progress.guardState, "progress.guardState", check)
        if let stopping = progress.earlyStopping {
            try check(stopping.patience, counts, "progress.earlyStopping.patience")
            if let best = stopping.bestEpoch { try check(best, 0...progress.epoch, "progress.earlyStopping.bestEpoch") }
        }
        for (index, saved) in controllers.enumerated() {
            switch saved {
            case let .reduceOnPlateau(plateau):
                let field = "controllers[\(index)].reduceOnPlateau"
                try check(plateau.patience, counts, field + ".patience")
                try check(plateau.cooldown, counts, field + ".cooldown")
                try check(plateau.badReports, counts, field + ".badReports")
                try check(plateau.cooldownLeft, counts, field + ".cooldownLeft")
                try check(plateau.reductions, counts, field + ".reductions")
                try check(plateau.reports, counts, field + ".reports")
            case let .divergenceBackoff(backoff):
                let field = "controllers[\(index)].divergenceBackoff"
                try check(backoff.rollbacks, counts, field + ".rollbacks")
                guard backoff.scale.isFinite, backoff.scale > 0 else {
                    throw TrainingError.invalidCheckpoint("\(source): \(field).scale is \(backoff.scale); it must be finite and positive")
                }
            }
        }
        for (index, point) in rollbackPoints.enumerated() {
            try check(point.optimizer.step, 0...Self.maximumStep, "rollbackPoints[\(index)].optimizer.step")
            try checkGuard(point.guardState, "rollbackPoints[\(index)].guardState", check)
        }
    }

    private func checkGuard(_ state: DivergenceGuardState, _ field: String,
                            _ check: (Int, ClosedRange<Int>, String) throws -> Void) throws {
        let counts = 0...Self.maximumCount
        try check(state.rollbacks, counts, field + ".rollbacks")
        try check(state.consecutive, counts, field + ".consecutive")
        try check(state.smoothed.count, 0...Self.maximumStep, field + ".smoothed.count")
        try check(state.noise.count, 0...Self.maximumStep, field + ".noise.count")
    }
}
