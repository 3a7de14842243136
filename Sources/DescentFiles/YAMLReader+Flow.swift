/// Flow collections (`[a, b]`, `{a: 1, b: 2}`, nested, over several lines, with comments) and node
/// properties (`&anchor`, `!!tag`).
extension YAMLParser {
    /// A node in a flow collection before it is known to be a key or a value: a scalar's text (resolved
    /// only as a value) or a value already.
    enum FlowNode {
        case scalar(text: String, plain: Bool, tag: YAMLProperties.Tag?, mark: YAMLMark, anchor: String?, before: Int)
        case value(ConfigurationValue)
    }

    /// `[…]` or `{…}` at the current place.
    mutating func flowCollection() throws -> ConfigurationValue {
        let start = mark
        let sequence = peek == UInt8(ascii: "[")
        let closing = sequence ? UInt8(ascii: "]") : UInt8(ascii: "}")
        try enter(at: start)
        defer { depth -= 1 }
        advance()
        try count(1)
        var items: [ConfigurationValue] = []
        var mapping = ConfigurationTable()
        let outerKey = key
        defer { key = outerKey }
        while true {
            try skipFlowSpace(opened: start, sequence: sequence)
            if peek == closing {
                advance()
                return sequence ? .array(items) : .table(mapping)
            }
            let entry = mark
            if peek == UInt8(ascii: "?") {
                throw error("an explicit key ('? key') is not read; write 'key: value'", kind: .refused)
            }
            let node = try flowNode(opened: start, sequence: sequence)
            let endOfNode = mark
            try skipFlowSpace(opened: start, sequence: sequence)
            var isPair = false
            if peek == UInt8(ascii: ":") {
                let next = peek(at: 1)
                var adjacent = false
                if case let .scalar(_, plain, _, _, _, _) = node { adjacent = !plain } else { adjacent = true }
                isPair = Self.isBlankOrEnd(next) || next.map(Self.isFlowIndicator) == true || adjacent
            }
            if isPair, case let .scalar(_, _, _, keyMark, _, _) = node, keyMark.line != line || endOfNode.line != line {
                throw error("a key and its ':' must be on one line")
            }
            if sequence && !isPair {
                items.append(try resolved(node))
            } else {
                guard case let .scalar(text, _, tag, mark, anchor, _) = node else {
                    throw error("a key must be a plain name, not a collection or an alias", at: entry, kind: .refused)
                }
                if let tag, tag.name != "!!str", tag.name != "!" {
                    throw error("a key is text; the tag \(cut(tag.name)) cannot be on one", at: tag.mark, kind: .refused)
                }
                if let anchor { anchors[anchor] = (.string(text), 1) }
                try count(1)
                if text == "<<" { throw error("'<<' (a YAML 1.1 merge key) is not read; write the keys out", at: mark, kind: .refused) }
                var value = ConfigurationValue.null
                key = text
                if isPair {
                    advance()   // ':'
                    try skipFlowSpace(opened: start, sequence: sequence)
                    if peek == UInt8(ascii: ",") || peek == closing {
                        try count(1)
                    } else {
                        value = try resolved(try flowNode(opened: start, sequence: sequence))
                    }
                } else {
                    try count(1)
                }
                if sequence {
                    // `[a: 1]`: a mapping of one pair.
                    try enter(at: entry)
                    depth -= 1
                    try count(1)
                    var pair = ConfigurationTable()
                    pair.append(text, value, line: mark.line)
                    items.append(.table(pair))
                } else {
                    if mapping[text] != nil {
                        throw error("the key '\(cut(text))' is given twice (first on line \(mapping.lines[text] ?? 0))", at: mark)
                    }
                    mapping.append(text, value, line: mark.line)
                }
            }
            try skipFlowSpace(opened: start, sequence: sequence)
            if peek == UInt8(ascii: ",") {
                advance()
                continue
            }
            guard peek == closing else {
                throw error("',' or '\(sequence ? "]" : "}")' is expected in the \(sequence ? "list" : "mapping") opened on line "
                    + "\(start.line), found \(found())")
            }
        }
    }

    /// One node inside a flow collection.
    mutating func flowNode(opened start: YAMLMark, sequence: Bool) throws -> FlowNode {
        let before = nodes
        let properties = try self.properties(flow: true)
        try skipFlowSpace(opened: start, sequence: sequence)
        guard let byte = peek else { throw error("the \(sequence ? "list" : "mapping") opened on line \(start.line) is not closed") }
        let place = mark
        if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
            let value = try flowCollection()
            try checkCollectionTag(properties, value)
            return .value(try finish(properties, value, before: before))
        }
        if byte == UInt8(ascii: "*") {
            if properties.present { throw error("an alias cannot have an anchor or a tag") }
            return .value(try alias())
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            let text = try quotedScalar()
            return .scalar(text: text, plain: false, tag: properties.tag, mark: place, anchor: properties.anchor, before: before)
        }
        if properties.present && (byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}")
            || byte == UInt8(ascii: ":")) {
            return .scalar(text: "", plain: true, tag: properties.tag, mark: place, anchor: properties.anchor, before: before)
        }
        guard Self.canStartPlain(byte, next: peek(at: 1), flow: true) else {
            throw error("a value is expected here, found \(found())")
        }
        let (text, _) = try plainScalar(minimumIndent: 0, flow: true)
        return .scalar(text: text, plain: true, tag: properties.tag, mark: place, anchor: properties.anchor, before: before)
    }

    /// A flow node as a value: a scalar resolved (and anchored).
    mutating func resolved(_ node: FlowNode) throws -> ConfigurationValue {
        switch node {
        case let .value(value): return value
        case let .scalar(text, plain, tag, mark, anchor, before):
            let value = try scalar(text, plain: plain, tag: tag, mark: mark)
            if let anchor { anchors[anchor] = (value, nodes - before) }
            return value
        }
    }

    /// Blanks, line breaks and comments inside a flow collection; its end refused at the end of the file.
    mutating func skipFlowSpace(opened start: YAMLMark, sequence: Bool) throws {
        while let byte = peek {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                advance()
            } else if byte == UInt8(ascii: "\n") {
                advance()
                if atMarker("---") || atMarker("...") {
                    throw error("a document marker inside the \(sequence ? "list" : "mapping") opened on line \(start.line)")
                }
            } else if byte == UInt8(ascii: "#") {
                if index > lineStart, bytes[index - 1] != UInt8(ascii: " "), bytes[index - 1] != UInt8(ascii: "\t") {
                    throw error("a comment needs a blank before its '#'")
                }
                while let next = peek, next != UInt8(ascii: "\n") { advance() }
            } else {
                return
            }
        }
        throw error("the \(sequence ? "list" : "mapping") opened on line \(start.line) is not closed ('\(sequence ? "]" : "}")' is expected)")
    }

    // MARK: Properties

    /// `&anchor` and `!tag` before a node, in either order, each at most once.
    mutating func properties(flow: Bool) throws -> YAMLProperties {
        var properties = YAMLProperties()
        while let byte = peek {
            let start = mark
            if byte == UInt8(ascii: "&") {
                if properties.anchor != nil { throw error("a node takes one anchor") }
                advance()
                let name = anchorName()
                guard !name.isEmpty else { throw error("an anchor needs a name after '&'", at: start) }
                properties.anchor = name
            } else if byte == UInt8(ascii: "!") {
                if properties.tag != nil { throw error("a node takes one tag") }
                var end = index
                while end < bytes.count, !Self.isBlankOrEnd(bytes[end]), !(flow && Self.isFlowIndicator(bytes[end])) { end += 1 }
                let name = String(decoding: bytes[index..<end], as: UTF8.self)
                advance(end - index)
                properties.tag = .init(name: name, mark: start)
            } else {
                return properties
            }
            let save = mark
            skipSpaces()
            if peek != UInt8(ascii: "&") && peek != UInt8(ascii: "!") { restore(save) }
        }
        return properties
    }

    /// An anchor's or alias's name: up to a blank or a flow indicator.
    mutating func anchorName() -> String {
        let start = index
        while let byte = peek, !Self.isBlankOrEnd(byte), !Self.isFlowIndicator(byte) { advance() }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Checks a collection's tag and records its anchor (with the nodes it counts).
    mutating func finish(_ properties: YAMLProperties, _ value: ConfigurationValue, before: Int) throws -> ConfigurationValue {
        if let anchor = properties.anchor { anchors[anchor] = (value, nodes - before) }
        return value
    }

    /// A collection may carry `!!seq`/`!!map` (as it is) or the non-specific `!`.
    func checkCollectionTag(_ properties: YAMLProperties, _ value: ConfigurationValue) throws {
        guard let tag = properties.tag, tag.name != "!" else { return }
        switch value {
        case .array where tag.name == "!!seq": return
        case .table where tag.name == "!!map": return
        case .array, .table:
            throw error("the tag \(cut(tag.name)) cannot be on \(value.kindDescription(in: .yaml))", at: tag.mark, kind: .refused)
        default: return
        }
    }
}

/// A node's anchor and tag, as written before it.
struct YAMLProperties {
    struct Tag {
        var name: String
        var mark: YAMLMark
    }

    var anchor: String?
    var tag: Tag?

    var present: Bool { anchor != nil || tag != nil }

    static let none = YAMLProperties()
}
