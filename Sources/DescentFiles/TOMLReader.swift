/// Reads a TOML 1.0 document (https://toml.io/en/v1.0.0) into a ``ConfigurationTable``: comments, bare,
/// quoted and dotted keys, `[tables]` and `[[arrays of tables]]`, arrays, inline tables, basic,
/// literal and multi-line strings with every escape, decimal, hexadecimal (`0x`), octal (`0o`) and
/// binary (`0b`) integers with `_` between digits, floats with exponents, `inf` and `nan`, and
/// booleans. A key given twice and a table defined twice are refused, as TOML says. Dates and times
/// are refused in words (no Descent setting takes one), and so is an integer outside 64 bits.
///
/// Written for `descent train --config FILE.toml`; checked against Python's `tomllib` on the
/// fixtures in Tests/DescentFilesTests/Fixtures/toml.
///
/// Example: `TOMLReader.parse("epochs = 30\nhidden = [64, 32]\n")` is a table with `epochs` =
/// `.integer(30)` and `hidden` = `.array([.integer(64), .integer(32)])`; `"epochs = = 3"` throws
/// `line 1, column 10: a value is expected here, found '='`.
public enum TOMLReader {
    /// Arrays and inline tables nested deeper than this are refused (a configuration nests one or two).
    public static let maximumDepth = 100

    /// Reads `text` as one TOML document: the same ``ConfigurationValue`` that ``YAMLReader`` gives, but
    /// never `.null` (TOML has no null).
    /// - Throws: ``ConfigurationReadError`` with the line and column where reading stopped (kind
    ///   `.invalid`, no `near` text).
    public static func parse(_ text: String) throws -> ConfigurationTable {
        var bytes = Array(text.utf8)
        // As TOML (and tomllib): a CRLF line ending is a newline; a lone CR is not allowed anywhere.
        if bytes.contains(UInt8(ascii: "\r")) {
            var normalized: [UInt8] = []
            normalized.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                normalized.append(bytes[index])
                index += 1
            }
            bytes = normalized
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }   // a byte order mark
        var parser = TOMLParser(bytes: bytes)
        return try parser.document()
    }
}

/// A table while the document is read: what defined it, so that a table defined twice is refused.
final class TOMLTableBuilder {
    enum Item {
        case value(ConfigurationValue)
        case table(TOMLTableBuilder)
        case tables([TOMLTableBuilder])
    }

    var keys: [String] = []
    var items: [String: Item] = [:]
    var lines: [String: Int] = [:]
    /// Defined by a `[header]` or as an element of `[[header]]`.
    var definedByHeader = false
    /// Made by a dotted key (`a.b = 1` makes `a`).
    var definedByDottedKeys = false

    func set(_ key: String, _ item: Item, line: Int) {
        if items.updateValue(item, forKey: key) == nil {
            keys.append(key)
            lines[key] = line
        }
    }

    var table: ConfigurationTable {
        var table = ConfigurationTable()
        for key in keys {
            guard let item = items[key], let line = lines[key] else { continue }
            switch item {
            case let .value(value): table.append(key, value, line: line)
            case let .table(builder): table.append(key, .table(builder.table), line: line)
            case let .tables(builders): table.append(key, .array(builders.map { .table($0.table) }), line: line)
            }
        }
        return table
    }
}

/// A place in the document: the byte, its line and where that line starts.
struct TOMLMark {
    var index: Int
    var line: Int
    var lineStart: Int
}

/// The reader's state: the bytes (CRLF already made LF), where it is, and the table that
/// `key = value` lines go into.
struct TOMLParser {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var lineStart = 0
    var depth = 0
    let root = TOMLTableBuilder()
    var current: TOMLTableBuilder

    init(bytes: [UInt8]) {
        self.bytes = bytes
        current = root
    }

    // MARK: Document structure

    mutating func document() throws -> ConfigurationTable {
        while true {
            skipWhitespace()
            guard let byte = peek else { break }
            switch byte {
            case UInt8(ascii: "\n"): advance()
            case UInt8(ascii: "#"): try comment()
            case UInt8(ascii: "["):
                try header()
                try endOfLine(after: "the table header")
            default:
                try keyValue(into: current)
                try endOfLine(after: "the value")
            }
        }
        return root.table
    }

