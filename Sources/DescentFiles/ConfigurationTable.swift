/// A table of a configuration file (a TOML table or a YAML mapping): the keys in the order the
/// document gives them, each with its ``ConfigurationValue`` and the line (1-based) on which the key
/// was written. A TOML table made by a `[header]` has the header's line; a YAML key is its scalar as
/// written (`1: one` has the key "1"), never resolved.
///
/// Example: the TOML document `zeta = 1` / (blank) / `alpha.beta = 2` / `[gamma]` / `x = 3` (one item
/// a line) has `keys` `["zeta", "alpha", "gamma"]` and `lines` `["zeta": 1, "alpha": 3, "gamma": 4]`;
/// the YAML document `zeta: 1` / `alpha:` / `  beta: 2` has `keys` `["zeta", "alpha"]` and `lines`
/// `["zeta": 1, "alpha": 2]`, and `table["alpha"]` is `.table` holding `beta` = `.integer(2)`.
public struct ConfigurationTable: Equatable, Sendable {
    /// The keys, in document order.
    public private(set) var keys: [String] = []
    /// The values by key.
    public private(set) var values: [String: ConfigurationValue] = [:]
    /// The line on which each key was given.
    public private(set) var lines: [String: Int] = [:]

    public init() {}

    public subscript(key: String) -> ConfigurationValue? { values[key] }

    /// Adds `key` (the reader has checked that it is new).
    mutating func append(_ key: String, _ value: ConfigurationValue, line: Int) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        lines[key] = lines[key] ?? line
    }
}
