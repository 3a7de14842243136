import Foundation

/// Reads a number out of a value from `JSONSerialization`, whatever form the parser gave it.
///
/// A JSON number has one form in the text (`1`, `1.0`, `1e-3`, `12345678901234567890`) but
/// several in memory: Darwin's parser yields `NSNumber`s that bridge to `Double`, while the
/// Linux parser (swift-corelibs-foundation) yields an integral `NSNumber` for `1` and `1.0`
/// alike, which `as? Double` may refuse and which even answers `is Bool` (true for 0 and 1).
/// Conformance files written by Python (`json.dumps(1.0)` is `1.0`, `json.dumps(1)` is `1`)
/// hit both. So a number is any `NSNumber` (Swift's `Int`, `Double`, `Float` bridge to one)
/// whose class is not the boolean class: `true` and `false` are not numbers.
///
/// ```swift
/// let list = try JSONSerialization.jsonObject(with: Data("[1, 1.0, 2.5, true, \"x\"]".utf8)) as! [Any]
/// list.map(JSONNumber.double)   // [1.0, 1.0, 2.5, nil, nil]
/// ```
public enum JSONNumber {
    /// The class of the parser's booleans (`__NSCFBoolean` on Darwin and Linux).
    private static let booleanClass = ObjectIdentifier(type(of: NSNumber(value: true)))

    /// The value as a `Double`, or nil when it is not a number (a boolean, a string, null, a list, missing).
    public static func double(_ value: Any?) -> Double? {
        guard let value else { return nil }
        if value is String { return nil }
        guard let number = value as? NSNumber, ObjectIdentifier(type(of: number)) != booleanClass else { return nil }
        return number.doubleValue
    }

    /// The value as an `Int` when it is a number with no fractional part that an `Int` holds
    /// (`3`, `3.0`, `-2`); nil otherwise (`2.5`, `1e30`, `true`, `"3"`).
    public static func integer(_ value: Any?) -> Int? {
        guard let double = double(value), double == double.rounded(), abs(double) < 9.0e18 else { return nil }
        return Int(double)
    }

    /// Whether the value is a JSON boolean (`true`/`false`), told apart from the numbers 1 and 0.
    public static func isBoolean(_ value: Any?) -> Bool {
        guard let value else { return false }
        if let number = value as? NSNumber { return ObjectIdentifier(type(of: number)) == booleanClass }
        return false
    }
}
