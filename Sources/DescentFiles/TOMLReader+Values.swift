/// The values of a TOML document: strings (four kinds), numbers, booleans, arrays and inline tables.
extension TOMLParser {
    mutating func value() throws -> ConfigurationValue {
        guard let byte = peek else { throw error("a value is expected at the end of the file") }
        switch byte {
        case UInt8(ascii: "\""):
            return .string(starts(with: "\"\"\"") ? try multilineBasicString() : try basicString())
        case UInt8(ascii: "'"):
            return .string(starts(with: "'''") ? try multilineLiteralString() : try literalString())
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "{"): return try inlineTable()
        default: return try scalar()
        }
    }

    // MARK: Arrays and inline tables

    mutating func enterNesting() throws {
        depth += 1
        if depth > TOMLReader.maximumDepth { throw error("arrays and inline tables nest more than \(TOMLReader.maximumDepth) deep") }
    }

    /// `[1, 2, 3]`: any values, newlines and comments between them, a trailing comma allowed.
    mutating func array() throws -> ConfigurationValue {
        try enterNesting()
        defer { depth -= 1 }
        advance()   // [
        var items: [ConfigurationValue] = []
        while true {
            try skipWhitespaceNewlinesAndComments()
            if peek == UInt8(ascii: "]") {
                advance()
                return .array(items)
            }
            items.append(try value())
            try skipWhitespaceNewlinesAndComments()
            switch peek {
            case UInt8(ascii: ",")?: advance()
            case UInt8(ascii: "]")?:
                advance()
                return .array(items)
            default: throw error("',' or ']' is expected in the array, found \(found())")
            }
        }
    }

    /// `{ a = 1, b.c = "x" }`: on one line, no trailing comma (TOML 1.0); closed to later additions.
    mutating func inlineTable() throws -> ConfigurationValue {
        try enterNesting()
        defer { depth -= 1 }
        advance()   // {
        let table = TOMLTableBuilder()
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            advance()
            return .table(table.table)
        }
        while true {
            skipWhitespace()
            try keyValue(into: table)
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ",")?:
                advance()
                skipWhitespace()
                if peek == UInt8(ascii: "}") { throw error("an inline table cannot end with a comma (TOML 1.0)") }
            case UInt8(ascii: "}")?:
                advance()
                return .table(table.table)
            default: throw error("',' or '}' is expected in the inline table (which stays on one line), found \(found())")
            }
        }
    }

    // MARK: Strings

    /// `"…"` with escapes, on one line.
    mutating func basicString() throws -> String {
        let start = mark
        advance()
        var text: [UInt8] = []
        while true {
            guard let byte = peek else { throw error("the string is not closed before the end of the file", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                advance()
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"): try escape(into: &text, multiline: false)
            case UInt8(ascii: "\n"): throw error("the string is not closed on its line (\"\"\" starts a multi-line string)")
            default:
                if Self.isControl(byte) && byte != UInt8(ascii: "\t") {
                    throw error("a control character (\(Self.scalarName(byte))) in a string; write it as an escape")
                }
                text.append(byte)
                advance()
            }
        }
    }

    /// `"""…"""` with escapes over several lines; a newline right after the opening quotes is dropped,
    /// and a `\` at the end of a line drops the line break and the blanks after it.
    mutating func multilineBasicString() throws -> String {
        let start = mark
        advance(3)
        if peek == UInt8(ascii: "\n") { advance() }
        var text: [UInt8] = []
        while true {
            guard let byte = peek else { throw error("the multi-line string is not closed before the end of the file", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                if try closeMultiline(quote: byte, into: &text) { return String(decoding: text, as: UTF8.self) }
            case UInt8(ascii: "\\"): try escape(into: &text, multiline: true)
            default:
                if Self.isControl(byte) && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\n") {
                    throw error("a control character (\(Self.scalarName(byte))) in a string; write it as an escape")
                }
                text.append(byte)
                advance()
            }
        }
    }

    /// `'…'`: no escapes, on one line.
    mutating func literalString() throws -> String {
        let start = mark
        advance()
        var text: [UInt8] = []
        while true {
            guard let byte = peek else { throw error("the string is not closed before the end of the file", at: start) }
            if byte == UInt8(ascii: "'") {
                advance()
                return String(decoding: text, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\n") { throw error("the string is not closed on its line (''' starts a multi-line string)") }
            if Self.isControl(byte) && byte != UInt8(ascii: "\t") {
                throw error("a control character (\(Self.scalarName(byte))) in a string")
            }
            text.append(byte)
            advance()
        }
    }

    /// `'''…'''`: no escapes, over several lines.
    mutating func multilineLiteralString() throws -> String {
        let start = mark
        advance(3)
        if peek == UInt8(ascii: "\n") { advance() }
        var text: [UInt8] = []
        while true {
            guard let byte = peek else { throw error("the multi-line string is not closed before the end of the file", at: start) }
            if byte == UInt8(ascii: "'") {
                if try closeMultiline(quote: byte, into: &text) { return String(decoding: text, as: UTF8.self) }
                continue
            }
            if Self.isControl(byte) && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\n") {
                throw error("a control character (\(Self.scalarName(byte))) in a string")
            }
            text.append(byte)
            advance()
        }
    }

    /// At a quote inside a multi-line string: one or two quotes are text; three close the string,
    /// and up to two more before them belong to it (`"""a"""""` is `a""`).
    mutating func closeMultiline(quote: UInt8, into text: inout [UInt8]) throws -> Bool {
        var count = 0
        while peek(at: count) == quote { count += 1 }
        if count < 3 {
            text.append(contentsOf: repeatElement(quote, count: count))
            advance(count)
            return false
        }
        if count > 5 { throw error("too many quotes (\(count)) where the multi-line string closes") }
        text.append(contentsOf: repeatElement(quote, count: count - 3))
        advance(count)
        return true
    }

    /// `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`, and in a multi-line string `\` at the end of a line.
    mutating func escape(into text: inout [UInt8], multiline: Bool) throws {
        let start = mark
        advance()   // \
        guard let byte = peek else { throw error("the string is not closed before the end of the file", at: start) }
        let simple: [UInt8: UInt8] = [UInt8(ascii: "b"): 0x08, UInt8(ascii: "t"): 0x09, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "f"): 0x0C,
                                      UInt8(ascii: "r"): 0x0D, UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C]
        if let replacement = simple[byte] {
            text.append(replacement)
            advance()
            return
        }
        if byte == UInt8(ascii: "u") || byte == UInt8(ascii: "U") {
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            advance()
            var code: UInt32 = 0
            for _ in 0..<count {
                guard let digit = peek.flatMap(Self.hexDigit) else {
                    throw error("\\\(byte == UInt8(ascii: "u") ? "u" : "U") needs \(count) hexadecimal digits, found \(found())", at: start)
                }
                code = code << 4 | UInt32(digit)
                advance()
            }
            guard let scalar = Unicode.Scalar(code) else {
                throw error("\\\(byte == UInt8(ascii: "u") ? "u" : "U")\(String(code, radix: 16, uppercase: true)) is not a Unicode scalar value",
                            at: start)
            }
            text.append(contentsOf: Array(String(Character(scalar)).utf8))
            return
        }
        if multiline && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")) {
            // A line-ending backslash: blanks, then the line break, then every blank and line break after it.
            skipWhitespace()
            guard peek == UInt8(ascii: "\n") else { throw error("a '\\' followed by blanks must end the line", at: start) }
            while let next = peek, next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\n") { advance() }
            return
        }
        throw error("'\\' followed by \(found()) is not a TOML escape (\\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)", at: start)
    }

    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    // MARK: Numbers, booleans, dates

    /// A number, `true`/`false`, `inf`/`nan`; a date or time is refused in words.
    mutating func scalar() throws -> ConfigurationValue {
        let start = mark
        let isDigit = { (byte: UInt8?) in byte.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }
        if (0..<4).allSatisfy({ isDigit(peek(at: $0)) }) && peek(at: 4) == UInt8(ascii: "-")
            || (0..<2).allSatisfy({ isDigit(peek(at: $0)) }) && peek(at: 2) == UInt8(ascii: ":") {
            var end = index
            while end < bytes.count, end < index + 40, !" \t\n,]}#".utf8.contains(bytes[end]) { end += 1 }
            throw error("'\(String(decoding: bytes[index..<end], as: UTF8.self))' is a date or time, which no setting takes; "
                + "write it as a quoted string if it is text")
        }
        var token: [UInt8] = []
        while let byte = peek, Self.isBareKey(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") {
            token.append(byte)
            advance()
        }
        let text = String(decoding: token, as: UTF8.self)
        if token.isEmpty { throw error("a value is expected here, found \(found())") }
        switch text {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if let value = try Self.number(token, text: text, at: start, parser: self) { return value }
        throw error("'\(text.count > 40 ? String(text.prefix(40)) + "…" : text)' is not a TOML value "
            + "(a number, true, false, a quoted string, an array or an inline table)", at: start)
    }

    /// `token` as a TOML integer or float, nil when it is neither.
    static func number(_ token: [UInt8], text: String, at start: TOMLMark, parser: TOMLParser) throws -> ConfigurationValue? {
        let plain = String(text.filter { $0 != "_" })
        let isDecimal = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if token.count > 2, token[0] == UInt8(ascii: "0"), let (radix, isDigit) = prefixedRadix(token[1]) {
            var position = 2
            guard digitGroup(token, &position, isDigit), position == token.count,
                  let magnitude = UInt64(plain.dropFirst(2), radix: radix) else { return nil }
            guard magnitude <= UInt64(Int64.max) else {
                throw parser.error("the integer '\(text)' does not fit in 64 bits", at: start)
            }
            return .integer(Int64(magnitude))
        }
        var position = 0
        if position < token.count, token[position] == UInt8(ascii: "+") || token[position] == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        guard digitGroup(token, &position, isDecimal) else { return nil }
        if position - integerStart > 1 && token[integerStart] == UInt8(ascii: "0") { return nil }   // no leading zeros
        var isFloat = false
        if position < token.count, token[position] == UInt8(ascii: ".") {
            position += 1
            guard digitGroup(token, &position, isDecimal) else { return nil }
            isFloat = true
        }
        if position < token.count, token[position] == UInt8(ascii: "e") || token[position] == UInt8(ascii: "E") {
            position += 1
            if position < token.count, token[position] == UInt8(ascii: "+") || token[position] == UInt8(ascii: "-") { position += 1 }
            guard digitGroup(token, &position, isDecimal) else { return nil }
            isFloat = true
        }
        guard position == token.count else { return nil }
        if isFloat { return Double(plain).map(ConfigurationValue.float) }
        guard let integer = Int64(plain) else { throw parser.error("the integer '\(text)' does not fit in 64 bits", at: start) }
        return .integer(integer)
    }

    static func prefixedRadix(_ byte: UInt8) -> (Int, (UInt8) -> Bool)? {
        switch byte {
        case UInt8(ascii: "x"): return (16, { hexDigit($0) != nil })
        case UInt8(ascii: "o"): return (8, { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") })
        case UInt8(ascii: "b"): return (2, { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") })
        default: return nil
        }
    }

    /// One or more digits with single `_` between digits; moves `position` past them.
    static func digitGroup(_ token: [UInt8], _ position: inout Int, _ isDigit: (UInt8) -> Bool) -> Bool {
        guard position < token.count, isDigit(token[position]) else { return false }
        position += 1
        while position < token.count {
            if isDigit(token[position]) {
                position += 1
            } else if token[position] == UInt8(ascii: "_"), position + 1 < token.count, isDigit(token[position + 1]) {
                position += 2
            } else {
                break
            }
        }
        return true
    }
}
