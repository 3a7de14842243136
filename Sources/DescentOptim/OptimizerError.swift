/// What went wrong in an optimizer step or configuration, naming the parameter involved.
///
/// ```swift
/// do { _ = try Adam(beta1: 1.5) }
/// catch OptimizerError.invalidHyperparameter(let name, let value, _) { print(name, value) }   // beta1 1.5
/// ```
public enum OptimizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A hyperparameter is outside its valid range; `name` is the hyperparameter, `requirement` the range.
    case invalidHyperparameter(name: String, value: Double, requirement: String)
    /// The gradient of `parameter` holds NaN or infinity; nothing was written (state nor parameters).
    case nonFiniteGradient(parameter: String)
    /// A gradient was given for a name that is not a parameter.
    case unknownGradient(parameter: String)
    /// A gradient's shape differs from its parameter's.
    case shapeMismatch(parameter: String, parameterShape: [Int], gradientShape: [Int])
    /// Restored state does not match the parameters by name: names missing from the state,
    /// names in the state that are not parameters, names whose buffers have the wrong size.
    case stateMismatch(missing: [String], unexpected: [String], wrongSize: [String])
    /// Restored state was saved by another optimizer.
    case wrongOptimizer(expected: String, found: String)
    /// `update` was called while the parameters are at the evaluation point (schedule-free);
    /// call `setEvaluationMode(false, parameters:)` first.
    case evaluationMode

    public var description: String {
        switch self {
        case let .invalidHyperparameter(name, value, requirement):
            return "invalid hyperparameter \(name) = \(value): must be \(requirement)"
        case let .nonFiniteGradient(parameter):
            return "the gradient of \(parameter) is not finite (NaN or infinity); the step was not taken"
        case let .unknownGradient(parameter):
            return "a gradient was given for \(parameter), which is not a parameter"
        case let .shapeMismatch(parameter, parameterShape, gradientShape):
            return "the gradient of \(parameter) has shape \(gradientShape), the parameter \(parameterShape)"
        case let .stateMismatch(missing, unexpected, wrongSize):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("no state for \(missing.joined(separator: ", "))") }
            if !unexpected.isEmpty { parts.append("state for unknown parameters \(unexpected.joined(separator: ", "))") }
            if !wrongSize.isEmpty { parts.append("state of the wrong size for \(wrongSize.joined(separator: ", "))") }
            return "optimizer state does not match the parameters: " + parts.joined(separator: "; ")
        case let .wrongOptimizer(expected, found):
            return "optimizer state was saved by \(found), not \(expected)"
        case .evaluationMode:
            return "update called in evaluation mode: switch the parameters back to training mode first"
        }
    }
}

/// The range checks of the optimizer rules' initialisers; each throws `OptimizerError.invalidHyperparameter`
/// naming the hyperparameter and its range. Infinity passes `positive`/`nonNegative` on purpose (Prodigy's
/// growth limit is +∞ by default); schedule settings have their own `ScheduleSettingCheck`, which demands
/// finite values and throws `ScheduleError`.
///
/// ```swift
/// try HyperparameterCheck.unitInterval(0.9, "beta1")   // passes
/// try HyperparameterCheck.unitInterval(1.0, "beta1")   // throws: invalid hyperparameter beta1 = 1.0: must be in [0, 1)
/// ```
enum HyperparameterCheck {
    static func nonNegative(_ value: Double, _ name: String) throws {
        guard value >= 0, !value.isNaN else {
            throw OptimizerError.invalidHyperparameter(name: name, value: value, requirement: "≥ 0")
        }
    }
    static func positive(_ value: Double, _ name: String) throws {
        guard value > 0, !value.isNaN else {
            throw OptimizerError.invalidHyperparameter(name: name, value: value, requirement: "> 0")
        }
    }
    /// A decay rate (beta, alpha, rho, momentum) in [0, 1).
    static func unitInterval(_ value: Double, _ name: String) throws {
        guard value >= 0, value < 1 else {
            throw OptimizerError.invalidHyperparameter(name: name, value: value, requirement: "in [0, 1)")
        }
    }
    static func closedUnitInterval(_ value: Double, _ name: String) throws {
        guard value >= 0, value <= 1 else {
            throw OptimizerError.invalidHyperparameter(name: name, value: value, requirement: "in [0, 1]")
        }
    }
}
