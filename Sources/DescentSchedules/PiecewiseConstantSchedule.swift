/// A rate that jumps at given steps: from step `boundaries[i]` on it is multiplied by `scales[i]`.
///
/// Formula (Optax `piecewise_constant_schedule`): `η(t) = from · Π { scales[i] : t ≥ boundaries[i] }`.
/// PyTorch's `MultiStepLR(milestones, gamma)` is `piecewise(from: base_lr, at: milestones,
/// scales: [gamma, gamma, ...])` (a repeated milestone multiplies twice, as in PyTorch).
/// Text form: `piecewise(from: 0.1, at: [10, 20], scales: [0.5, 0.1])`.
///
/// Example: that text form gives 0.1 at steps 0…9, 0.05 at 10…19, 0.005 from step 20 on.
public struct PiecewiseConstantSchedule: SerializableSchedule, Equatable {
    public let from: Double
    public let boundaries: [Int]
    public let scales: [Double]

    public init(from: Double, boundaries: [Int], scales: [Double]) throws {
        try ScheduleSettingCheck.rate(from, "from")
        guard boundaries.count == scales.count else {
            throw ScheduleError(parameter: "scales",
                message: "scales needs one value per boundary: \(boundaries.count) boundaries, \(scales.count) scales")
        }
        for boundary in boundaries { try ScheduleSettingCheck.atLeast(boundary, 0, "at") }
        try ScheduleSettingCheck.nonDecreasing(boundaries, "at")
        for scale in scales { try ScheduleSettingCheck.rate(scale, "scales") }
        self.from = from
        self.boundaries = boundaries
        self.scales = scales
    }

    public func callAsFunction(_ step: Int) -> Double {
        var value = from
        for (boundary, scale) in zip(boundaries, scales) where step >= boundary {
            value *= scale
        }
        return value
    }

    public var description: String {
        TextForm.call("piecewise", [
            ("from", TextForm.number(from)), ("at", TextForm.integers(boundaries)),
            ("scales", TextForm.numbers(scales)),
        ])
    }
}
