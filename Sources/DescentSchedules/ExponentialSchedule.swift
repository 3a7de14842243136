import Foundation

/// Exponential decay: the rate is multiplied by `decay` every `every` steps (continuously, or in
/// stairs), starting after `begin` steps, bounded by `to`.
///
/// Formula (Optax `exponential_decay`), with `d = t − begin`:
///
///     p = d / every            (staircase: ⌊d / every⌋)
///     η(t) = from                      if d ≤ 0
///     η(t) = from · decay^p            otherwise, then clipped at `to`
///                                      (a floor when decay < 1, a ceiling when decay > 1)
///
/// PyTorch's `ExponentialLR(gamma)` and `MultiplicativeLR` with a constant factor are
/// `exponential(from: base_lr, decay: gamma, every: 1)`. Text form:
/// `exponential(from: 0.1, decay: 0.5, every: 5, begin: 3, staircase: true, to: 0.005)`.
/// Bare `exponential` decays from the base rate to 1 % of it over the whole run.
///
/// Example: that text form gives 0.1 at steps 0…7, 0.05 at 8…12, 0.025 at 13…17, and 0.005
/// (the floor) from step 28 on.
public struct ExponentialSchedule: SerializableSchedule, Equatable {
    public let from: Double
    public let decay: Double
    public let every: Int
    public let begin: Int
    public let staircase: Bool
    public let to: Double?
    /// ``Precision/single`` reproduces Optax's float32 values.
    public let precision: Precision

    public init(from: Double, decay: Double, every: Int = 1, begin: Int = 0,
                staircase: Bool = false, to: Double? = nil, precision: Precision = .double) throws {
        try ScheduleSettingCheck.rate(from, "from")
        try ScheduleSettingCheck.positive(decay, "decay")
        try ScheduleSettingCheck.atLeast(every, 1, "every")
        try ScheduleSettingCheck.atLeast(begin, 0, "begin")
        if let to { try ScheduleSettingCheck.rate(to, "to") }
        self.from = from
        self.decay = decay
        self.every = every
        self.begin = begin
        self.staircase = staircase
        self.to = to
        self.precision = precision
    }

    public func callAsFunction(_ step: Int) -> Double {
        let decreased = step - begin
        if precision == .single {
            var value = Float(from)
            if decreased > 0 {
                var exponent = Float(decreased) / Float(every)
                if staircase { exponent = exponent.rounded(.down) }
                value = Float(from) * Float.power(Float(decay), exponent)
            }
            if let to { value = decay < 1 ? max(value, Float(to)) : min(value, Float(to)) }
            return Double(value)
        }
        var value = from
        if decreased > 0 {
            var exponent = Double(decreased) / Double(every)
            if staircase { exponent = exponent.rounded(.down) }
            value = from * pow(decay, exponent)
        }
        if let to {
            value = decay < 1 ? max(value, to) : min(value, to)
        }
        return value
    }

    public var description: String {
        TextForm.call("exponential", [
            ("from", TextForm.number(from)), ("decay", TextForm.number(decay)),
            ("every", String(every)), ("begin", begin == 0 ? nil : String(begin)),
            ("staircase", staircase ? "true" : nil), ("to", to.map(TextForm.number)),
            ("precision", precision == .double ? nil : precision.rawValue),
        ])
    }
}
