import Foundation

/// Step decay: the rate is multiplied by `gamma` every `every` steps.
///
/// Formula (PyTorch `StepLR(step_size, gamma)`): `η(t) = from · gamma^⌊t / every⌋`.
/// Text form: `step(from: 0.1, every: 7, gamma: 0.5)`. Bare `step` divides the base rate by 10
/// at one third and two thirds of the run.
///
/// Example: `step(from: 0.1, every: 7, gamma: 0.5)` gives 0.1 at steps 0…6, 0.05 at 7…13,
/// 0.025 at 14…20.
public struct StepSchedule: SerializableSchedule, Equatable {
    public let from: Double
    public let every: Int
    public let gamma: Double

    public init(from: Double, every: Int, gamma: Double = 0.1) throws {
        try ScheduleSettingCheck.rate(from, "from")
        try ScheduleSettingCheck.atLeast(every, 1, "every")
        try ScheduleSettingCheck.rate(gamma, "gamma")
        self.from = from
        self.every = every
        self.gamma = gamma
    }

    public func callAsFunction(_ step: Int) -> Double {
        from * pow(gamma, Double(max(step, 0) / every))
    }

    public var description: String {
        TextForm.call("step", [
            ("from", TextForm.number(from)), ("every", String(every)), ("gamma", TextForm.number(gamma)),
        ])
    }
}