    /// `[a.b]` or `[[a.b]]`: the table that the next `key = value` lines go into.
    mutating func header() throws {
        advance()   // [
        let isArray = peek == UInt8(ascii: "[")
        if isArray { advance() }
        skipWhitespace()
        let parts = try keyPath()
        skipWhitespace()
        guard peek == UInt8(ascii: "]") else { throw error("']' is expected to close the table header, found \(found())") }
        advance()
        if isArray {
            guard peek == UInt8(ascii: "]") else { throw error("']]' is expected to close the array-of-tables header, found \(found())") }
            advance()
        }
        let names = parts.map(\.name)
        func shown(_ count: Int) -> String { names.prefix(count).map(Self.quotedKey).joined(separator: ".") }
        var table = root
        for (position, part) in parts.enumerated() {
            // Only for a message: built each time it was, the key's parts made every line cost their square.
            func path() -> String { shown(position + 1) }
            if position < parts.count - 1 {
                switch table.items[part.name] {
                case nil:
                    let made = TOMLTableBuilder()
                    table.set(part.name, .table(made), line: part.mark.line)
                    table = made
                case let .table(existing)?: table = existing
                case let .tables(existing)?:
                    guard let last = existing.last else { throw error("'\(path())' is an empty array of tables", at: part.mark) }
                    table = last
                case let .value(value)?:
                    throw error("'\(path())' is \(value.kindDescription(in: .toml)) (line \(table.lines[part.name] ?? 0)), not a table", at: part.mark)
                }
            } else if isArray {
                let element = TOMLTableBuilder()
                element.definedByHeader = true
                switch table.items[part.name] {
                case nil: table.set(part.name, .tables([element]), line: part.mark.line)
                case let .tables(existing)?: table.set(part.name, .tables(existing + [element]), line: part.mark.line)
                case .table?:
                    throw error("'\(path())' is a table (line \(table.lines[part.name] ?? 0)); [[\(path())]] cannot make it an array of tables",
                                at: part.mark)
                case let .value(value)?:
                    throw error("'\(path())' is \(value.kindDescription(in: .toml)) (line \(table.lines[part.name] ?? 0)); "
                        + "[[\(path())]] cannot add tables to it", at: part.mark)
                }
                current = element
            } else {
                switch table.items[part.name] {
                case nil:
                    let made = TOMLTableBuilder()
                    made.definedByHeader = true
                    table.set(part.name, .table(made), line: part.mark.line)
                    current = made
                case let .table(existing)?:
                    if existing.definedByHeader {
                        throw error("the table [\(path())] is defined twice (first on line \(table.lines[part.name] ?? 0))", at: part.mark)
                    }
                    if existing.definedByDottedKeys {
                        throw error("the table [\(path())] was already made by dotted keys (line \(table.lines[part.name] ?? 0)); "
                            + "it cannot be defined again", at: part.mark)
                    }
                    existing.definedByHeader = true
                    current = existing
                case .tables?:
                    throw error("'\(path())' is an array of tables (line \(table.lines[part.name] ?? 0)); [\(path())] cannot define it again",
                                at: part.mark)
                case let .value(value)?:
                    throw error("'\(path())' is \(value.kindDescription(in: .toml)) (line \(table.lines[part.name] ?? 0)), not a table", at: part.mark)
                }
            }
        }
    }

    /// `key = value` (the key may be dotted) into `table`.
    mutating func keyValue(into table: TOMLTableBuilder) throws {
        let parts = try keyPath()
        skipWhitespace()
        guard peek == UInt8(ascii: "=") else {
            throw error("'=' is expected after the key '\(parts.map { Self.quotedKey($0.name) }.joined(separator: "."))', found \(found())")
        }
        advance()
        skipWhitespace()
        let value = try self.value()
        var target = table
        for (position, part) in parts.enumerated() {
            // Only for a message (built each time, the parts made every line cost their square).
            func path() -> String { parts.prefix(position + 1).map { Self.quotedKey($0.name) }.joined(separator: ".") }
            if position == parts.count - 1 {
                if target.items[part.name] != nil {
                    throw error("the key '\(path())' is given twice (first on line \(target.lines[part.name] ?? 0))", at: part.mark)
                }
                target.set(part.name, .value(value), line: part.mark.line)
                break
            }
            switch target.items[part.name] {
            case nil:
                let made = TOMLTableBuilder()
                made.definedByDottedKeys = true
                target.set(part.name, .table(made), line: part.mark.line)
                target = made
            case let .table(existing)?:
                if existing.definedByHeader {
                    throw error("the table [\(path())] is defined by a header (line \(target.lines[part.name] ?? 0)); "
                        + "a dotted key cannot add to it", at: part.mark)
                }
                target = existing
            case .tables?:
                throw error("'\(path())' is an array of tables (line \(target.lines[part.name] ?? 0)); a dotted key cannot add to it",
                            at: part.mark)
            case let .value(value)?:
                throw error("'\(path())' is already \(value.kindDescription(in: .toml)) (line \(target.lines[part.name] ?? 0)), not a table",
                            at: part.mark)
            }
        }
    }

