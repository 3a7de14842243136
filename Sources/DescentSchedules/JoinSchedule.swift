/// Schedules one after another: `schedules[i]` runs from `boundaries[i−1]` on, and is given the
/// steps since its boundary.
///
/// Formula (Optax `join_schedules`, PyTorch `SequentialLR`): with `b₀ = 0`,
/// `η(t) = schedules[i](t − b_i)` for the last `i` with `b_i ≤ t`. Momentum likewise.
/// Text forms: `a >> b >> c` when each boundary is where the previous schedule's length ends,
/// e.g. `warmup(500) >> cosine(to: 1e-5)`; otherwise `join([a, b], at: [5])`.
/// Past the last boundary the last schedule decides (see its own documentation).
///
/// Example: `linear(from: 0.01, to: 0.1, steps: 5) >> cosine(from: 0.1, to: 0.0, steps: 25)` gives
/// 0.01 at step 0, 0.1 at step 5, 0.0996 at step 6, 0.0 from step 30 on.
public struct JoinSchedule: SerializableSchedule, Equatable {
    public let schedules: [AnySchedule]
    public let boundaries: [Int]

    public init(_ schedules: [AnySchedule], boundaries: [Int]) throws {
        guard !schedules.isEmpty else {
            throw ScheduleError(parameter: "schedules", message: "join needs at least one schedule")
        }
        guard boundaries.count == schedules.count - 1 else {
            throw ScheduleError(parameter: "at",
                message: "join needs one boundary fewer than schedules: \(schedules.count) schedules, \(boundaries.count) boundaries")
        }
        for boundary in boundaries { try ScheduleSettingCheck.atLeast(boundary, 0, "at") }
        try ScheduleSettingCheck.nonDecreasing(boundaries, "at")
        self.schedules = schedules
        self.boundaries = boundaries
    }

    /// `schedules` one after another, each starting when the one before has reached its length.
    public init(sequence schedules: [AnySchedule]) throws {
        var boundaries: [Int] = []
        var consumed = 0
        for (index, schedule) in schedules.enumerated().dropLast() {
            guard let length = schedule.length else {
                throw ScheduleError(parameter: "schedules",
                    message: "schedule \(index + 1) (\(schedule)) goes on for ever, so nothing can follow it; give it a length or use join([...], at: [...])")
            }
            consumed += length
            boundaries.append(consumed)
        }
        try self.init(schedules, boundaries: boundaries)
    }

    private func segment(at step: Int) -> (schedule: AnySchedule, local: Int) {
        var index = 0
        for (position, boundary) in boundaries.enumerated() where step >= boundary {
            index = position + 1
        }
        let start = index == 0 ? 0 : boundaries[index - 1]
        return (schedules[index], step - start)
    }

    public func callAsFunction(_ step: Int) -> Double {
        let (schedule, local) = segment(at: step)
        return schedule(local)
    }

    public func momentum(at step: Int) -> Double? {
        let (schedule, local) = segment(at: step)
        return schedule.momentum(at: local)
    }

    public var cyclesMomentum: Bool { schedules.contains { $0.cyclesMomentum } }

    public var length: Int? {
        guard let last = schedules.last?.length else { return nil }
        return (boundaries.last ?? 0) + last
    }

    /// Whether every boundary is where the schedule before it ends, so `a >> b` says it all.
    private var isSequence: Bool {
        var consumed = 0
        for (schedule, boundary) in zip(schedules, boundaries) {
            guard let length = schedule.length else { return false }
            consumed += length
            if consumed != boundary { return false }
        }
        return true
    }

    public var description: String {
        if schedules.count == 1 { return "join([\(schedules[0])], at: [])" }
        if isSequence { return schedules.map(\.description).joined(separator: " >> ") }
        return "join([" + schedules.map(\.description).joined(separator: ", ") + "], at: "
            + TextForm.integers(boundaries) + ")"
    }
}

extension SerializableSchedule {
    /// `self` until it reaches its length, then `next` from its step 0: the text form's `self >> next`.
    ///
    ///     let schedule = try PolynomialSchedule.warmup(steps: 500, to: 3e-4)
    ///         .then(CosineDecaySchedule(from: 3e-4, to: 1e-5, steps: 9_500))
    ///     schedule(500)   // 0.0003
    ///
    /// - Throws: ``ScheduleError`` when `self` has no length (it goes on for ever).
    public func then(_ next: some SerializableSchedule) throws -> JoinSchedule {
        try JoinSchedule(sequence: Self.flatten(self) + Self.flatten(next))
    }

    /// `self` until step `boundary`, then `next` from its step 0 (Optax's `join_schedules`).
    public func then(_ next: some SerializableSchedule, at boundary: Int) throws -> JoinSchedule {
        try JoinSchedule([AnySchedule(self), AnySchedule(next)], boundaries: [boundary])
    }

    private static func flatten(_ schedule: some SerializableSchedule) -> [AnySchedule] {
        let erased = AnySchedule(schedule)
        if let join = erased.base as? JoinSchedule, join.schedules.count > 1,
           (try? JoinSchedule(sequence: join.schedules))?.boundaries == join.boundaries {
            return join.schedules
        }
        return [erased]
    }
}
