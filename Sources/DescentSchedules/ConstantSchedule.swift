/// A constant rate.
///
/// Formula: `η(t) = rate`. Source: Optax `constant_schedule`. Text form: `constant(0.1)`;
/// with `steps: n` it has a length, so that `constant(0.01, steps: 100) >> cosine` holds 0.01 for
/// 100 steps and then starts the cosine (the constant itself never ends: past its length it
/// still returns `rate`).
///
/// Example: `ConstantSchedule(rate: 0.1)` gives 0.1 at steps 0, 1, 1 000 000.
public struct ConstantSchedule: SerializableSchedule, Equatable {
    public let rate: Double
    public let steps: Int?

    public init(rate: Double, steps: Int? = nil) throws {
        try ScheduleSettingCheck.rate(rate, "rate")
        if let steps { try ScheduleSettingCheck.atLeast(steps, 0, "steps") }
        self.rate = rate
        self.steps = steps
    }

    public func callAsFunction(_ step: Int) -> Double { rate }
    public var length: Int? { steps }

    public var description: String {
        if let steps { return "constant(\(TextForm.number(rate)), steps: \(steps))" }
        return "constant(\(TextForm.number(rate)))"
    }
}
