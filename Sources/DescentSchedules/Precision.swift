import Foundation

/// The arithmetic a schedule's formula is evaluated in.
///
/// `double` (the default) is exact to about 1e-16. `single` evaluates the formula in 32-bit
/// floats step by step as JAX does by default, so that a schedule built from an Optax description
/// reproduces Optax's values where the formula loses precision (near the end of a cosine,
/// `1 + cos(π t / T)` cancels: Optax's float32 value there differs from the exact one by ~1e-6
/// relative). Text form: `precision: single`.
public enum Precision: String, Codable, Sendable, CaseIterable {
    case double
    case single
}

/// The few functions the schedules' formulas need, for `Float` and `Double`.
protocol ScheduleArithmetic: BinaryFloatingPoint {
    static func cosine(_ x: Self) -> Self
    static func power(_ x: Self, _ y: Self) -> Self
}

extension Double: ScheduleArithmetic {
    static func cosine(_ x: Double) -> Double { cos(x) }
    static func power(_ x: Double, _ y: Double) -> Double { pow(x, y) }
}

extension Float: ScheduleArithmetic {
    static func cosine(_ x: Float) -> Float { cos(x) }
    static func power(_ x: Float, _ y: Float) -> Float { pow(x, y) }
}
