/// A value of a configuration file as ``TOMLReader`` or ``YAMLReader`` reads it: null, text, a 64-bit
/// integer, a float, a boolean, an array (a TOML array or a YAML sequence) or a table (a TOML table or
/// a YAML mapping). Both readers give this one type, so that whatever uses a configuration file
/// converts it once.
///
/// * TOML never produces `.null` (TOML has no null); dates and times are refused by the reader (no
///   Descent setting takes one), so they have no case here.
/// * YAML scalars are resolved by YAML 1.2's core schema (quoted text is always text); what YAML 1.1
///   would read otherwise is refused by the reader, not guessed. An empty value (`epochs:`) is `.null`.
///
/// Example: the TOML line `hidden = [64, 32]` and the YAML line `hidden: [64, 32]` both read as the
/// key `hidden` with `.array([.integer(64), .integer(32)])`; `[optimizer]` followed by `name = "sgd"`
/// (TOML) and `optimizer:` followed by `  name: sgd` (YAML) both read as the key `optimizer` with a
/// `.table` holding `name` = `.string("sgd")`; YAML's `rate: "0.5"` is `.string("0.5")`, its `rate:` is
/// `.null`.
public enum ConfigurationValue: Equatable, Sendable {
    /// YAML's null (`~`, `null`, or nothing after the colon); never made by TOML.
    case null
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// A TOML array or a YAML sequence (block `- x` or flow `[x]`), of any values.
    case array([ConfigurationValue])
    /// A TOML table (a `[header]`, dotted keys or an inline `{…}`) or a YAML mapping.
    case table(ConfigurationTable)

    /// The syntax a message speaks, which names the collections as its format does.
    public enum Syntax: Equatable, Sendable {
        /// "an array", "a table".
        case toml
        /// "a list", "a mapping".
        case yaml
    }

    /// "a string", "an integer", … for messages, naming the collections as `syntax` does.
    ///
    /// Example: `.array([]).kindDescription(in: .toml)` is "an array", `.array([]).kindDescription(in: .yaml)`
    /// is "a list"; `.null.kindDescription(in: .yaml)` is "null"; `.integer(3).kindDescription(in: .toml)`
    /// is "an integer" in both.
    public func kindDescription(in syntax: Syntax) -> String {
        switch self {
        case .null: return "null"
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "a boolean"
        case .array: return syntax == .toml ? "an array" : "a list"
        case .table: return syntax == .toml ? "a table" : "a mapping"
        }
    }
}
