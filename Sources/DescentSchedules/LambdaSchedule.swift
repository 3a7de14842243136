/// A rate given by a closure: `η(t) = base · multiplier(t)`.
///
/// Source: PyTorch `LambdaLR(lr_lambda)`. A closure cannot be printed or decoded, so this schedule
/// is **not** ``SerializableSchedule``: it has no text form, is not `Codable`, and cannot be built
/// by `ReferenceSchedule` (DescentConformance) or ``ScheduleParser``; a run that must be resumed or configured from
/// text should use a built-in schedule.
///
/// Example: `try LambdaSchedule(base: 0.1) { pow(0.95, Double($0)) }` gives 0.1 at step 0 and
/// 0.095 at step 1.
public struct LambdaSchedule: LearningRateSchedule {
    public let base: Double
    public let multiplier: @Sendable (Int) -> Double

    public init(base: Double, multiplier: @escaping @Sendable (Int) -> Double) throws {
        try ScheduleSettingCheck.rate(base, "base")
        self.base = base
        self.multiplier = multiplier
    }

    public func callAsFunction(_ step: Int) -> Double { base * multiplier(step) }
}
