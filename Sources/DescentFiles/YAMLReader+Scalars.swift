/// Scalars as YAML 1.2 writes them (chapters 7 and 8): plain text folded over lines, single- and
/// double-quoted text with its escapes, and literal (`|`) and folded (`>`) block scalars with their
/// chomping and indentation indicators. Folding: a single line break between two lines of text is
/// a space, each further empty line a line break, and blanks around a break are dropped.
extension YAMLParser {
    // MARK: Plain

    /// A plain scalar from the current place. In block context its continuation lines are indented at
    /// least `minimumIndent`; `moved` says that reading ended at a later line's content (else it
    /// ended on its last line, before blanks, a comment, or ':'). In flow context it ends before the
    /// blanks that follow it.
    mutating func plainScalar(minimumIndent: Int, flow: Bool) throws -> (text: String, moved: Bool) {
        var text: [UInt8] = []
        var pending: [UInt8] = []
        var endOfText = mark
        while true {
            let runStart = index
            while let byte = peek {
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") { break }
                if byte == UInt8(ascii: ":") {
                    let next = peek(at: 1)
                    if Self.isBlankOrEnd(next) || (flow && next.map(Self.isFlowIndicator) == true) { break }
                }
                if flow && Self.isFlowIndicator(byte) { break }
                advance()
            }
            if index == runStart { break }
            text += pending
            text += bytes[runStart..<index]
            pending = []
            endOfText = mark
            let blankStart = index
            if flow { skipSpaces() } else { try skipBlockSpaces() }
            guard let byte = peek else { break }
            if byte == UInt8(ascii: "#") { break }
            if byte != UInt8(ascii: "\n") {
                pending = Array(bytes[blankStart..<index])
                continue
            }
            // A line break: does the text go on, on a later line?
            var probe = index + 1
            var breaks = 0
            var continues = false
            var contentAt = probe
            var tabbed = false   // a tab in a continuation line's indentation ends the text (and is refused after it)
            while probe <= bytes.count {
                let lineBegin = probe
                var spaces = 0
                while probe < bytes.count, bytes[probe] == UInt8(ascii: " ") { probe += 1; spaces += 1 }
                while probe < bytes.count, bytes[probe] == UInt8(ascii: " ") || bytes[probe] == UInt8(ascii: "\t") {
                    if bytes[probe] == UInt8(ascii: "\t") { tabbed = true }
                    probe += 1
                }
                if probe >= bytes.count { break }
                if bytes[probe] == UInt8(ascii: "\n") {
                    breaks += 1
                    probe += 1
                    continue
                }
                let marker = probe == lineBegin && probe + 3 <= bytes.count
                    && (bytes[probe..<probe + 3].elementsEqual("---".utf8) || bytes[probe..<probe + 3].elementsEqual("...".utf8))
                    && (probe + 3 == bytes.count || Self.isBlankOrEnd(bytes[probe + 3]))
                let comment = bytes[probe] == UInt8(ascii: "#")
                continues = !marker && !comment && (flow || (spaces >= minimumIndent && !tabbed))
                contentAt = probe
                break
            }
            if !continues { break }
            advance(contentAt - index)
            pending = breaks == 0 ? [UInt8(ascii: " ")] : Array(repeating: UInt8(ascii: "\n"), count: breaks)
        }
        var moved = false
        if flow {
            restore(endOfText)
        } else if line > endOfText.line {
            moved = true   // at a later line's content, which does not go on with the text
        } else if peek == UInt8(ascii: "\n") {
            advance()
            _ = try nextLine()
            moved = true
        }
        return (String(decoding: text, as: UTF8.self), moved)
    }

    /// Goes back to `place` (no further than the current place, so line counts stay right).
    mutating func restore(_ place: YAMLMark) {
        index = place.index
        line = place.line
        lineStart = place.lineStart
    }

