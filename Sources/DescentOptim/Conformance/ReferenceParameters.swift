import DescentSchedules
import Foundation

/// The hyperparameters of a reference optimizer as written in a JSON case (`{"lr": 0.01, "betas": [0.9, 0.999]}`),
/// read by name; every key must be read or be known to be irrelevant, so a misspelt one is reported.
public struct ReferenceParameters {
    let values: [String: Any]
    let context: String
    private(set) var used: Set<String> = []

    /// Keys that only select an implementation in the reference and do not change the numbers.
    static let implementationOnly: Set<String> = ["foreach", "fused", "capturable", "differentiable", "log_every",
                                                  "fsdp_in_use", "slice_p", "layer_scale"]

    public init(_ values: [String: Any], context: String) {
        self.values = values
        self.context = context
    }

    func failure(_ key: String, _ message: String) -> ConformanceError {
        .invalidField(context: context, field: "params.\(TextForm.excerpt(key))", message: TextForm.excerpt(message, limit: 240))
    }

    /// A number, or `fallback` when absent or null.
    mutating func double(_ key: String, _ fallback: Double) throws -> Double {
        try optionalDouble(key) ?? fallback
    }

    mutating func optionalDouble(_ key: String) throws -> Double? {
        used.insert(key)
        guard let raw = values[key], !(raw is NSNullLike) else { return nil }
        if let number = JSONNumber.double(raw) { return number }
        if let text = raw as? String, let number = Double(text) { return number }
        throw failure(key, "expected a number, found \(raw)")
    }

    /// A whole number such as a step count; beyond ±10¹⁵ (or not whole) is an error, never a trap
    /// in the conversion to `Int` (`"warmup_steps": 1e308` once ended the process).
    mutating func integer(_ key: String, _ fallback: Int) throws -> Int {
        guard let number = try optionalDouble(key) else { return fallback }
        guard number.isFinite, number == number.rounded(), abs(number) < 1e15 else {
            throw failure(key, "expected a whole number below 10^15 in size, found \(number)")
        }
        return Int(number)
    }

    mutating func bool(_ key: String, _ fallback: Bool) throws -> Bool {
        used.insert(key)
        guard let raw = values[key], !(raw is NSNullLike) else { return fallback }
        if JSONNumber.isBoolean(raw), let flag = raw as? Bool { return flag }
        throw failure(key, "expected true or false, found \(raw)")
    }

    /// A pair such as `betas`, or `fallback`.
    mutating func pair(_ key: String, _ fallback: (Double, Double)) throws -> (Double, Double) {
        used.insert(key)
        guard let raw = values[key], !(raw is NSNullLike) else { return fallback }
        guard let list = raw as? [Any], list.count == 2,
              let first = JSONNumber.double(list[0]), let second = JSONNumber.double(list[1]) else {
            throw failure(key, "expected two numbers, found \(raw)")
        }
        return (first, second)
    }

    /// Throws if a key was never read (a hyperparameter this library does not know).
    func checkAllUsed() throws {
        for key in values.keys.sorted() where !used.contains(key) && !Self.implementationOnly.contains(key) {
            if JSONNumber.isBoolean(values[key]), let flag = values[key] as? Bool, flag == false { continue }
            throw failure(key, "unknown hyperparameter for this optimizer")
        }
    }
}

/// Marker for JSON null (NSNull) without importing Foundation's class in the signature.
protocol NSNullLike {}
