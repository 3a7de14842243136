/// A configuration file that ``TOMLReader`` or ``YAMLReader`` cannot read: the line and column (1-based,
/// the column counted in characters) where reading stopped, why in one line, and (YAML only) the text
/// around that place (at most about 40 characters, so that a 10 MB line is not echoed).
///
/// `kind` says whether the format itself refuses the document (`.invalid`: a syntax error, as the TOML
/// or YAML specification says) or Descent does on purpose (`.refused`: YAML that a configuration file
/// may not hold, such as a number YAML 1.1 and 1.2 read differently, several documents or an alias
/// bomb). ``YAMLReader`` sets both; ``TOMLReader`` gives every error as `.invalid` with no `near` text
/// (its reason says what Descent refuses on purpose, such as a date).
///
/// Example: the TOML `epochs = = 3` gives `line 1, column 10: a value is expected here, found '='`; the
/// YAML `epochs: [1, 2` gives `line 2, column 1: the list opened on line 1 is not closed (']' is
/// expected)`; the YAML `a: 1` / `b: 2` / `a: 3` gives `line 3, column 1: the key 'a' is given twice
/// (first on line 1) (near 'a: 3')`.
public struct ConfigurationReadError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: Equatable, Sendable {
        /// Not TOML, or not YAML.
        case invalid
        /// YAML, but not what Descent reads (the reason says why and what to write instead).
        case refused
    }

    public var line: Int
    public var column: Int
    public var reason: String
    /// The text around the place, cut; empty when there is nothing to show (and always for TOML).
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
