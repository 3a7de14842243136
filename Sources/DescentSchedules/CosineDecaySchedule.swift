import Foundation

/// Cosine decay from `from` to `to` over `steps` steps, then holding `to`.
///
/// Formula (Optax `cosine_decay_schedule`, Loshchilov & Hutter 2017, "SGDR"), with
/// `c = (1 + cos(π · min(t, steps) / steps)) / 2`:
///
///     η(t) = (from − to) · c^exponent + to
///
/// Optax's `alpha` is `to / from`. Text form: `cosine(from: 0.1, to: 0.001, steps: 50)`; bare
/// `cosine` goes from the base rate to 0 over the whole run (or what is left of it after `>>`).
///
/// Example: `cosine(from: 0.1, to: 0.0, steps: 100)` gives 0.1 at step 0, 0.05 at step 50,
/// 0.0 at step 100 and after.
public struct CosineDecaySchedule: SerializableSchedule, Equatable {
    public let from: Double
    public let to: Double
    public let steps: Int
    public let exponent: Double
    public let precision: Precision

    public init(from: Double, to: Double = 0, steps: Int, exponent: Double = 1, precision: Precision = .double) throws {
        try ScheduleSettingCheck.rate(from, "from")
        try ScheduleSettingCheck.rate(to, "to")
        try ScheduleSettingCheck.atLeast(steps, 1, "steps")
        try ScheduleSettingCheck.positive(exponent, "exponent")
        self.from = from
        self.to = to
        self.steps = steps
        self.exponent = exponent
        self.precision = precision
    }

    public func callAsFunction(_ step: Int) -> Double {
        switch precision {
        case .double:
            let count = Double(min(max(step, 0), steps))
            let decay = 0.5 * (1 + cos(Double.pi * count / Double(steps)))
            return (from - to) * (exponent == 1 ? decay : pow(decay, exponent)) + to
        case .single:
            // Optax's own order of operations, in float32: init · ((1 − α) · c^p + α), α = to / from.
            let alpha = from == 0 ? 0 : to / from
            let count = Float(min(max(step, 0), steps))
            let decay = Float(0.5) * (1 + Float.cosine(Float(Double.pi) * count / Float(steps)))
            let shaped = exponent == 1 ? decay : Float.power(decay, Float(exponent))
            return Double(Float(from) * (Float(1 - alpha) * shaped + Float(alpha)))
        }
    }

    public var length: Int? { steps }

    public var description: String {
        TextForm.call("cosine", [
            ("from", TextForm.number(from)), ("to", TextForm.number(to)), ("steps", String(steps)),
            ("exponent", exponent == 1 ? nil : TextForm.number(exponent)),
            ("precision", precision == .double ? nil : precision.rawValue),
        ])
    }
}
