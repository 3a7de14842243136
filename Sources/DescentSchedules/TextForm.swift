/// Printing helpers for the schedules' text forms (see ``ScheduleParser`` for the language).
package enum TextForm {
    /// `text` as an error message echoes it: whole up to `limit` characters, else its start, "…"
    /// and how long it was, so a 100 000-digit token does not flood the terminal.
    /// Example: `excerpt(String(repeating: "9", count: 100_000))` is "99…9… (100000 characters)"
    /// with 60 nines.
    package static func excerpt(_ text: String, limit: Int = 80) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit * 3 / 4)) + "… (\(text.count) characters)"
    }

    /// Shortest text that reads back as the same `Double` (Swift's own round-trip formatting).
    static func number(_ value: Double) -> String { "\(value)" }

    static func numbers(_ values: [Double]) -> String {
        "[" + values.map(number).joined(separator: ", ") + "]"
    }

    static func integers(_ values: [Int]) -> String {
        "[" + values.map(String.init).joined(separator: ", ") + "]"
    }

    /// `name(label: value, ...)`; arguments whose value is `nil` are left out.
    static func call(_ name: String, _ arguments: [(String, String?)]) -> String {
        let listed = arguments.compactMap { label, value in value.map { "\(label): \($0)" } }
        return "\(name)(" + listed.joined(separator: ", ") + ")"
    }
}