    /// A key: bare (`A-Za-z0-9_-`) or quoted parts joined by dots, with optional blanks around the dots.
    mutating func keyPath() throws -> [(name: String, mark: TOMLMark)] {
        var parts: [(name: String, mark: TOMLMark)] = []
        while true {
            let start = mark
            guard let byte = peek else { throw error("a key is expected at the end of the file") }
            if byte == UInt8(ascii: "\"") {
                if starts(with: "\"\"\"") { throw error("a key cannot be a multi-line string") }
                parts.append((try basicString(), start))
            } else if byte == UInt8(ascii: "'") {
                if starts(with: "'''") { throw error("a key cannot be a multi-line string") }
                parts.append((try literalString(), start))
            } else if Self.isBareKey(byte) {
                var name: [UInt8] = []
                while let next = peek, Self.isBareKey(next) {
                    name.append(next)
                    advance()
                }
                parts.append((String(decoding: name, as: UTF8.self), start))
            } else {
                throw error("a key is expected here, found \(found())")
            }
            skipWhitespace()
            guard peek == UInt8(ascii: ".") else { return parts }
            // Each part is a table level: 16 000 parts took 40 s and then overflowed the stack (a crash, status 139).
            if parts.count >= TOMLReader.maximumDepth { throw error("a dotted key has more than \(TOMLReader.maximumDepth) parts") }
            advance()
            skipWhitespace()
        }
    }

    /// After a value or a header: blanks, perhaps a comment, then the end of the line or of the file.
    mutating func endOfLine(after what: String) throws {
        skipWhitespace()
        if peek == UInt8(ascii: "#") { try comment() }
        guard let byte = peek else { return }
        guard byte == UInt8(ascii: "\n") else { throw error("the end of the line is expected after \(what), found \(found())") }
        advance()
    }

    /// `# …` up to the end of the line (not taken); control characters other than tab are refused.
    mutating func comment() throws {
        advance()
        while let byte = peek, byte != UInt8(ascii: "\n") {
            if Self.isControl(byte) && byte != UInt8(ascii: "\t") {
                throw error("a control character (\(Self.scalarName(byte))) in a comment")
            }
            advance()
        }
    }

    // MARK: Reading bytes

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    func peek(at offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

    var mark: TOMLMark { TOMLMark(index: index, line: line, lineStart: lineStart) }

    func starts(with text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return (0..<count).allSatisfy { bytes[index + $0] == text.utf8Start[$0] }
    }

    mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
    }

    mutating func skipWhitespace() {
        while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { advance() }
    }

    /// Blanks, newlines and comments (inside an array).
    mutating func skipWhitespaceNewlinesAndComments() throws {
        while let byte = peek {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") {
                advance()
            } else if byte == UInt8(ascii: "#") {
                try comment()
            } else {
                return
            }
        }
    }

    static func isBareKey(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    static func isControl(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F }

    static func scalarName(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    /// A key as TOML would write it: bare when it can be, else quoted.
    static func quotedKey(_ name: String) -> String {
        !name.isEmpty && name.utf8.allSatisfy(isBareKey) ? name : "\"" + name + "\""
    }

    /// The character at the current place, in words for a message.
    func found() -> String {
        guard let byte = peek else { return "the end of the file" }
        if byte == UInt8(ascii: "\n") { return "the end of the line" }
        if Self.isControl(byte) { return Self.scalarName(byte) }
        var end = index + 1
        while end < bytes.count, end < index + 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'" + String(decoding: bytes[index..<end], as: UTF8.self) + "'"
    }

    /// An error at `place` (the current place if nil), its column counted in characters.
    func error(_ reason: String, at place: TOMLMark? = nil) -> ConfigurationReadError {
        let place = place ?? mark
        let end = Swift.min(place.index, bytes.count)
        let column = bytes[Swift.min(place.lineStart, end)..<end].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return ConfigurationReadError(line: place.line, column: column, reason: reason)
    }
}
