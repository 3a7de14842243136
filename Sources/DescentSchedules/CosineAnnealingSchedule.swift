import Foundation

/// PyTorch's cosine annealing, which keeps following the cosine past `period` (rising again).
///
/// Formula (PyTorch `CosineAnnealingLR(T_max, eta_min)`, Loshchilov & Hutter 2017):
///
///     η(t) = to + (from − to) · (1 + cos(π t / period)) / 2     for every t ≥ 0
///
/// PyTorch computes this recursively (its chainable form); in exact arithmetic the recursion is
/// this closed form for every step, including past `T_max`, where the rate climbs back towards
/// `from` over the next `period` steps (checked against PyTorch to 1e-6). Use ``CosineDecaySchedule``
/// to hold the final rate instead. Text form: `cosine_annealing(from: 0.1, to: 0.001, period: 30)`.
///
/// Example: `cosine_annealing(from: 0.1, to: 0.001, period: 30)` gives 0.1 at step 0, 0.0505 at
/// step 15, 0.001 at step 30, 0.0505 again at step 45.
public struct CosineAnnealingSchedule: SerializableSchedule, Equatable {
    public let from: Double
    public let to: Double
    public let period: Int

    public init(from: Double, to: Double = 0, period: Int) throws {
        try ScheduleSettingCheck.rate(from, "from")
        try ScheduleSettingCheck.rate(to, "to")
        try ScheduleSettingCheck.atLeast(period, 1, "period")
        self.from = from
        self.to = to
        self.period = period
    }

    public func callAsFunction(_ step: Int) -> Double {
        to + (from - to) * (1 + cos(Double.pi * Double(max(step, 0)) / Double(period))) / 2
    }

    public var length: Int? { period }

    public var description: String {
        TextForm.call("cosine_annealing", [
            ("from", TextForm.number(from)), ("to", TextForm.number(to)), ("period", String(period)),
        ])
    }
}
