/// Reads one YAML 1.2 document (https://yaml.org/spec/1.2.2/) as a configuration file is written:
/// block mappings and sequences (a sequence may sit at its key's indentation), flow `[…]` and `{…}`
/// (nested), plain, single- and double-quoted scalars (every escape; lines folded as YAML says),
/// literal `|` and folded `>` block scalars with chomping (`-`, `+`) and indentation indicators,
/// comments, `---` and `...`, a byte order mark, CRLF, anchors and aliases, and the tags `!!str`,
/// `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq` and `!!map`.
///
/// Plain scalars are resolved by YAML 1.2's core schema: `~`/`null`/empty → null, `true`/`false`
/// → boolean, decimal digits → integer, `1.5`, `5e-2`, `.inf`, `.nan` → float, anything else text.
/// Where YAML 1.1 (PyYAML, libyaml's users) reads the same text otherwise, it is refused in words
/// rather than guessed: `yes`/`no`/`on`/`off` (booleans in 1.1, text in 1.2), numbers with a
/// leading zero (`010` is 8 in 1.1, 10 in 1.2), `0o`, `0x` and `0b` prefixes, `_` between digits
/// and base-60 `1:30`, and dates (`2024-01-31`, a timestamp in 1.1 and in ruamel.yaml). An exponent
/// without a dot (`5e-2`, which YAML 1.1's pattern misses) is a float, as in YAML 1.2.
///
/// Refused in words too: several documents in one file, `%TAG` and `%YAML 1.1` directives, other
/// tags, explicit `? key` entries, `<<` merge keys, and keys that are not scalars. A key given twice
/// is refused naming it and both lines. Aliases are expanded, but the nodes of the expanded
/// document are counted as it is read (an alias adds its anchor's count without expanding it), so
/// an "alias bomb" is refused at the line where it passes ``maximumNodes``; collections nested
/// deeper than ``maximumDepth`` and files larger than ``maximumBytes`` are refused before they can
/// exhaust the stack or the memory.
///
/// Written for `descent train --config FILE.yaml`; checked against ruamel.yaml (YAML 1.2) and PyYAML
/// (YAML 1.1) on the fixtures in Tests/DescentFilesTests/Fixtures/yaml.
///
/// Example: `YAMLReader.parse("epochs: 30\nhidden: [64, 32]\n")` is a mapping with `epochs` =
/// `.integer(30)` and `hidden` = `.array([.integer(64), .integer(32)])`; `"epochs: 010\n"` throws
/// `line 1, column 9: 'epochs': 010 is not a decimal number …`.
public enum YAMLReader {
    /// Collections nested deeper than this are refused (a configuration nests one or two).
    public static let maximumDepth = 64
    /// Documents of more nodes than this, counted with every alias expanded, are refused.
    public static let maximumNodes = 10_000
    /// Files larger than this are refused unread (a configuration is a few hundred bytes).
    public static let maximumBytes = 8 << 20

    /// Reads `text` as one YAML document: nil when it holds no node (empty, comments only); a sequence
    /// is an `.array`, a mapping a `.table` (the same ``ConfigurationValue`` that ``TOMLReader`` gives).
    /// - Throws: ``ConfigurationReadError`` with the line and column where reading stopped, the text
    ///   near it, and whether the document is `.invalid` YAML or YAML Descent `.refused` on purpose.
    public static func parse(_ text: String, maximumDepth: Int = maximumDepth, maximumNodes: Int = maximumNodes,
                             maximumBytes: Int = maximumBytes) throws -> ConfigurationValue? {
        var bytes = Array(text.utf8)
        guard bytes.count <= maximumBytes else {
            throw ConfigurationReadError(line: 1, column: 1, reason: "the file holds \(bytes.count) bytes; a configuration file is read "
                + "only up to \(maximumBytes >> 20) MiB", kind: .refused)
        }
        // A line break is LF, CRLF or CR (YAML 1.2, 5.4); all become LF.
        if bytes.contains(UInt8(ascii: "\r")) {
            var normalized: [UInt8] = []
            normalized.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\r") {
                    normalized.append(UInt8(ascii: "\n"))
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                } else {
                    normalized.append(bytes[index])
                }
                index += 1
            }
            bytes = normalized
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }   // a byte order mark
        var parser = YAMLParser(bytes: bytes, maximumDepth: maximumDepth, maximumNodes: maximumNodes)
        try parser.checkCharacters()
        return try parser.stream()
    }
}

