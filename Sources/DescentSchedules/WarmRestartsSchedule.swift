import Foundation

/// Cosine annealing with warm restarts: cycles of `period`, `period·multiplier`, … steps, each
/// falling from `from` to `to` and restarting at `from`.
///
/// Formula (PyTorch `CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)`, Loshchilov & Hutter 2017):
/// with `T_i` the length of the current cycle and `T_cur` the steps since it began,
///
///     η(t) = to + (from − to) · (1 + cos(π T_cur / T_i)) / 2
///
/// The cycle is found with integer arithmetic (PyTorch uses a floating-point logarithm; the two
/// agree on every step checked). Restarts go on for ever. Text form:
/// `restarts(from: 0.1, to: 0.0001, period: 10, multiplier: 2)`.
///
/// Example: that text form restarts at steps 10, 30, 70, 150; it gives 0.05005 at steps 5 and
/// 20 (half way through the first two cycles).
public struct WarmRestartsSchedule: SerializableSchedule, Equatable {
    public let from: Double
    public let to: Double
    public let period: Int
    public let multiplier: Int

    public init(from: Double, to: Double = 0, period: Int, multiplier: Int = 1) throws {
        try ScheduleSettingCheck.rate(from, "from")
        try ScheduleSettingCheck.rate(to, "to")
        try ScheduleSettingCheck.atLeast(period, 1, "period")
        try ScheduleSettingCheck.atLeast(multiplier, 1, "multiplier")
        self.from = from
        self.to = to
        self.period = period
        self.multiplier = multiplier
    }

    /// Steps since the current cycle began, and the cycle's length.
    public func position(at step: Int) -> (current: Int, cycle: Int) {
        let step = max(step, 0)
        if multiplier == 1 { return (step % period, period) }
        var current = step
        var cycle = period
        while current >= cycle {
            current -= cycle
            let (next, overflow) = cycle.multipliedReportingOverflow(by: multiplier)
            if overflow { break }
            cycle = next
        }
        return (current, cycle)
    }

    public func callAsFunction(_ step: Int) -> Double {
        let (current, cycle) = position(at: step)
        return to + (from - to) * (1 + cos(Double.pi * Double(current) / Double(cycle))) / 2
    }

    public var description: String {
        TextForm.call("restarts", [
            ("from", TextForm.number(from)), ("to", TextForm.number(to)), ("period", String(period)),
            ("multiplier", String(multiplier)),
        ])
    }
}
