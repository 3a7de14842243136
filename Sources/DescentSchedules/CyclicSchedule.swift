import Foundation

/// Cyclical learning rates: the rate climbs from `low` to `high` over `up` steps and falls back
/// over `down` steps, again and again; momentum moves the opposite way.
///
/// Formula (PyTorch `CyclicLR`, Smith 2017, "Cyclical Learning Rates for Training Neural
/// Networks"). With `L = up + down`, `r = up / L`:
///
///     cycle = ⌊1 + t / L⌋,   x = 1 + t / L − cycle
///     s = x / r  if x ≤ r,  else (x − 1) / (r − 1)
///     η(t) = low + (high − low) · s · scale
///     momentum(t) = max_m − (max_m − base_m) · s · scale
///
/// where `scale` is 1 (`triangular`), `1 / 2^(cycle − 1)` (`triangular2`) or `gamma^t`
/// (`exp_range`). The cycles go on for ever. PyTorch's CyclicLR ignores the optimizer's rate and
/// starts at `base_lr` (= `low`); so does this schedule.
/// Text form: `cyclic(low: 0.001, high: 0.1, up: 5, down: 5, mode: triangular, momentum: [0.8, 0.9])`
/// (`gamma:` for exp_range; `momentum: none` when momentum is not cycled).
///
/// Example: `cyclic(low: 0.001, high: 0.1, up: 5)` gives 0.001 at step 0, 0.0406 at step 2,
/// 0.1 at step 5, 0.001 at step 10 (momentum 0.9, 0.86, 0.8, 0.9).
public struct CyclicSchedule: SerializableSchedule, Equatable {
    /// How the amplitude changes from cycle to cycle.
    public enum Mode: String, Codable, Sendable, CaseIterable {
        case triangular
        case triangular2
        case expRange = "exp_range"
    }

    public let low: Double
    public let high: Double
    public let up: Int
    public let down: Int
    public let mode: Mode
    public let gamma: Double
    public let momentumRange: MomentumRange?

    public init(low: Double, high: Double, up: Int = 2000, down: Int? = nil, mode: Mode = .triangular,
                gamma: Double = 1, momentum: MomentumRange? = try? MomentumRange(base: 0.8, maximum: 0.9)) throws {
        try ScheduleSettingCheck.rate(low, "low")
        try ScheduleSettingCheck.rate(high, "high")
        try ScheduleSettingCheck.atLeast(up, 1, "up")
        if let down { try ScheduleSettingCheck.atLeast(down, 0, "down") }
        try ScheduleSettingCheck.positive(gamma, "gamma")
        self.low = low
        self.high = high
        self.up = up
        self.down = down ?? up
        self.mode = mode
        self.gamma = gamma
        self.momentumRange = momentum
    }

    private func shape(at step: Int) -> Double {
        let t = Double(max(step, 0))
        let total = Double(up + down)
        let ratio = Double(up) / total
        let cycle = (1 + t / total).rounded(.down)
        let x = 1 + t / total - cycle
        let factor = x <= ratio ? x / ratio : (x - 1) / (ratio - 1)
        switch mode {
        case .triangular: return factor
        case .triangular2: return factor * (1 / pow(2, cycle - 1))
        case .expRange: return factor * pow(gamma, t)
        }
    }

    public var cyclesMomentum: Bool { momentumRange != nil }

    public func callAsFunction(_ step: Int) -> Double {
        low + (high - low) * shape(at: step)
    }

    public func momentum(at step: Int) -> Double? {
        guard let range = momentumRange else { return nil }
        return range.maximum - (range.maximum - range.base) * shape(at: step)
    }

    public var description: String {
        TextForm.call("cyclic", [
            ("low", TextForm.number(low)), ("high", TextForm.number(high)),
            ("up", String(up)), ("down", String(down)), ("mode", mode.rawValue),
            ("gamma", mode == .expRange ? TextForm.number(gamma) : nil),
            ("momentum", momentumRange?.text ?? "none"),
        ])
    }
}
