import Foundation

/// Warmup–stable–decay (WSD, "trapezoidal"): a linear warmup to `peak`, a long stable phase at
/// `peak`, and a cool-down to `to` over the last `decay` steps.
///
/// Source: Hu et al. 2024 ("MiniCPM"), Hägele et al. 2024 ("Scaling Laws and Compute-Optimal
/// Training beyond Fixed Training Durations", which introduced the 1−sqrt cool-down).
/// With `N = steps`, `W = warmup`, `D = decay` and `p = (t − (N − D)) / D` in the cool-down:
///
///     t < W:          from + (peak − from) · t / W
///     t < N − D:      peak
///     t < N:          linear: peak + (to − peak) · p
///                     cosine: to + (peak − to) · (1 + cos(π p)) / 2
///                     sqrt:   to + (peak − to) · (1 − √p)
///     t ≥ N:          to
///
/// Text form: `wsd(peak: 0.1, steps: 1000, warmup: 50, decay: 200, shape: sqrt)` (`from:`, `to:`
/// default to 0). Bare `wsd` peaks at the base rate, warms up over the first 5 % of the run and
/// cools down linearly over the last 20 %.
///
/// Example: `wsd(peak: 0.1, steps: 100, warmup: 10, decay: 20, shape: linear)` gives 0.0 at step 0,
/// 0.05 at step 5, 0.1 at steps 10…80, 0.05 at step 90, 0.005 at step 99, 0.0 from step 100 on.
public struct WarmupStableDecaySchedule: SerializableSchedule, Equatable {
    /// The shape of the cool-down.
    public enum Shape: String, Codable, Sendable, CaseIterable {
        case linear, cosine, sqrt
    }

    public let peak: Double
    public let steps: Int
    public let warmup: Int
    public let decay: Int
    public let from: Double
    public let to: Double
    public let shape: Shape

    public init(peak: Double, steps: Int, warmup: Int, decay: Int, from: Double = 0, to: Double = 0,
                shape: Shape = .linear) throws {
        try ScheduleSettingCheck.rate(peak, "peak")
        try ScheduleSettingCheck.atLeast(steps, 1, "steps")
        try ScheduleSettingCheck.atLeast(warmup, 0, "warmup")
        try ScheduleSettingCheck.atLeast(decay, 0, "decay")
        try ScheduleSettingCheck.rate(from, "from")
        try ScheduleSettingCheck.rate(to, "to")
        guard warmup <= steps else {
            throw ScheduleError(parameter: "warmup", message: "warmup (\(warmup) steps) is longer than the run (\(steps) steps)")
        }
        guard warmup + decay <= steps else {
            throw ScheduleError(parameter: "decay",
                message: "warmup + decay (\(warmup) + \(decay) steps) is longer than the run (\(steps) steps)")
        }
        self.peak = peak
        self.steps = steps
        self.warmup = warmup
        self.decay = decay
        self.from = from
        self.to = to
        self.shape = shape
    }

    public func callAsFunction(_ step: Int) -> Double {
        let step = max(step, 0)
        if step < warmup { return from + (peak - from) * Double(step) / Double(warmup) }
        if step < steps - decay { return peak }
        if step >= steps { return to }
        let p = Double(step - (steps - decay)) / Double(decay)
        switch shape {
        case .linear: return peak + (to - peak) * p
        case .cosine: return to + (peak - to) * (1 + cos(Double.pi * p)) / 2
        case .sqrt: return to + (peak - to) * (1 - p.squareRoot())
        }
    }

    public var length: Int? { steps }

    public var description: String {
        TextForm.call("wsd", [
            ("peak", TextForm.number(peak)), ("steps", String(steps)), ("warmup", String(warmup)),
            ("decay", String(decay)), ("from", TextForm.number(from)), ("to", TextForm.number(to)),
            ("shape", shape.rawValue),
        ])
    }
}
