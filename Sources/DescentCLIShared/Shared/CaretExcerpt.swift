/// The two lines under an error in a text the user typed: the text (or, when long, the part
/// around the problem) and a caret under the problem's column.
///
/// Example: `CaretExcerpt.lines("cosine(to: 1e-5, stepz: 10)", column: 18)` is
/// "  cosine(to: 1e-5, stepz: 10)\n                   ^\n". A 60 000-character text shows at most
/// 80 characters around the column, with "…" where it was cut, so an error never floods the terminal.
enum CaretExcerpt {
    static let width = 80

    /// `text` as an error message echoes it: whole up to 80 characters, else its first 60, "…" and
    /// its length. Example: a 100 000-digit token shows as 60 digits, then "… (100000 characters)".
    static func cut(_ text: String) -> String {
        text.count > width ? String(text.prefix(60)) + "… (\(text.count) characters)" : text
    }

    static func lines(_ text: String, column: Int) -> String {
        let characters = Array(text)
        let index = Swift.min(Swift.max(column - 1, 0), characters.count)
        guard characters.count > width else {
            return "  \(text)\n  " + String(repeating: " ", count: index) + "^\n"
        }
        let start = Swift.max(0, Swift.min(index - width / 2, characters.count - width))
        let end = Swift.min(characters.count, start + width)
        let prefix = start > 0 ? "…" : "", suffix = end < characters.count ? "…" : ""
        let shown = prefix + String(characters[start..<end]) + suffix
        return "  \(shown)\n  " + String(repeating: " ", count: prefix.count + index - start) + "^\n"
    }
}
