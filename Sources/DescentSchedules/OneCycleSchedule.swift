import Foundation

/// The one-cycle policy: warm up from `peak / divFactor` to `peak`, then anneal to
/// `peak / (divFactor · finalDivFactor)`; momentum moves the opposite way.
///
/// Formula (PyTorch `OneCycleLR`, Smith & Topin 2017, "Super-Convergence"). With `N = steps`,
/// `p = warmupFraction`, `η₀ = peak / divFactor`, `η_min = η₀ / finalDivFactor`, phases end at
///
///     two-phase:   p·N − 1  (η₀ → peak),  N − 1  (peak → η_min)
///     three-phase: p·N − 1  (η₀ → peak),  2p·N − 2  (peak → η₀),  N − 1  (η₀ → η_min)
///
/// and within a phase from step `s` to `e`, `η(t) = anneal(start, end, (t − s) / (e − s))` with
/// `anneal` ``Interpolation/cosine`` or ``Interpolation/linear``. Momentum goes `maximum → base`
/// while the rate rises and back while it falls (three-phase: it stays at `maximum` in the last phase).
///
/// Past the end: PyTorch raises after `total_steps`; Descent holds the final rate `η_min` and the
/// final momentum from step `N − 1` on.
/// Text form: `onecycle(peak: 0.1, steps: 50, warmup: 0.3, anneal: cosine, div: 25.0,
/// final_div: 10000.0, momentum: [0.85, 0.95])` (`three_phase: true` for three phases; no
/// `momentum:` when momentum is not cycled). Bare `onecycle` peaks at the base rate and spans the run.
///
/// Example: `onecycle(peak: 0.1, steps: 50)` gives 0.004 at step 0 (momentum 0.95), 0.1 at step 14
/// (momentum 0.85), 4e-7 at step 49 (momentum 0.95).
public struct OneCycleSchedule: SerializableSchedule, Equatable {
    public let peak: Double
    public let steps: Int
    public let warmupFraction: Double
    public let anneal: Interpolation
    public let divFactor: Double
    public let finalDivFactor: Double
    public let threePhase: Bool
    public let momentumRange: MomentumRange?

    public init(peak: Double, steps: Int, warmupFraction: Double = 0.3, anneal: Interpolation = .cosine,
                divFactor: Double = 25, finalDivFactor: Double = 1e4, threePhase: Bool = false,
                momentum: MomentumRange? = try? MomentumRange(base: 0.85, maximum: 0.95)) throws {
        try ScheduleSettingCheck.positive(peak, "peak")
        try ScheduleSettingCheck.atLeast(steps, 1, "steps")
        try ScheduleSettingCheck.fraction(warmupFraction, "warmup")
        try ScheduleSettingCheck.positive(divFactor, "div")
        try ScheduleSettingCheck.positive(finalDivFactor, "final_div")
        if threePhase && warmupFraction > 0.5 {
            throw ScheduleError(parameter: "warmup",
                message: "warmup must be at most 0.5 with three phases, got \(warmupFraction)")
        }
        self.peak = peak
        self.steps = steps
        self.warmupFraction = warmupFraction
        self.anneal = anneal
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
        self.threePhase = threePhase
        self.momentumRange = momentum
    }

    public var initialRate: Double { peak / divFactor }
    public var finalRate: Double { initialRate / finalDivFactor }

    private struct Phase {
        var end: Double
        var startRate: Double, endRate: Double
        var startMomentum: Double, endMomentum: Double
    }

    private var phases: [Phase] {
        let total = Double(steps)
        let high = momentumRange?.maximum ?? 0
        let low = momentumRange?.base ?? 0
        if threePhase {
            return [
                Phase(end: warmupFraction * total - 1, startRate: initialRate, endRate: peak,
                      startMomentum: high, endMomentum: low),
                Phase(end: 2 * warmupFraction * total - 2, startRate: peak, endRate: initialRate,
                      startMomentum: low, endMomentum: high),
                Phase(end: total - 1, startRate: initialRate, endRate: finalRate,
                      startMomentum: high, endMomentum: high),
            ]
        }
        return [
            Phase(end: warmupFraction * total - 1, startRate: initialRate, endRate: peak,
                  startMomentum: high, endMomentum: low),
            Phase(end: total - 1, startRate: peak, endRate: finalRate, startMomentum: low, endMomentum: high),
        ]
    }

    /// (rate, momentum) at a step, as PyTorch's `OneCycleLR.get_lr`.
    private func values(at step: Int) -> (rate: Double, momentum: Double) {
        let phases = phases
        let stepNumber = Double(min(max(step, 0), steps - 1))
        var start = 0.0
        for (index, phase) in phases.enumerated() {
            if stepNumber <= phase.end || index == phases.count - 1 {
                let span = phase.end - start
                let fraction = span > 0 ? (stepNumber - start) / span : 1
                return (anneal.interpolate(from: phase.startRate, to: phase.endRate, fraction: fraction),
                        anneal.interpolate(from: phase.startMomentum, to: phase.endMomentum, fraction: fraction))
            }
            start = phase.end
        }
        return (finalRate, momentumRange?.maximum ?? 0)
    }

    public func callAsFunction(_ step: Int) -> Double { values(at: step).rate }

    public func momentum(at step: Int) -> Double? {
        momentumRange == nil ? nil : values(at: step).momentum
    }

    public var length: Int? { steps }
    public var cyclesMomentum: Bool { momentumRange != nil }

    public var description: String {
        TextForm.call("onecycle", [
            ("peak", TextForm.number(peak)), ("steps", String(steps)),
            ("warmup", TextForm.number(warmupFraction)), ("anneal", anneal.rawValue),
            ("div", TextForm.number(divFactor)), ("final_div", TextForm.number(finalDivFactor)),
            ("three_phase", threePhase ? "true" : nil), ("momentum", momentumRange?.text ?? "none"),
        ])
    }
}
