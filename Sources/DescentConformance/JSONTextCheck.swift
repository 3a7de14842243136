/// Finds the first place where a text is not valid JSON, by line and column, before a decoder
/// (whose Linux and macOS messages give neither) reads it; also refuses numbers beyond `Double`
/// (`1e400`, which some decoders read as infinity).
///
/// The check keeps its own stack of open brackets, so a file of 60 000 nested `[` is an error
/// at a place, not a stack overflow.
///
/// Example: for the bytes of `{"cases": [1, 2}` the problem is
/// `(line: 1, column: 16, message: "expected ',' or ']' but found '}'")`; for an empty file
/// `(line: 1, column: 1, message: "the file is empty")`.
package enum JSONTextCheck {
    package struct Problem: Equatable, Sendable, CustomStringConvertible {
        package var line: Int
        package var column: Int
        package var message: String
        package var description: String { "line \(line), column \(column): \(message)" }
    }

    private enum Expect { case value, valueOrClose, key, keyOrClose, colon, commaOrClose, end }

    /// The first problem in `bytes` (UTF-8 JSON text), or nil when it is valid JSON.
    package static func firstProblem(in bytes: [UInt8]) -> Problem? {
        var index = 0
        var stack: [UInt8] = []
        var expect = Expect.value
        func problem(_ message: String, at position: Int? = nil) -> Problem {
            let position = Swift.min(position ?? index, bytes.count)
            var line = 1, column = 1
            for byte in bytes[0..<position] {
                if byte == UInt8(ascii: "\n") { line += 1; column = 1 }
                else if byte & 0xC0 != 0x80 { column += 1 }   // count characters, not UTF-8 continuation bytes
            }
            return Problem(line: line, column: column, message: message)
        }
        func found() -> String {
            guard index < bytes.count else { return "the end of the file" }
            let byte = bytes[index]
            return byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        }
        func afterValue() { expect = stack.isEmpty ? .end : .commaOrClose }
        func isDigit(_ position: Int) -> Bool { position < bytes.count && bytes[position] >= 0x30 && bytes[position] <= 0x39 }

        while true {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
            guard index < bytes.count else {
                if expect == .end { return nil }
                if bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { return problem("the file is empty") }
                return problem("the file ends early (truncated?): expected " + (stack.last == UInt8(ascii: "{") ? "'}'" : stack.isEmpty ? "a value" : "']'"))
            }
            let byte = bytes[index]
            switch expect {
            case .value, .valueOrClose:
                if expect == .valueOrClose, byte == UInt8(ascii: "]") { stack.removeLast(); index += 1; afterValue(); continue }
                switch byte {
                case UInt8(ascii: "{"): stack.append(byte); index += 1; expect = .keyOrClose
                case UInt8(ascii: "["): stack.append(byte); index += 1; expect = .valueOrClose
                case UInt8(ascii: "\""):
                    if let failure = scanString(&index) { return problem(failure.message, at: failure.position) }
                    afterValue()
                case UInt8(ascii: "-"), 0x30...0x39:
                    let start = index
                    if bytes[index] == UInt8(ascii: "-") { index += 1 }
                    guard isDigit(index) else { return problem("expected a digit but found \(found())") }
                    if bytes[index] == 0x30 { index += 1 } else { while isDigit(index) { index += 1 } }
                    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                        index += 1
                        guard isDigit(index) else { return problem("expected a digit after '.' but found \(found())") }
                        while isDigit(index) { index += 1 }
                    }
                    if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                        index += 1
                        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                        guard isDigit(index) else { return problem("expected a digit in the exponent but found \(found())") }
                        while isDigit(index) { index += 1 }
                    }
                    let text = String(decoding: bytes[start..<index], as: UTF8.self)
                    guard let value = Double(text), value.isFinite else {
                        let shown = text.count > 40 ? String(text.prefix(30)) + "… (\(text.count) characters)" : text
                        return problem("the number \(shown) is beyond the range of a 64-bit float", at: start)
                    }
                    afterValue()
                default:
                    var matched = false
                    for word in ["true", "false", "null"] where bytes[index...].starts(with: word.utf8) {
                        index += word.utf8.count
                        matched = true
                        break
                    }
                    guard matched else { return problem("expected a value but found \(found())") }
                    afterValue()
                }
            case .key, .keyOrClose:
                if expect == .keyOrClose, byte == UInt8(ascii: "}") { stack.removeLast(); index += 1; afterValue(); continue }
                guard byte == UInt8(ascii: "\"") else { return problem("expected a \"key\" in quotes but found \(found())") }
                if let failure = scanString(&index) { return problem(failure.message, at: failure.position) }
                expect = .colon
            case .colon:
                guard byte == UInt8(ascii: ":") else { return problem("expected ':' but found \(found())") }
                index += 1
                expect = .value
            case .commaOrClose:
                let open = stack.last!
                let close = open == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
                if byte == UInt8(ascii: ",") {
                    index += 1
                    expect = open == UInt8(ascii: "[") ? .value : .key
                } else if byte == close {
                    stack.removeLast()
                    index += 1
                    afterValue()
                } else {
                    return problem("expected ',' or '\(Character(Unicode.Scalar(close)))' but found \(found())")
                }
            case .end:
                return problem("unexpected \(found()) after the end of the JSON value")
            }
        }

        /// Moves past a string starting at `index` (on its opening quote); nil when it is well formed.
        func scanString(_ index: inout Int) -> (message: String, position: Int)? {
            let start = index
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") { index += 1; return nil }
                if byte == UInt8(ascii: "\\") {
                    guard index + 1 < bytes.count else { break }
                    let escape = bytes[index + 1]
                    if escape == UInt8(ascii: "u") {
                        guard index + 5 < bytes.count,
                              bytes[(index + 2)...(index + 5)].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }) else {
                            return ("a \\u escape needs four hex digits", index)
                        }
                        index += 6
                    } else {
                        guard "\"\\/bfnrt".utf8.contains(escape) else { return ("unknown escape in a string", index) }
                        index += 2
                    }
                    continue
                }
                if byte < 0x20 { return ("a control character (byte 0x\(String(byte, radix: 16))) inside a string", index) }
                index += 1
            }
            return ("a string that never ends (the file ends early: truncated?)", start)
        }
    }
}
