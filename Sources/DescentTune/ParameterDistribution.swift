import Foundation
/// Where a hyperparameter may lie: a float range (uniform or log-uniform), an integer range
/// (optionally log-uniform) or a list of choices — Optuna's `FloatDistribution`,
/// `IntDistribution` and `CategoricalDistribution`.
///
/// Samplers work on the *internal representation* (Optuna's `to_internal_repr`): a float is
/// itself, an integer its value as a `Double`, a choice its index; log ranges are searched on
/// the log scale (`ln x`), so `loguniform(1e-5, 1)` gives 1e-4 and 1e-1 the same density.
///
/// ```swift
/// let rate = ParameterDistribution.float(low: 1e-5, high: 1, log: true)
/// rate.contains(.float(3e-3))                 // true
/// ParameterDistribution.categorical(["adam", "sgd"]).internalValue(.choice("sgd"))   // 1
/// ```
public enum ParameterDistribution: Sendable, Equatable {
    /// Reals in `[low, high]`, uniform or (with `log`) log-uniform.
    case float(low: Double, high: Double, log: Bool)
    /// Integers in `[low, high]`, uniform or (with `log`) log-uniform.
    case int(low: Int, high: Int, log: Bool)
    /// One of the listed choices, each equally likely a priori.
    case categorical([String])

    /// Whether `value` is of this distribution's kind and inside its range.
    public func contains(_ value: ParameterValue) -> Bool {
        switch (self, value) {
        case let (.float(low, high, _), .float(x)): return x >= low && x <= high
        case let (.int(low, high, _), .int(x)): return x >= low && x <= high
        case let (.categorical(choices), .choice(x)): return choices.contains(x)
        default: return false
        }
    }

    /// `value` in the form samplers work on: the number itself, or a choice's index.
    public func internalValue(_ value: ParameterValue) -> Double? {
        switch (self, value) {
        case let (.float, .float(x)): return x
        case let (.int, .int(x)): return Double(x)
        case let (.categorical(choices), .choice(x)): return choices.firstIndex(of: x).map(Double.init)
        default: return nil
        }
    }

    /// The value of an internal representation: clipped into range, integers rounded.
    public func externalValue(_ representation: Double) -> ParameterValue {
        switch self {
        case let .float(low, high, _): return .float(Swift.min(Swift.max(representation, low), high))
        case let .int(low, high, _):
            let rounded = representation.isFinite ? representation.rounded() : Double(low)
            return .int(Int(Swift.min(Swift.max(rounded, Double(low)), Double(high))))
        case let .categorical(choices):
            let index = Int(Swift.min(Swift.max(representation.rounded(), 0), Double(choices.count - 1)))
            return .choice(choices[index])
        }
    }

    /// Whether the range is searched on the log scale.
    public var isLog: Bool {
        switch self {
        case let .float(_, _, log), let .int(_, _, log): return log
        case .categorical: return false
        }
    }

    /// The text form, as `--search` reads it: `uniform(0,1)`, `loguniform(1e-05,1)`, `int(1,8)`,
    /// `logint(16,256)`, `choice(adam,sgd)`.
    public var textForm: String {
        switch self {
        case let .float(low, high, log): return "\(log ? "loguniform" : "uniform")(\(Self.number(low)),\(Self.number(high)))"
        case let .int(low, high, log): return "\(log ? "logint" : "int")(\(low),\(high))"
        case let .categorical(choices): return "choice(\(choices.joined(separator: ",")))"
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}

/// One hyperparameter's value in a trial.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    case float(Double)
    case int(Int)
    case choice(String)

    /// The value as a number (nil for a choice).
    public var number: Double? {
        switch self {
        case let .float(x): return x
        case let .int(x): return Double(x)
        case .choice: return nil
        }
    }

    /// The value as the CLI writes it: `0.001`, `32`, `adam`.
    public var description: String {
        switch self {
        case let .float(x): return "\(x)"
        case let .int(x): return "\(x)"
        case let .choice(x): return x
        }
    }

    /// The value as a JSON-serialisable object: a number, or a string for a choice that is a word. A
    /// choice written as a number (`choice(32,64)`: "32") is the number 32, as the float and integer
    /// parameters are; a non-finite float is null (JSON has no NaN or infinity).
    public var jsonObject: Any {
        switch self {
        case let .float(x): return x.isFinite ? x : NSNull()
        case let .int(x): return x
        case let .choice(x):
            guard Self.isJSONNumber(x), let number = Double(x), number.isFinite else { return x }
            return Int(exactly: number).flatMap { x.contains(where: { ".eE".contains($0) }) ? nil : $0 } ?? number
        }
    }

    /// Whether `text` is a number as JSON writes one: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    static func isJSONNumber(_ text: String) -> Bool {
        var characters = Substring(text)
        func digits() -> Int {
            let count = characters.prefix { $0.isASCII && $0.isNumber }.count
            characters = characters.dropFirst(count)
            return count
        }
        if characters.first == "-" { characters = characters.dropFirst() }
        if characters.first == "0" {
            characters = characters.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if characters.first == "." {
            characters = characters.dropFirst()
            guard digits() > 0 else { return false }
        }
        if characters.first == "e" || characters.first == "E" {
            characters = characters.dropFirst()
            if characters.first == "+" || characters.first == "-" { characters = characters.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return characters.isEmpty
    }
}
