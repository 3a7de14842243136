/// The range momentum (SGD momentum or Adam's β₁) is cycled over, inversely to the rate:
/// `maximum` while the rate is low, `base` at the peak rate (PyTorch's `base_momentum`,
/// `max_momentum`). Text form: `momentum: [0.85, 0.95]` (base, maximum).
public struct MomentumRange: Codable, Equatable, Sendable {
    public let base: Double
    public let maximum: Double

    public init(base: Double, maximum: Double) throws {
        try ScheduleSettingCheck.finite(base, "base_momentum")
        try ScheduleSettingCheck.finite(maximum, "max_momentum")
        guard base >= 0, maximum >= 0 else {
            throw ScheduleError(parameter: base < 0 ? "base_momentum" : "max_momentum",
                                message: "momentum must be ≥ 0, got [\(base), \(maximum)]")
        }
        self.base = base
        self.maximum = maximum
    }

    var text: String { TextForm.numbers([base, maximum]) }
}