/// A place in the document: the byte, its line and where that line starts.
struct YAMLMark {
    var index: Int
    var line: Int
    var lineStart: Int
}

/// The reader's state: the bytes (line breaks already LF), where it is, how deep it is, how many
/// nodes the expanded document has so far, and the anchors defined so far.
struct YAMLParser {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var lineStart = 0
    var depth = 0
    var nodes = 0
    /// Whether an alias was read: the node count past the limit is then said to come from aliases.
    var expandedAnAlias = false
    var anchors: [String: (value: ConfigurationValue, nodes: Int)] = [:]
    /// The nearest enclosing mapping key, for messages about a value.
    var key: String?
    let maximumDepth: Int
    let maximumNodes: Int

    init(bytes: [UInt8], maximumDepth: Int, maximumNodes: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
        self.maximumNodes = maximumNodes
    }

    // MARK: The stream

    /// Directives, one document, and nothing after it but comments and `...`.
    mutating func stream() throws -> ConfigurationValue? {
        var directives = false
        var indent = try nextLine()
        while indent == 0, peek == UInt8(ascii: "%") {
            try directive()
            directives = true
            indent = try nextLine()
        }
        var explicitStart = false
        var root: ConfigurationValue?
        if atMarker("---") {
            explicitStart = true
            advance(3)
            try skipBlockSpaces()
            if let byte = peek, byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "#") {
                root = try blockNode(parent: -1, inline: true)
            } else {
                try finishLine(after: "'---'")
                _ = try nextLine()
            }
        } else if directives {
            throw error("a directive must be followed by '---' (the start of the document), found \(found())")
        }
        if root == nil, !atEnd, !atMarker("---"), !atMarker("...") {
            root = try blockNode(parent: -1, inline: false)
        }
        // After the document: `...` lines and comments only.
        while atMarker("...") {
            advance(3)
            try finishLine(after: "'...'")
            _ = try nextLine()
        }
        if !atEnd {
            if atMarker("---") || peek == UInt8(ascii: "%") || atMarker("...") {
                throw error("the file holds more than one YAML document (another begins here); a configuration file is one document",
                            kind: .refused)
            }
            throw error("the document ends before this (\(found()) cannot follow what is above it)")
        }
        if root == nil && explicitStart { return .null }
        return root
    }

    /// `%YAML 1.2` (read and ignored), `%YAML 1.1` (refused: this reader reads YAML 1.2), `%TAG` and others (refused).
    mutating func directive() throws {
        let start = mark
        advance()
        let name = word()
        if name == "YAML" {
            skipSpaces()
            let version = word()
            guard version == "1.2" else {
                throw error("the file asks for YAML \(version.isEmpty ? "?" : cut(version)) ('%YAML'); Descent reads YAML 1.2: "
                    + "remove the line", at: start, kind: .refused)
            }
            try finishLine(after: "the %YAML directive")
            return
        }
        throw error("the directive '%\(cut(name))' is not read (tags are the standard ones, !!str, !!int, …)", at: start, kind: .refused)
    }

    // MARK: Block collections

    /// A node in block context at the current place, inside a collection indented `parent` (-1 at
    /// the top). `inline` when it follows `key: ` or `--- ` on the same line (no block collection
    /// may begin there). Leaves the place at the next line's content (or the end).
    mutating func blockNode(parent: Int, inline: Bool, sequenceAtParent: Bool = false) throws -> ConfigurationValue {
        let start = mark
        let column = index - lineStart
        let before = nodes
        let properties = try self.properties(flow: false)
        if properties.present {
            try skipBlockSpaces()
            if atLineEnd {
                // The node (if any) is on the lines below.
                try finishLine(after: "the anchor or tag")
                let indent = try nextLine()
                let value: ConfigurationValue
                if let indent, indent > parent || (sequenceAtParent && indent == parent && atSequenceEntry) {
                    value = try blockContent(parent: parent, inline: false, column: indent, properties: properties)
                } else {
                    value = try scalar("", plain: true, tag: properties.tag, mark: start)
                }
                return try finish(properties, value, before: before)
            }
            if atSequenceEntry { throw error("a block sequence must begin on the line after its anchor or tag") }
            // A key on this line takes the properties (`&a key: value`); the mapping begins where they do.
            if let key = try implicitKey(inline: inline) {
                if let anchor = properties.anchor { anchors[anchor] = (.string(key.text), 1) }
                if let tag = properties.tag, tag.name != "!!str", tag.name != "!" {
                    throw error("a key is text; the tag \(cut(tag.name)) cannot be on one", at: tag.mark, kind: .refused)
                }
                return try blockMapping(indent: column, first: key)
            }
        }
        let value = try blockContent(parent: parent, inline: inline, column: index - lineStart, properties: properties)
        return try finish(properties, value, before: before)
    }

    /// What follows a node's properties: a sequence, a block scalar, a flow collection, an alias or a scalar.
    mutating func blockContent(parent: Int, inline: Bool, column: Int, properties: YAMLProperties = .none) throws -> ConfigurationValue {
        guard let byte = peek else { return .null }
        let next = peek(at: 1)
        if byte == UInt8(ascii: "-"), Self.isBlankOrEnd(next) {
            if inline { throw error("a block sequence cannot begin on the line of its key or of '---'; begin it on the next line") }
            let value = try blockSequence(indent: column)
            try checkCollectionTag(properties, value)
            return value
        }
        if let key = try implicitKey(inline: inline) {
            let value = try blockMapping(indent: column, first: key)
            try checkCollectionTag(properties, value)
            return value
        }
        if byte == UInt8(ascii: "?"), Self.isBlankOrEnd(next) {
            throw error("an explicit key ('? key') is not read; write 'key: value'", kind: .refused)
        }
        if byte == UInt8(ascii: "|") || byte == UInt8(ascii: ">") {
            let start = mark
            let text = try blockScalar(parent: parent)
            let value = try scalar(text, plain: false, tag: properties.tag, mark: start)
            _ = try nextLine()
            return value
        }
        if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
            let value = try flowCollection()
            try checkCollectionTag(properties, value)
            try skipBlockSpaces()
            if peek == UInt8(ascii: ":"), Self.isBlankOrEnd(peek(at: 1)) {
                throw error("a key must be a plain name, not \(value.kindDescription(in: .yaml))", kind: .refused)
            }
            try finishLine(after: "the \(byte == UInt8(ascii: "[") ? "list" : "mapping")")
            _ = try nextLine()
            return value
        }
        if byte == UInt8(ascii: "*") {
            if properties.present { throw error("an alias cannot have an anchor or a tag") }
            let value = try alias()
            try skipBlockSpaces()
            if peek == UInt8(ascii: ":"), Self.isBlankOrEnd(peek(at: 1)) {
                throw error("a key must be a plain name, not an alias", kind: .refused)
            }
            try finishLine(after: "the alias")
            _ = try nextLine()
            return value
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            let start = mark
            let text = try quotedScalar()
            let value = try scalar(text, plain: false, tag: properties.tag, mark: start)
            try finishLine(after: "the quoted text")
            _ = try nextLine()
            return value
        }
        guard Self.canStartPlain(byte, next: next, flow: false) else {
            if byte == UInt8(ascii: ":") { throw error("a key must be a plain name; this ':' has none before it", kind: .refused) }
            throw error("\(found()) cannot begin a value")
        }
        let start = mark
        let (text, moved) = try plainScalar(minimumIndent: parent + 1, flow: false)
        let value = try scalar(text, plain: true, tag: properties.tag, mark: start)
        if !moved {
            try finishLine(after: "the value")
            _ = try nextLine()
        }
        return value
    }

    /// A key on this line (`name:`, `"quoted":`), read up to its ':'; nil (the place unmoved) if there is none.
    mutating func implicitKey(inline: Bool) throws -> (text: String, mark: YAMLMark)? {
        guard let byte = peek else { return nil }
        let start = mark
        var text: String
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            let saved = (index, line, lineStart)
            // A key is on one line: look for the closing quote before the end of the line.
            guard let close = closingQuote(from: index) else { return nil }
            var after = close + 1
            while after < bytes.count, bytes[after] == UInt8(ascii: " ") || bytes[after] == UInt8(ascii: "\t") { after += 1 }
            guard after < bytes.count, bytes[after] == UInt8(ascii: ":"), Self.isBlankOrEnd(after + 1 < bytes.count ? bytes[after + 1] : nil)
            else { return nil }
            text = try quotedScalar()
            guard line == saved.1 else { (index, line, lineStart) = saved; return nil }
            skipSpaces()
        } else {
            guard Self.canStartPlain(byte, next: peek(at: 1), flow: false) else { return nil }
            // The plain text up to ': ' on this line, if any.
            var end = index
            var colon: Int?
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") {
                let current = bytes[end]
                if current == UInt8(ascii: "#"), end > index, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { break }
                if current == UInt8(ascii: ":"), Self.isBlankOrEnd(end + 1 < bytes.count ? bytes[end + 1] : nil) {
                    colon = end
                    break
                }
                end += 1
            }
            guard let colon else { return nil }
            if bytes[index..<colon].contains(UInt8(ascii: "\t")) {
                throw error("a tab in a key (YAML readers take tabs only inside quotes, comments and flow collections); use spaces")
            }
            var last = colon
            while last > index, bytes[last - 1] == UInt8(ascii: " ") || bytes[last - 1] == UInt8(ascii: "\t") { last -= 1 }
            text = String(decoding: bytes[index..<last], as: UTF8.self)
            advance(colon - index)
        }
        if inline { throw error("a mapping cannot begin on the line of its key ('key: other: value'); put it on the next line, indented") }
        if text.utf8.count > 1024 { throw error("a key is longer than 1024 characters", at: start) }
        return (text, start)
    }

    /// Whether the close of the quoted scalar at `start` is on its line: the closing quote's index, or nil.
    func closingQuote(from start: Int) -> Int? {
        let quote = bytes[start]
        var position = start + 1
        while position < bytes.count, bytes[position] != UInt8(ascii: "\n") {
            let byte = bytes[position]
            if quote == UInt8(ascii: "'") && byte == quote {
                if position + 1 < bytes.count, bytes[position + 1] == quote { position += 2; continue }
                return position
            }
            if quote == UInt8(ascii: "\"") {
                if byte == UInt8(ascii: "\\") { position += 2; continue }
                if byte == quote { return position }
            }
            position += 1
        }
        return nil
    }

    /// A block mapping whose keys are at column `indent`; the first key has been read up to its ':'.
    mutating func blockMapping(indent: Int, first: (text: String, mark: YAMLMark)) throws -> ConfigurationValue {
        try enter(at: first.mark)
        defer { depth -= 1 }
        let outerKey = key
        defer { key = outerKey }
        var mapping = ConfigurationTable()
        try count(1)
        var current = first
        while true {
            if current.text == "<<" {
                throw error("'<<' (a YAML 1.1 merge key) is not read; write the keys out", at: current.mark, kind: .refused)
            }
            if mapping[current.text] != nil {
                throw error("the key '\(cut(current.text))' is given twice (first on line \(mapping.lines[current.text] ?? 0))",
                            at: current.mark)
            }
            try count(1)
            advance()   // ':'
            key = current.text
            try skipBlockSpaces()
            let value: ConfigurationValue
            if atLineEnd {
                try finishLine(after: "the key")
                let next = try nextLine()
                if let next, next > indent {
                    value = try blockNode(parent: indent, inline: false)
                } else if next == indent, atSequenceEntry {
                    value = try blockSequence(indent: indent)
                } else {
                    try count(1)
                    value = .null
                }
            } else {
                value = try blockNode(parent: indent, inline: true, sequenceAtParent: true)
            }
            mapping.append(current.text, value, line: current.mark.line)
            guard let next = currentIndent, next >= indent else { return .table(mapping) }
            if next > indent { throw error("this line is indented more than the keys above it (column \(indent + 1))") }
            if atSequenceEntry { throw error("a list entry ('- ') cannot follow a key's value at the key's indentation") }
            guard let following = try implicitKey(inline: false) else {
                if peek == UInt8(ascii: "?"), Self.isBlankOrEnd(peek(at: 1)) {
                    throw error("an explicit key ('? key') is not read; write 'key: value'", kind: .refused)
                }
                if peek == UInt8(ascii: ":"), Self.isBlankOrEnd(peek(at: 1)) {
                    throw error("a key must be a plain name; this ':' has none before it", kind: .refused)
                }
                if peek == UInt8(ascii: "*") || peek == UInt8(ascii: "[") || peek == UInt8(ascii: "{") {
                    throw error("a key must be a plain name, not \(peek == UInt8(ascii: "*") ? "an alias" : "a collection")", kind: .refused)
                }
                // Found where the references find it: at the next line, where the ':' is still missing.
                let missing = "'key: value' is expected (the mapping's keys are at column \(indent + 1)); the line above has no ':'"
                while let byte = peek, byte != UInt8(ascii: "\n") { advance() }
                advance()
                _ = try nextLine()
                throw error(missing)
            }
            current = following
        }
    }

    /// A block sequence whose '-' are at column `indent`.
    mutating func blockSequence(indent: Int) throws -> ConfigurationValue {
        try enter(at: mark)
        defer { depth -= 1 }
        var items: [ConfigurationValue] = []
        try count(1)
        while true {
            advance()   // '-'
            try skipBlockSpaces()
            if atLineEnd {
                try finishLine(after: "'-'")
                let next = try nextLine()
                if let next, next > indent {
                    items.append(try blockNode(parent: indent, inline: false))
                } else {
                    try count(1)
                    items.append(.null)
                }
            } else {
                items.append(try blockNode(parent: indent, inline: false))
            }
            guard let next = currentIndent, next >= indent else { return .array(items) }
            if next > indent { throw error("this line is indented more than the list's '-' above it (column \(indent + 1))") }
            guard atSequenceEntry else { return .array(items) }
        }
    }

    // MARK: Nodes

    /// Counts `added` nodes of the expanded document.
    mutating func count(_ added: Int, at place: YAMLMark? = nil) throws {
        nodes += added
        if nodes > maximumNodes {
            // Without an alias the file itself holds that many values (200 000 keys were said to be "aliases").
            throw error(expandedAnAlias
                ? "its aliases expand to more than \(maximumNodes) values (a configuration holds a few dozen); nothing was expanded"
                : "it holds more than \(maximumNodes) values (a configuration holds a few dozen)",
                        at: place, kind: .refused)
        }
    }

    /// One level deeper; refused past `maximumDepth`.
    mutating func enter(at place: YAMLMark) throws {
        depth += 1
        if depth > maximumDepth { throw error("it nests more than \(maximumDepth) deep", at: place, kind: .refused) }
    }

    /// `*name`: the anchored value, counted as the nodes it stands for.
    mutating func alias() throws -> ConfigurationValue {
        let start = mark
        advance()
        let name = anchorName()
        guard !name.isEmpty else { throw error("an alias needs a name after '*'", at: start) }
        guard let anchored = anchors[name] else {
            throw error("the alias '*\(cut(name))' has no anchor '&\(cut(name))' before it", at: start)
        }
        expandedAnAlias = true
        try count(anchored.nodes, at: start)
        return anchored.value
    }

    // MARK: Reading bytes

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    func peek(at offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

    var atEnd: Bool { index >= bytes.count }

    var mark: YAMLMark { YAMLMark(index: index, line: line, lineStart: lineStart) }

    /// At a comment, the end of the line or the end of the file.
    var atLineEnd: Bool { peek == nil || peek == UInt8(ascii: "\n") || peek == UInt8(ascii: "#") }

    /// At '-' followed by a blank: a block sequence entry.
    var atSequenceEntry: Bool { peek == UInt8(ascii: "-") && Self.isBlankOrEnd(peek(at: 1)) }

    /// The column of the content the place is at (it is at a line's first content), -1 at a document marker, nil at the end.
    var currentIndent: Int? {
        if atEnd { return nil }
        if atMarker("---") || atMarker("...") { return -1 }
        return index - lineStart
    }

    /// `---` or `...` at the start of a line, followed by a blank or the end.
    func atMarker(_ marker: StaticString) -> Bool {
        guard index == lineStart, index + 3 <= bytes.count else { return false }
        guard (0..<3).allSatisfy({ bytes[index + $0] == marker.utf8Start[$0] }) else { return false }
        return Self.isBlankOrEnd(index + 3 < bytes.count ? bytes[index + 3] : nil)
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

    mutating func skipSpaces() {
        while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { advance() }
    }

    /// Spaces between the parts of a block line. A tab there is refused, as ruamel.yaml and PyYAML
    /// refuse it (YAML takes tabs inside quotes, comments and flow collections).
    mutating func skipBlockSpaces() throws {
        while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
            if byte == UInt8(ascii: "\t") {
                throw error("a tab between the parts of a line (YAML readers take tabs only inside quotes, comments and flow "
                    + "collections); use spaces")
            }
            advance()
        }
    }

    /// After a value: blanks, perhaps a comment, then the end of the line (taken) or of the file.
    mutating func finishLine(after what: String) throws {
        try skipBlockSpaces()
        if peek == UInt8(ascii: "#") {
            while let byte = peek, byte != UInt8(ascii: "\n") { advance() }
        }
        guard let byte = peek else { return }
        guard byte == UInt8(ascii: "\n") else { throw error("the end of the line is expected after \(what), found \(found())") }
        advance()
    }

    /// From the start of a line: skips blank and comment lines and the next line's indentation.
    /// The indentation of its content, -1 at a document marker, nil at the end of the file.
    mutating func nextLine() throws -> Int? {
        while true {
            guard !atEnd else { return nil }
            if atMarker("---") || atMarker("...") { return -1 }
            while peek == UInt8(ascii: " ") { advance() }
            let indent = index - lineStart
            if peek == UInt8(ascii: "\t") {
                // Even on a blank line, as ruamel.yaml and PyYAML refuse it.
                throw error("a tab in the indentation (YAML indents with spaces only)")
            }
            guard let byte = peek else { return nil }
            if byte == UInt8(ascii: "#") {
                while let next = peek, next != UInt8(ascii: "\n") { advance() }
                advance()
                continue
            }
            if byte == UInt8(ascii: "\n") {
                advance()
                continue
            }
            return indent
        }
    }

    /// Letters, digits and '-' up to a blank (a directive's name or value).
    mutating func word() -> String {
        let start = index
        while let byte = peek, !Self.isBlankOrEnd(byte) { advance() }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// YAML's printable characters only: no control characters other than tab and line breaks, no DEL.
    mutating func checkCharacters() throws {
        for (position, byte) in bytes.enumerated() where (byte < 0x20 && byte != 0x09 && byte != 0x0A) || byte == 0x7F {
            var place = YAMLMark(index: position, line: 1, lineStart: 0)
            for earlier in 0..<position where bytes[earlier] == UInt8(ascii: "\n") {
                place.line += 1
                place.lineStart = earlier + 1
            }
            throw error("a control character (\(Self.scalarName(byte))) is not allowed in YAML; write it as an escape in double quotes",
                        at: place)
        }
    }

    static func isBlankOrEnd(_ byte: UInt8?) -> Bool {
        guard let byte else { return true }
        return byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
    }

    static func scalarName(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    /// `text` cut to 40 characters for a message.
    func cut(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    /// The character at the current place, in words for a message.
    func found() -> String {
        guard let byte = peek else { return "the end of the file" }
        if byte == UInt8(ascii: "\n") { return "the end of the line" }
        if byte == UInt8(ascii: "\t") { return "a tab" }
        var end = index + 1
        while end < bytes.count, end < index + 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'" + String(decoding: bytes[index..<end], as: UTF8.self) + "'"
    }

    /// An error at `place` (the current place if nil), its column counted in characters, with the text around it.
    func error(_ reason: String, at place: YAMLMark? = nil, kind: ConfigurationReadError.Kind = .invalid) -> ConfigurationReadError {
        let place = place ?? mark
        let end = Swift.min(place.index, bytes.count)
        let start = Swift.min(place.lineStart, end)
        let column = bytes[start..<end].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        // Up to 20 characters either side, on the line.
        var from = end, back = 0
        while from > start, back < 20 {
            from -= 1
            if bytes[from] & 0xC0 != 0x80 { back += 1 }
        }
        var to = end, ahead = 0
        while to < bytes.count, bytes[to] != UInt8(ascii: "\n"), ahead < 20 || bytes[to] & 0xC0 == 0x80 {
            if bytes[to] & 0xC0 != 0x80 { ahead += 1 }
            to += 1
        }
        var near = String(decoding: bytes[from..<to], as: UTF8.self)
        if near.allSatisfy({ $0 == " " || $0 == "\t" }) {
            near = ""
        } else {
            if from > start { near = "…" + near }
            if to < bytes.count, bytes[to] != UInt8(ascii: "\n") { near += "…" }
        }
        return ConfigurationReadError(line: place.line, column: column, reason: reason, near: near, kind: kind)
    }
}
