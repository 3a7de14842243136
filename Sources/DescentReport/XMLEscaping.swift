/// Text made safe to place in XML, SVG or HTML.
///
/// `&`, `<`, `>`, `"` and `'` become entities, and characters XML 1.0 forbids (control
/// characters other than tab, newline and carriage return) are dropped, so any series name or
/// label keeps the document well-formed. Example: `XMLEscaping.escape("loss <α & β>")` is
/// `"loss &lt;α &amp; β&gt;"`.
public enum XMLEscaping {
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
