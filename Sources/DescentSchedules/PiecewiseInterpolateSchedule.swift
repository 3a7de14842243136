import Foundation

/// How a schedule moves between two values: along a straight line or half a cosine.
public enum Interpolation: String, Codable, Sendable, CaseIterable {
    /// `start + (end − start) · p`
    case linear
    /// `end + (start − end) · (1 + cos(π p)) / 2`
    case cosine

    /// The value a fraction `p` of the way from `start` to `end`.
    public func interpolate(from start: Double, to end: Double, fraction p: Double) -> Double {
        interpolate(start, end, p)
    }

    func interpolate<T: ScheduleArithmetic>(_ start: T, _ end: T, _ p: T) -> T {
        switch self {
        case .linear: return (end - start) * p + start
        case .cosine: return end + (start - end) / 2 * (T.cosine(T(Double.pi) * p) + 1)
        }
    }
}

/// Values at given steps, joined by linear or cosine interpolation.
///
/// Formula (Optax `piecewise_interpolate_schedule`): the value at boundary `b_i` is
/// `v_i = from · scales[0] · … · scales[i]` (`v` at step 0 is `from`); between boundaries
/// `b_{i−1} ≤ t < b_i` it is `interpolate(v_{i−1}, v_i, (t − b_{i−1}) / max(b_i − b_{i−1}, 1))`;
/// from the last boundary on it holds the last value.
/// Optax's `linear_onecycle_schedule` and `cosine_onecycle_schedule` are this schedule.
/// Text form: `interpolate(linear, from: 0.004, at: [12, 34, 40], scales: [25.0, 0.04, 0.0001])`.
///
/// Example: `interpolate(linear, from: 1.0, at: [10], scales: [0.5])` gives 1.0 at step 0,
/// 0.75 at step 5, 0.5 from step 10 on.
public struct PiecewiseInterpolateSchedule: SerializableSchedule, Equatable {
    public let interpolation: Interpolation
    public let from: Double
    public let boundaries: [Int]
    public let scales: [Double]
    public let precision: Precision

    public init(_ interpolation: Interpolation, from: Double, boundaries: [Int], scales: [Double],
                precision: Precision = .double) throws {
        try ScheduleSettingCheck.rate(from, "from")
        guard boundaries.count == scales.count else {
            throw ScheduleError(parameter: "scales",
                message: "scales needs one value per boundary: \(boundaries.count) boundaries, \(scales.count) scales")
        }
        for boundary in boundaries { try ScheduleSettingCheck.atLeast(boundary, 0, "at") }
        for index in boundaries.indices.dropFirst() where boundaries[index] <= boundaries[index - 1] {
            throw ScheduleError(parameter: "at",
                message: "at must be strictly increasing, but \(boundaries[index]) follows \(boundaries[index - 1])")
        }
        for scale in scales { try ScheduleSettingCheck.rate(scale, "scales") }
        self.interpolation = interpolation
        self.from = from
        self.boundaries = boundaries
        self.scales = scales
        self.precision = precision
    }

    public func callAsFunction(_ step: Int) -> Double {
        switch precision {
        case .double: return value(at: step, as: Double.self)
        case .single: return Double(value(at: step, as: Float.self))
        }
    }

    private func value<T: ScheduleArithmetic>(at step: Int, as: T.Type) -> T {
        let step = max(step, 0)
        var start = 0
        var value = T(from)
        for (boundary, scale) in zip(boundaries, scales) {
            let next = value * T(scale)
            if step >= start && step < boundary {
                let size = T(max(boundary - start, 1))
                return interpolation.interpolate(value, next, T(step - start) / size)
            }
            start = boundary
            value = next
        }
        return value
    }

    public var length: Int? { boundaries.last ?? 0 }

    public var description: String {
        "interpolate(\(interpolation.rawValue), "
            + "from: \(TextForm.number(from)), at: \(TextForm.integers(boundaries)), scales: \(TextForm.numbers(scales))"
            + (precision == .double ? ")" : ", precision: \(precision.rawValue))")
    }
}
