/// A value of a YAML document as ``YAMLReader`` reads it: text, a 64-bit integer, a float, a boolean,
/// null, a sequence or a mapping. Scalars are resolved by YAML 1.2's core schema (quoted text is
/// always text); what YAML 1.1 would read otherwise is refused by the reader, not guessed.
///
/// Example: `hidden: [64, 32]` is the key `hidden` with `.sequence([.integer(64), .integer(32)])`,
/// and `rate: "0.5"` the key `rate` with `.string("0.5")`.
public enum YAMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case null
    case sequence([YAMLValue])
    case mapping(YAMLMapping)

    /// "a string", "an integer", … for messages.
    public var kindDescription: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "a boolean"
        case .null: return "null"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

/// A YAML mapping: keys (always text: a key's scalar as written, not resolved) in the order the
/// document gives them, each with its value and the line (1-based) on which the key was written.
public struct YAMLMapping: Equatable, Sendable {
    /// The keys, in document order.
    public private(set) var keys: [String] = []
    /// The values by key.
    public private(set) var values: [String: YAMLValue] = [:]
    /// The line on which each key was given.
    public private(set) var lines: [String: Int] = [:]

    public init() {}

    public subscript(key: String) -> YAMLValue? { values[key] }

    /// Adds `key` (the reader has checked that it is new).
    mutating func append(_ key: String, _ value: YAMLValue, line: Int) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        lines[key] = lines[key] ?? line
    }
}

/// A YAML document that cannot be read: the line and column (1-based, the column counted in
/// characters) where reading stopped, why in one line, and the text around that place (at most
/// about 40 characters, so that a 10 MB line is not echoed).
///
/// `kind` says whether YAML itself refuses the document (`.invalid`: a syntax error, as YAML 1.2
/// says) or Descent does on purpose (`.refused`: YAML that a configuration file may not hold, such
/// as a number YAML 1.1 and 1.2 read differently, several documents or an alias bomb).
///
/// Example: `epochs: [1, 2` gives `line 2, column 1: the list opened on line 1 is not closed
/// (']' is expected)`.
public struct YAMLError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: Equatable, Sendable {
        /// Not YAML.
        case invalid
        /// YAML, but not what Descent reads (the reason says why and what to write instead).
        case refused
    }

    public var line: Int
    public var column: Int
    public var reason: String
    /// The text around the place, cut; empty when there is nothing to show.
    public var near: String
    public var kind: Kind

    public init(line: Int, column: Int, reason: String, near: String = "", kind: Kind = .invalid) {
        self.line = line
        self.column = column
        self.reason = reason
        self.near = near
        self.kind = kind
    }

    public var description: String {
        "line \(line), column \(column): \(reason)" + (near.isEmpty ? "" : " (near '\(near)')")
    }
}
