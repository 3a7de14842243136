import Foundation

/// Keras' cosine decay with restarts: cycles of `steps`, `steps·periodMultiplier`, … steps; cycle
/// `i` starts at `from · rateMultiplier^i`, every cycle falls to `from · alpha`.
///
/// Formula (Keras `CosineDecayRestarts(initial_learning_rate, first_decay_steps, t_mul, m_mul,
/// alpha)`, Loshchilov & Hutter 2017): with `i` the cycle and `f` the fraction of it done,
///
///     η(t) = from · ((1 − alpha) · rateMultiplier^i · (1 + cos(π f)) / 2 + alpha)
///
/// The cycle is found exactly (Keras uses a floating-point logarithm). Restarts go on for ever.
/// Text form: `cosine_restarts(from: 0.1, steps: 10, t_mul: 2.0, m_mul: 1.0, alpha: 0.0)`.
///
/// Example: `cosine_restarts(from: 1.0, steps: 10, t_mul: 2.0, m_mul: 0.5, alpha: 0.0)` gives 1.0 at
/// step 0, 0.5 at step 5, 0.5 at step 10 (restart at half height), 0.25 at step 20.
public struct CosineRestartsSchedule: SerializableSchedule, Equatable {
    public let from: Double
    public let steps: Int
    public let periodMultiplier: Double
    public let rateMultiplier: Double
    public let alpha: Double
    /// ``Precision/single`` reproduces Keras' float32 values, cycle boundaries included (found with
    /// a float32 logarithm, as Keras does).
    public let precision: Precision

    public init(from: Double, steps: Int, periodMultiplier: Double = 2, rateMultiplier: Double = 1,
                alpha: Double = 0, precision: Precision = .double) throws {
        try ScheduleSettingCheck.rate(from, "from")
        try ScheduleSettingCheck.atLeast(steps, 1, "steps")
        guard periodMultiplier.isFinite, periodMultiplier >= 1 else {
            throw ScheduleError(parameter: "t_mul", message: "t_mul must be finite and ≥ 1, got \(periodMultiplier)")
        }
        try ScheduleSettingCheck.rate(rateMultiplier, "m_mul")
        guard alpha.isFinite, alpha >= 0, alpha <= 1 else {
            throw ScheduleError(parameter: "alpha", message: "alpha must lie in [0, 1], got \(alpha)")
        }
        self.from = from
        self.steps = steps
        self.periodMultiplier = periodMultiplier
        self.rateMultiplier = rateMultiplier
        self.alpha = alpha
        self.precision = precision
    }

    /// The cycle `i` and the fraction `f` of it done at `step`.
    public func position(at step: Int) -> (cycle: Int, fraction: Double) {
        let done = Double(max(step, 0)) / Double(steps)
        if periodMultiplier == 1 {
            let cycle = done.rounded(.down)
            return (Int(cycle), done - cycle)
        }
        // Cycle i covers [S_i, S_{i+1}) with S_i = (t_mul^i − 1) / (t_mul − 1), in units of `steps`.
        func start(_ i: Int) -> Double { (pow(periodMultiplier, Double(i)) - 1) / (periodMultiplier - 1) }
        // The closed-form estimate, then exact steps; with a huge t_mul the estimate overflows to
        // infinity (once a trap in the conversion to Int), and then the loops below find the cycle.
        let estimate = (log(1 + done * (periodMultiplier - 1)) / log(periodMultiplier)).rounded(.down)
        var cycle = estimate.isFinite ? Int(min(max(estimate, 0), 1e15)) : 0
        while start(cycle + 1) <= done { cycle += 1 }
        while cycle > 0 && start(cycle) > done { cycle -= 1 }
        return (cycle, (done - start(cycle)) / pow(periodMultiplier, Double(cycle)))
    }

    public func callAsFunction(_ step: Int) -> Double {
        if precision == .single { return Double(singlePrecisionValue(at: step)) }
        let (cycle, fraction) = position(at: step)
        let cosine = 0.5 * pow(rateMultiplier, Double(cycle)) * (1 + cos(Double.pi * fraction))
        return from * ((1 - alpha) * cosine + alpha)
    }

    public var description: String {
        TextForm.call("cosine_restarts", [
            ("from", TextForm.number(from)), ("steps", String(steps)),
            ("t_mul", TextForm.number(periodMultiplier)), ("m_mul", TextForm.number(rateMultiplier)),
            ("alpha", TextForm.number(alpha)),
            ("precision", precision == .double ? nil : precision.rawValue),
        ])
    }

    /// Keras' `CosineDecayRestarts.__call__`, operation by operation, in float32.
    private func singlePrecisionValue(at step: Int) -> Float {
        let multiplier = Float(periodMultiplier)
        var fraction = Float(max(step, 0)) / Float(steps)
        let cycle: Float
        if multiplier == 1 {
            cycle = fraction.rounded(.down)
            fraction -= cycle
        } else {
            cycle = (logf(1 - fraction * (1 - multiplier)) / logf(multiplier)).rounded(.down)
            let sum = (1 - Float.power(multiplier, cycle)) / (1 - multiplier)
            fraction = (fraction - sum) / Float.power(multiplier, cycle)
        }
        let factor = Float.power(Float(rateMultiplier), cycle)
        let cosine = 0.5 * factor * (1 + Float.cosine(Float.pi * fraction))
        return Float(from) * ((1 - Float(alpha)) * cosine + Float(alpha))
    }
}
