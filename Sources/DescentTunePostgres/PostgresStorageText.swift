import Foundation

/// What every build knows about a `postgres://` storage text, with or without the `PostgreSQL`
/// package trait: whether a text names PostgreSQL, whether this build can open it, and the text
/// with its password hidden for messages.
///
/// ```swift
/// PostgresStorageText.names("postgres://u:p@h/d")        // true
/// PostgresStorageText.redact("postgres://u:p%40ss@h:5432/d")  // "postgres://u:***@h:5432/d"
/// PostgresStorageText.isAvailable   // false unless built with `--traits PostgreSQL`
/// ```
public enum PostgresStorageText {
    /// Whether this build carries PostgreSQL storage (the package's `PostgreSQL` trait).
    public static var isAvailable: Bool {
        #if PostgreSQL
        return true
        #else
        return false
        #endif
    }

    /// How to get a build that has it, for messages.
    public static let howToEnable = "this descent was built without PostgreSQL storage; build it with "
        + "`swift build -c release --traits PostgreSQL` (or `swift run -c release --traits PostgreSQL descent …`)"

    /// Whether `text` is a PostgreSQL URL (`postgres://` or `postgresql://`).
    public static func names(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// `url` with any password replaced by `***`; a text that is not a URL has whatever sits between
    /// `://user:` and `@` hidden.
    public static func redact(_ url: String) -> String {
        guard let components = URLComponents(string: url), components.password != nil else {
            if let regex = try? NSRegularExpression(pattern: "(://[^:/@]*:)[^@]*@") {
                return regex.stringByReplacingMatches(in: url, range: NSRange(url.startIndex..., in: url), withTemplate: "$1***@")
            }
            return url
        }
        var redacted = components
        redacted.password = "***"
        return redacted.string?.replacingOccurrences(of: "%2A%2A%2A", with: "***") ?? url
    }
}