    /// Whether `byte` may begin a plain scalar (`-`, `?` and `:` only when text follows them).
    static func canStartPlain(_ byte: UInt8, next: UInt8?, flow: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            return !isBlankOrEnd(next) && !(flow && next.map(isFlowIndicator) == true)
        case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"),
             UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
             UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), UInt8(ascii: " "), UInt8(ascii: "\t"),
             UInt8(ascii: "\n"):
            return false
        default:
            return true
        }
    }

    static func isFlowIndicator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "{")
            || byte == UInt8(ascii: "}")
    }

    // MARK: Quoted

    /// A single- or double-quoted scalar, its quotes taken.
    mutating func quotedScalar() throws -> String {
        let start = mark
        let quote = bytes[index]
        let double = quote == UInt8(ascii: "\"")
        advance()
        var text: [UInt8] = []
        while true {
            guard let byte = peek else {
                throw error("the quoted text opened on line \(start.line), column \(start.index - start.lineStart + 1) is not closed")
            }
            if byte == quote {
                if !double, peek(at: 1) == quote {
                    text.append(quote)
                    advance(2)
                    continue
                }
                advance()
                return String(decoding: text, as: UTF8.self)
            }
            if double, byte == UInt8(ascii: "\\") {
                try escape(into: &text)
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") {
                let blankStart = index
                skipSpaces()
                if peek == UInt8(ascii: "\n") {
                    advance()
                    let breaks = try foldedBreaks(opened: start)
                    text += breaks.isEmpty ? [UInt8(ascii: " ")] : breaks
                } else {
                    text += bytes[blankStart..<index]
                }
            } else {
                text.append(byte)
                advance()
            }
        }
    }

    /// After a line break inside quoted text: the empty lines (one LF each) and the next line's leading blanks.
    mutating func foldedBreaks(opened start: YAMLMark) throws -> [UInt8] {
        var breaks: [UInt8] = []
        while true {
            if atMarker("---") || atMarker("...") {
                throw error("a document marker inside the quoted text opened on line \(start.line)")
            }
            skipSpaces()
            guard peek == UInt8(ascii: "\n") else { return breaks }
            breaks.append(UInt8(ascii: "\n"))
            advance()
        }
    }

    /// `\…` in double quotes: YAML's escapes (`\0 \a \b \t \n \v \f \r \e \  \" \/ \\ \N \_ \L \P \xXX \uXXXX \UXXXXXXXX`)
    /// and an escaped line break (the text goes on with no space).
    mutating func escape(into text: inout [UInt8]) throws {
        let start = mark
        advance()
        guard let letter = peek else { throw error("the quoted text is not closed") }
        func append(_ scalar: UInt32) { text += Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8) }
        let simple: [UInt8: UInt32] = [
            UInt8(ascii: "0"): 0, UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "t"): 9, UInt8(ascii: "\t"): 9,
            UInt8(ascii: "n"): 10, UInt8(ascii: "v"): 11, UInt8(ascii: "f"): 12, UInt8(ascii: "r"): 13, UInt8(ascii: "e"): 27,
            UInt8(ascii: " "): 32, UInt8(ascii: "\""): 34, UInt8(ascii: "/"): 47, UInt8(ascii: "\\"): 92,
            UInt8(ascii: "N"): 0x85, UInt8(ascii: "_"): 0xA0, UInt8(ascii: "L"): 0x2028, UInt8(ascii: "P"): 0x2029,
        ]
        if let scalar = simple[letter] {
            advance()
            append(scalar)
            return
        }
        if letter == UInt8(ascii: "\n") {
            advance()
            text += try foldedBreaks(opened: start)
            return
        }
        let digits: Int
        switch letter {
        case UInt8(ascii: "x"): digits = 2
        case UInt8(ascii: "u"): digits = 4
        case UInt8(ascii: "U"): digits = 8
        default:
            throw error("'\\' followed by \(found()) is not a YAML escape (\\0 \\a \\b \\t \\n \\v \\f \\r \\e \\\" \\/ \\\\ \\N \\_ \\L \\P "
                + "\\xXX \\uXXXX \\UXXXXXXXX)", at: start)
        }
        advance()
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let byte = peek, let digit = Self.hexValue(byte) else {
                throw error("'\\\(Character(Unicode.Scalar(letter)))' needs \(digits) hexadecimal digits, found \(found())")
            }
            value = value * 16 + UInt32(digit)
            advance()
        }
        guard Unicode.Scalar(value) != nil else {
            throw error("'\\\(Character(Unicode.Scalar(letter)))' names no Unicode character (U+\(String(value, radix: 16, uppercase: true)))",
                        at: start)
        }
        append(value)
    }

    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }

    // MARK: Block scalars

    /// `|` or `>` with its indicators, and its lines (those indented at least the content's
    /// indentation, and empty ones). Leaves the place at the start of the first line after it.
    mutating func blockScalar(parent: Int) throws -> String {
        let folded = peek == UInt8(ascii: ">")
        advance()
        var chomping = 0   // -1 strip, 0 clip, +1 keep
        var increment: Int?
        for _ in 0..<2 {
            guard let byte = peek else { break }
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
                if chomping != 0 { throw error("a block scalar takes one chomping indicator ('-' or '+')") }
                chomping = byte == UInt8(ascii: "-") ? -1 : 1
                advance()
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if increment != nil { throw error("a block scalar takes one indentation indicator") }
                if byte == UInt8(ascii: "0") { throw error("a block scalar's indentation indicator is 1 to 9, not 0") }
                increment = Int(byte - UInt8(ascii: "0"))
                advance()
            }
        }
        let beforeBlanks = index
        try skipBlockSpaces()
        if peek == UInt8(ascii: "#") {
            if index == beforeBlanks { throw error("a comment needs a blank before its '#'") }
            while let byte = peek, byte != UInt8(ascii: "\n") { advance() }
        }
        if let byte = peek {
            guard byte == UInt8(ascii: "\n") else {
                throw error("the end of the line is expected after the block scalar's indicators, found \(found())")
            }
            advance()
        }
        let minimumIndent = Swift.max(parent + 1, 1)
        var indent: Int
        var breaks: [UInt8]
        if let increment {
            indent = minimumIndent + increment - 1
            breaks = blockBreaks(indent: indent)
        } else {
            breaks = []
            var deepest = 0
            while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") {
                if byte == UInt8(ascii: "\n") {
                    breaks.append(byte)
                    advance()
                } else {
                    advance()
                    deepest = Swift.max(deepest, index - lineStart)
                }
            }
            indent = Swift.max(minimumIndent, deepest)
        }
        var chunks: [UInt8] = []
        var lineBreak: [UInt8] = []
        while index - lineStart == indent, !atEnd {
            chunks += breaks
            let leadingNonSpace = peek != UInt8(ascii: " ") && peek != UInt8(ascii: "\t")
            let start = index
            while let byte = peek, byte != UInt8(ascii: "\n") { advance() }
            chunks += bytes[start..<index]
            lineBreak = peek == UInt8(ascii: "\n") ? [UInt8(ascii: "\n")] : []
            advance()
            breaks = blockBreaks(indent: indent)
            guard index - lineStart == indent, !atEnd else { break }
            if folded, !lineBreak.isEmpty, leadingNonSpace, peek != UInt8(ascii: " "), peek != UInt8(ascii: "\t") {
                if breaks.isEmpty { chunks.append(UInt8(ascii: " ")) }
            } else {
                chunks += lineBreak
            }
        }
        if chomping != -1 { chunks += lineBreak }
        if chomping == 1 { chunks += breaks }
        if !atEnd { index = lineStart }
        return String(decoding: chunks, as: UTF8.self)
    }

    /// Empty lines before a block scalar's next line: one LF each; the place ends at that line's
    /// content or at `indent` spaces into it.
    mutating func blockBreaks(indent: Int) -> [UInt8] {
        var breaks: [UInt8] = []
        while index - lineStart < indent, peek == UInt8(ascii: " ") { advance() }
        while peek == UInt8(ascii: "\n") {
            breaks.append(UInt8(ascii: "\n"))
            advance()
            while index - lineStart < indent, peek == UInt8(ascii: " ") { advance() }
        }
        return breaks
    }
}
