/// A value of a TOML 1.0 document as ``TOMLReader`` reads it: text, a 64-bit integer, a float, a
/// boolean, an array (of any values, as TOML 1.0 allows) or a table. Dates and times are refused by
/// the reader (no Descent setting takes one), so they have no case here.
///
/// Example: `hidden = [64, 32]` is the key `hidden` with `.array([.integer(64), .integer(32)])`, and
/// `[optimizer]` followed by `name = "sgd"` is the key `optimizer` with a `.table` holding `name`.
public enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    /// "a string", "an integer", … for messages.
    public var kindDescription: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}

/// A TOML table: keys in the order the document gives them, each with its value and the line
/// (1-based) on which the key was written (for a table made by a `[header]`, the header's line).
public struct TOMLTable: Equatable, Sendable {
    /// The keys, in document order.
    public private(set) var keys: [String] = []
    /// The values by key.
    public private(set) var values: [String: TOMLValue] = [:]
    /// The line on which each key was given.
    public private(set) var lines: [String: Int] = [:]

    public init() {}

    public subscript(key: String) -> TOMLValue? { values[key] }

    /// Adds `key` (the reader has checked that it is new).
    mutating func append(_ key: String, _ value: TOMLValue, line: Int) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        lines[key] = lines[key] ?? line
    }
}

/// A TOML document that cannot be read: the line and column (1-based, the column counted in
/// characters) where reading stopped, and why, in one line.
///
/// Example: `epochs = = 3` gives `line 1, column 10: a value is expected here, found '='`.
public struct TOMLError: Error, Equatable, CustomStringConvertible, Sendable {
    public var line: Int
    public var column: Int
    public var reason: String

    public init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "line \(line), column \(column): \(reason)" }
}
