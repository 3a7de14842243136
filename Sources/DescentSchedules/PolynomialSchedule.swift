import Foundation

/// A polynomial (power 1: linear) transition from `from` to `to` over `steps` steps, starting
/// after `begin` steps.
///
/// Formula (Optax `polynomial_schedule` / `linear_schedule`), with `c = clip(t − begin, 0, steps)`:
///
///     η(t) = (from − to) · (1 − c / steps)^power + to        (steps = 0: η = from)
///
/// Also PyTorch's `LinearLR` (from = base·start_factor, to = base·end_factor, steps = total_iters)
/// and `PolynomialLR` (to = 0). Before `begin` it holds `from`, after `begin + steps` it holds `to`.
/// Text forms: `linear(from: 0.0, to: 0.1, steps: 10)`, `warmup(10)` (from 0 to the base rate),
/// `polynomial(from: 0.1, to: 0.01, power: 2.0, steps: 20, begin: 5)`.
///
/// Example: `polynomial(from: 0.1, to: 0.01, power: 2, steps: 20, begin: 5)` gives 0.1 at steps
/// 0…5, 0.091225 at step 6 (= 0.09 · 0.95² + 0.01), 0.01 from step 25 on.
public struct PolynomialSchedule: SerializableSchedule, Equatable {
    public let from: Double
    public let to: Double
    public let power: Double
    public let steps: Int
    public let begin: Int
    /// ``Precision/single`` reproduces Optax's float32 values.
    public let precision: Precision

    public init(from: Double, to: Double, power: Double = 1, steps: Int, begin: Int = 0,
                precision: Precision = .double) throws {
        try ScheduleSettingCheck.rate(from, "from")
        try ScheduleSettingCheck.rate(to, "to")
        try ScheduleSettingCheck.positive(power, "power")
        try ScheduleSettingCheck.atLeast(steps, 0, "steps")
        try ScheduleSettingCheck.atLeast(begin, 0, "begin")
        self.from = from
        self.to = to
        self.power = power
        self.steps = steps
        self.begin = begin
        self.precision = precision
    }

    /// A linear warmup from `from` (default 0) to `to` over `steps` steps (Optax `warmup_constant_schedule`).
    public static func warmup(steps: Int, from: Double = 0, to: Double) throws -> PolynomialSchedule {
        try PolynomialSchedule(from: from, to: to, power: 1, steps: steps)
    }

    public func callAsFunction(_ step: Int) -> Double {
        guard steps > 0 else { return from }
        if precision == .single {
            // Optax in float32: (init − end) is a Python float, then float32 arithmetic.
            let count = Float(min(max(step - begin, 0), steps))
            let fraction = 1 - count / Float(steps)
            var shaped = fraction
            if power == power.rounded() && power >= 1 && power <= 16 {
                for _ in 1..<Int(power) { shaped *= fraction }
            } else {
                shaped = Float.power(fraction, Float(power))
            }
            return Double(Float(from - to) * shaped + Float(to))
        }
        let count = Double(min(max(step - begin, 0), steps))
        let fraction = 1 - count / Double(steps)
        let shaped = power == 1 ? fraction : pow(fraction, power)
        return (from - to) * shaped + to
    }

    public var length: Int? { begin + steps }

    public var description: String {
        let name = power == 1 ? "linear" : "polynomial"
        return TextForm.call(name, [
            ("from", TextForm.number(from)), ("to", TextForm.number(to)),
            ("power", power == 1 ? nil : TextForm.number(power)),
            ("steps", String(steps)), ("begin", begin == 0 ? nil : String(begin)),
            ("precision", precision == .double ? nil : precision.rawValue),
        ])
    }
}
