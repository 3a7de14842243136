import DescentFiles
import DescentSchedules

/// Reads a reference library's parameters by their own names (`T_max`, `pct_start`, `betas`, …),
/// with the library's defaults; every error names the parameter, and every given parameter must
/// be read (``finish()``), so a misspelt one is reported rather than ignored.
///
/// The same reader serves schedules and optimizers; its ``Owner`` says whose parameters they are,
/// which decides the error (a `ScheduleError` naming the library's parameter, or a
/// ``ConformanceError`` naming `params.KEY` of a case) and which keys may go unread.
///
/// Example:
///
///     var reader = ReferenceParameters(["T_max": 30, "eta_min": 0.001], owner: .schedule("CosineAnnealingLR"))
///     try reader.integer("T_max")                // 30
///     try reader.number("eta_min", default: 0)   // 0.001
///     try reader.finish()                        // every parameter was read
public struct ReferenceParameters {
    /// Whose parameters these are.
    public enum Owner: Sendable {
        /// A schedule or controller of a reference library, by its name (`StepLR`).
        case schedule(String)
        /// An optimizer of a conformance case; `context` names the file and case.
        case optimizer(context: String)
    }

    public let values: [String: JSONValue]
    public let owner: Owner
    private(set) var used: Set<String> = []

    /// Optimizer keys that only select an implementation in the reference and do not change the numbers.
    static let implementationOnly: Set<String> = ["foreach", "fused", "capturable", "differentiable", "log_every",
                                                  "fsdp_in_use", "slice_p", "layer_scale"]

    public init(_ values: [String: JSONValue], owner: Owner) {
        self.values = values
        self.owner = owner
    }

    /// The error for parameter `name`; the message ends with the value as given, cut, so a
    /// 100 000-item list does not flood the terminal.
    func error(_ name: String, _ message: String) -> any Error {
        switch owner {
        case .schedule(let schedule):
            return ScheduleError(parameter: name, message: "\(schedule): parameter '\(name)' \(TextForm.excerpt(message, limit: 240))")
        case .optimizer(let context):
            return ConformanceError.invalidField(context: context, field: "params.\(TextForm.excerpt(name))",
                                                 message: TextForm.excerpt(message, limit: 240))
        }
    }

    /// Accepts a parameter Descent has no use for (e.g. Keras' `name`).
    mutating func ignore(_ name: String) { used.insert(name) }

    /// The value of `name`, marked as read; nil when it is absent or null.
    mutating func value(_ name: String) -> JSONValue? {
        used.insert(name)
        guard let value = values[name], value != .null else { return nil }
        return value
    }

    mutating func optionalNumber(_ name: String) throws -> Double? {
        guard let value = value(name) else { return nil }
        guard let number = value.number else { throw error(name, "must be a number, got \(value)") }
        guard number.isFinite else { throw error(name, "must be finite, got \(number)") }
        return number
    }

    mutating func number(_ name: String, default fallback: Double? = nil) throws -> Double {
        if let number = try optionalNumber(name) { return number }
        guard let fallback else { throw error(name, "is missing") }
        return fallback
    }

    /// A whole number such as a step count; beyond ±10¹⁵ (or not whole) is an error, never a trap
    /// in the conversion to `Int` (`"warmup_steps": 1e308` once ended the process).
    mutating func optionalInteger(_ name: String) throws -> Int? {
        guard let number = try optionalNumber(name) else { return nil }
        guard number == number.rounded(), abs(number) < 1e15 else { throw error(name, "must be a whole number below 10^15 in size, got \(number)") }
        return Int(number)
    }

    mutating func integer(_ name: String, default fallback: Int? = nil) throws -> Int {
        if let integer = try optionalInteger(name) { return integer }
        guard let fallback else { throw error(name, "is missing") }
        return fallback
    }

    mutating func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let value = value(name) else { return fallback }
        guard let bool = value.bool else { throw error(name, "must be true or false, got \(value)") }
        return bool
    }

    mutating func string(_ name: String, default fallback: String? = nil, allowed: [String]) throws -> String {
        guard let value = value(name) else {
            guard let fallback else { throw error(name, "is missing") }
            return fallback
        }
        guard let string = value.string, allowed.contains(string) else {
            throw error(name, "must be one of " + allowed.map { "'\($0)'" }.joined(separator: ", ") + ", got \(value)")
        }
        return string
    }

    /// A pair such as Adam's `betas`, or `fallback`.
    mutating func pair(_ name: String, default fallback: (Double, Double)) throws -> (Double, Double) {
        guard let value = value(name) else { return fallback }
        guard let list = value.array, list.count == 2, let first = list[0].number, let second = list[1].number else {
            throw error(name, "must be two numbers, got \(value)")
        }
        return (first, second)
    }

    mutating func integers(_ name: String) throws -> [Int] {
        used.insert(name)
        guard let value = values[name] else { throw error(name, "is missing") }
        guard let array = value.array else { throw error(name, "must be a list of whole numbers, got \(value)") }
        return try array.map { item in
            guard let number = item.number, number == number.rounded(), abs(number) < 1e15 else {
                throw error(name, "must be a list of whole numbers, got \(value)")
            }
            return Int(number)
        }
    }

    mutating func array(_ name: String) throws -> [JSONValue] {
        used.insert(name)
        guard let value = values[name] else { throw error(name, "is missing") }
        guard let array = value.array else { throw error(name, "must be a list, got \(value)") }
        return array
    }

    /// Every given parameter must have been read; reports the first that was not. An optimizer's
    /// implementation switches (``implementationOnly``) and options left `false` may go unread.
    func finish() throws {
        for name in values.keys.sorted() where !used.contains(name) {
            switch owner {
            case .schedule(let schedule):
                throw error(name, "is not a parameter Descent knows for \(schedule)")
            case .optimizer:
                if Self.implementationOnly.contains(name) || values[name] == .bool(false) { continue }
                throw error(name, "is not a hyperparameter Descent knows for this optimizer")
            }
        }
    }
}
