/// An invalid schedule setting, text form or reference description.
///
/// Every error names what was wrong: the `parameter` (a Descent name such as `steps`, or the
/// reference library's name such as `T_max` when built by `ReferenceSchedule` (DescentConformance)), and for text
/// forms the 1-based `column` where the problem starts.
///
/// Example: `try CosineDecaySchedule(from: 0.1, to: 0, steps: 0)` throws
/// `ScheduleError(parameter: "steps", message: "steps must be at least 1, got 0")`.
public struct ScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The parameter (or file field) at fault, when there is one.
    public var parameter: String?
    /// The 1-based column in a text form where the problem starts, when parsing.
    public var column: Int?
    /// What is wrong, in words.
    public var message: String

    public init(parameter: String? = nil, column: Int? = nil, message: String) {
        self.parameter = parameter
        self.column = column
        self.message = message
    }

    public var description: String {
        if let column { return "column \(column): \(message)" }
        return message
    }
}

/// The range checks of the schedules' initialisers (and of the reference adapters in DescentConformance);
/// each throws a ``ScheduleError`` naming the parameter. Every value must be finite: a schedule computes
/// with it at every step. Optimizer hyperparameters have their own `HyperparameterCheck` (OptimizerError).
///
/// ```swift
/// try ScheduleSettingCheck.rate(0.1, "peak")        // passes
/// try ScheduleSettingCheck.atLeast(0, 1, "steps")   // throws: steps must be at least 1, got 0
/// ```
package enum ScheduleSettingCheck {
    package static func rate(_ value: Double, _ name: String) throws {
        guard value.isFinite, value >= 0 else {
            throw ScheduleError(parameter: name, message: "\(name) must be a finite rate ≥ 0, got \(value)")
        }
    }

    package static func positive(_ value: Double, _ name: String) throws {
        guard value.isFinite, value > 0 else {
            throw ScheduleError(parameter: name, message: "\(name) must be finite and > 0, got \(value)")
        }
    }

    static func finite(_ value: Double, _ name: String) throws {
        guard value.isFinite else {
            throw ScheduleError(parameter: name, message: "\(name) must be finite, got \(value)")
        }
    }

    static func atLeast(_ value: Int, _ minimum: Int, _ name: String) throws {
        guard value >= minimum else {
            throw ScheduleError(parameter: name, message: "\(name) must be at least \(minimum), got \(value)")
        }
    }

    static func nonDecreasing(_ values: [Int], _ name: String) throws {
        for index in values.indices.dropFirst() where values[index] < values[index - 1] {
            throw ScheduleError(
                parameter: name,
                message: "\(name) must be in increasing order, but \(values[index]) follows \(values[index - 1])")
        }
    }

    static func fraction(_ value: Double, _ name: String) throws {
        guard value.isFinite, value > 0, value < 1 else {
            throw ScheduleError(parameter: name, message: "\(name) must lie strictly between 0 and 1, got \(value)")
        }
    }
}
