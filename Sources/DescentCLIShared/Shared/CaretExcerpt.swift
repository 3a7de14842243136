/// The two lines under an error in a text the user typed: the text (or, when long, the part
/// around the problem) and a caret under the problem's column.
///
/// Example: `CaretExcerpt.lines("cosine(to: 1e-5, stepz: 10)", column: 18)` is
/// "  cosine(to: 1e-5, stepz: 10)\n                   ^\n". A 60 000-character text shows at most
/// 80 characters around the column, with "…" where it was cut, so an error never floods the terminal.
package enum CaretExcerpt {
    static let width = 80

    /// `text` as an error message echoes it: whole up to 80 characters, else its first 60, "…" and
    /// its length. Example: a 100 000-digit token shows as 60 digits, then "… (100000 characters)".
    package static func cut(_ text: String) -> String {
        text.count > width ? String(text.prefix(60)) + "… (\(text.count) characters)" : text
    }

    /// `message` with every quoted value longer than 80 characters cut (``cut(_:)``):
    /// ArgumentParser echoes a bad value whole ("The value '999…' is invalid for '--epochs'"), and a
    /// 100 000-character value must not come back twice on the terminal.
    package static func cutEchoes(_ message: String) -> String {
        guard message.count > CaretExcerpt.width else { return message }
        return message.split(separator: "'", omittingEmptySubsequences: false).enumerated()
            .map { index, part in index % 2 == 1 ? CaretExcerpt.cut(String(part)) : String(part) }
            .joined(separator: "'")
    }

    package static func lines(_ text: String, column: Int) -> String {
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
