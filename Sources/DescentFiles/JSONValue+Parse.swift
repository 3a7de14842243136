extension JSONValue {
    /// Where and why ``parse(_:maximumDepth:)`` stopped: `offset` is the byte at which it did;
    /// `duplicateKey` is set when an object gives a key twice.
    package struct ParseError: Error, Equatable {
        package var message: String
        package var offset: Int
        package var duplicateKey: String?
    }

    /// Reads JSON text with a small strict parser that refuses nesting deeper than
    /// `maximumDepth` (so a hostile file cannot overflow the stack), a key given twice in one
    /// object, and a number beyond `Double` (`1e400`), instead of guessing.
    ///
    /// Example: `parse(Array(#"{"shape": [2, 3]}"#.utf8)[...])` is
    /// `.object(["shape": .array([.number(2), .number(3)])])`; `{"a": 1, "a": 2}` throws a
    /// `ParseError` with `duplicateKey` "a".
    package static func parse(_ bytes: ArraySlice<UInt8>, maximumDepth: Int = 64) throws -> JSONValue {
        var parser = Parser(bytes: Array(bytes), maximumDepth: maximumDepth)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else {
            throw ParseError(message: "unexpected text after the JSON value", offset: parser.index)
        }
        return value
    }

    /// The JSON text of a string (quoted and escaped), for writers that build JSON text by hand.
    package static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    private struct Parser {
        let bytes: [UInt8]
        let maximumDepth: Int
        var index = 0

        init(bytes: [UInt8], maximumDepth: Int) {
            self.bytes = bytes
            self.maximumDepth = maximumDepth
        }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        func error(_ message: String) -> ParseError { ParseError(message: message, offset: index) }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < maximumDepth else { throw error("nesting deeper than \(maximumDepth) levels") }
            guard index < bytes.count else { throw error("unexpected end of JSON") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [String: JSONValue] = [:]
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
                    let keyOffset = index
                    let key = try string()
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    index += 1
                    skipSpace()
                    let member = try value(depth: depth + 1)
                    guard members.updateValue(member, forKey: key) == nil else {
                        throw ParseError(message: "the key \(JSONValue.quoted(key)) appears twice", offset: keyOffset, duplicateKey: key)
                    }
                    skipSpace()
                    guard index < bytes.count else { throw error("unexpected end of JSON inside an object") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                index += 1
                var elements: [JSONValue] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                while true {
                    skipSpace()
                    elements.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw error("unexpected end of JSON inside an array") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true"); return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false"); return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null"); return .null
            default:
                return .number(try number())
            }
        }

        mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else {
                throw error("invalid literal")
            }
            index += expected.count
        }

        mutating func number() throws -> Double {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            var digits = 0
            while index < bytes.count, bytes[index] &- 48 < 10 { index += 1; digits += 1 }
            guard digits > 0 else { throw error("invalid value") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                var fraction = 0
                while index < bytes.count, bytes[index] &- 48 < 10 { index += 1; fraction += 1 }
                guard fraction > 0 else { throw error("invalid number") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                var exponent = 0
                while index < bytes.count, bytes[index] &- 48 < 10 { index += 1; exponent += 1 }
                guard exponent > 0 else { throw error("invalid number") }
            }
            guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)), value.isFinite else {
                throw ParseError(message: "a number beyond the range of a 64-bit float", offset: start)
            }
            return value
        }
        mutating func string() throws -> String {
            index += 1   // opening quote
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                if !raw.isEmpty { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw.removeAll() }
            }
            while true {
                guard index < bytes.count else { throw error("unterminated string") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") { index += 1; break }
                if byte < 0x20 { throw error("control character in a string") }
                if byte == UInt8(ascii: "\\") {
                    flush()
                    index += 1
                    guard index < bytes.count else { throw error("unterminated escape") }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code) {
                            // A surrogate pair: \uD83D\uDE00.
                            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                                throw error("unpaired surrogate in a string")
                            }
                            index += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in a string") }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                        scalars.append(scalar)
                    default:
                        throw error("invalid escape in a string")
                    }
                } else {
                    raw.append(byte)
                    index += 1
                }
            }
            flush()
            return String(scalars)
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count else { throw error("short \\u escape") }
            var code: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 48)
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - 87)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - 55)
                default: throw error("invalid \\u escape")
                }
                code = code * 16 + digit
                index += 1
            }
            return code
        }
    }
}

extension JSONValue.ParseError: CustomStringConvertible {
    /// The problem and the byte where it was found (1-based): `unexpected end of JSON at byte 1`.
    /// ``described(in:)`` says the line and column instead, for the text it was read from.
    package var description: String { "\(message) at byte \(offset + 1)" }

    /// The problem at its line and column (1-based, the column counted in characters) of `bytes`,
    /// the text it was read from: `{"epochs": 1,\n  "epochs": 2}` gives
    /// `line 2, column 3: the key "epochs" appears twice`.
    package func described(in bytes: [UInt8]) -> String {
        let end = Swift.min(Swift.max(offset, 0), bytes.count)
        var line = 1, column = 1
        for byte in bytes[..<end] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return "line \(line), column \(column): \(message)"
    }
}
