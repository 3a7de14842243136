/// Schedules applied together: each contributes its factor `schedule(t) / from`.
///
/// Formula (PyTorch `ChainedScheduler`): `η(t) = from · Π_i (schedules[i](t) / from)`, where
/// `from` is the base rate all the chained schedules start from. PyTorch chains the schedulers'
/// recursive forms; for the multiplicative ones (step, multistep, constant, linear, exponential,
/// polynomial, multiplicative, cosine annealing to 0) this product is exactly that. Momentum
/// comes from the first schedule that sets it.
/// Text form: `chain(from: 0.1, [linear(...), exponential(...)])`.
///
/// Example: `chain(from: 0.1, [constant(0.05, steps: 4) >> constant(0.1), exponential(from: 0.1, decay: 0.9, every: 1)])`
/// gives 0.05, 0.045, 0.0405, 0.03645, then 0.06561 at step 4.
public struct ChainSchedule: SerializableSchedule, Equatable {
    public let from: Double
    public let schedules: [AnySchedule]

    public init(from: Double, _ schedules: [AnySchedule]) throws {
        try ScheduleSettingCheck.positive(from, "from")
        guard !schedules.isEmpty else {
            throw ScheduleError(parameter: "schedules", message: "chain needs at least one schedule")
        }
        self.from = from
        self.schedules = schedules
    }

    public func callAsFunction(_ step: Int) -> Double {
        schedules.reduce(from) { rate, schedule in rate * (schedule(step) / from) }
    }

    public func momentum(at step: Int) -> Double? {
        for schedule in schedules {
            if let momentum = schedule.momentum(at: step) { return momentum }
        }
        return nil
    }

    public var cyclesMomentum: Bool { schedules.contains { $0.cyclesMomentum } }

    public var description: String {
        "chain(from: \(TextForm.number(from)), [" + schedules.map(\.description).joined(separator: ", ") + "])"
    }
}
