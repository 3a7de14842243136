/// Inverse time decay: `η(t) = from / (1 + decay · t / every)` (staircase: `⌊t / every⌋`).
///
/// Source: Keras `InverseTimeDecay(initial_learning_rate, decay_steps, decay_rate, staircase)`.
/// Text form: `inverse_time(from: 0.1, decay: 0.5, every: 10)`.
///
/// Example: `inverse_time(from: 0.1, decay: 0.5, every: 10)` gives 0.1 at step 0,
/// 0.08 at step 5 (= 0.1 / 1.25), 0.05 at step 20.
public struct InverseTimeSchedule: SerializableSchedule, Equatable {
    public let from: Double
    public let decay: Double
    public let every: Int
    public let staircase: Bool

    public init(from: Double, decay: Double, every: Int = 1, staircase: Bool = false) throws {
        try ScheduleSettingCheck.rate(from, "from")
        try ScheduleSettingCheck.rate(decay, "decay")
        try ScheduleSettingCheck.atLeast(every, 1, "every")
        self.from = from
        self.decay = decay
        self.every = every
        self.staircase = staircase
    }

    public func callAsFunction(_ step: Int) -> Double {
        var progress = Double(max(step, 0)) / Double(every)
        if staircase { progress = progress.rounded(.down) }
        return from / (1 + decay * progress)
    }

    public var description: String {
        TextForm.call("inverse_time", [
            ("from", TextForm.number(from)), ("decay", TextForm.number(decay)), ("every", String(every)),
            ("staircase", staircase ? "true" : nil),
        ])
    }
}
