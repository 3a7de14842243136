import CYaml

/// Measures a YAML document from libyaml's events, before Yams builds (and hashes, and we walk)
/// its nodes: how many nodes it has once every alias is expanded, and how deep it nests. Aliases
/// that refer to lists of aliases grow exponentially ("billion laughs": 9 levels of 9 aliases in
/// 1 KB are 387 million nodes), and nodes nested thousands deep overflow a recursive reader's stack;
/// a configuration file has a few dozen nodes, so both are refused with a clear error long before.
///
/// The count is exact and costs one pass over the events: an anchored node's expanded size is
/// recorded when it ends, and an alias adds that size without expanding anything.
///
/// Example: `YAMLExpansionCheck.measure("a: &x [1, 2]\nb: [*x, *x]\n")` is
/// `Size(nodes: 11, depth: 3)` (the mapping, 2 keys, a list of 2 and a list of 2 lists of 2).
enum YAMLExpansionCheck {
    /// The most nodes a configuration file may expand to.
    static let maximumNodes = 10_000
    /// The deepest a configuration file may nest.
    static let maximumDepth = 64

    struct Size: Equatable {
        var nodes: Int
        var depth: Int
    }

    enum Problem: Error, Equatable {
        /// Aliases expand the document past `maximumNodes`; `line` is where the limit was passed.
        case tooManyNodes(line: Int)
        /// Collections nest deeper than `maximumDepth`; `line` is where.
        case tooDeep(line: Int)
    }

    /// The document's size, or nil when libyaml cannot read it (Yams then says why, with its position).
    /// - Throws: ``Problem`` as soon as a limit is passed (the rest is not read).
    static func measure(_ text: String, maximumNodes: Int = maximumNodes, maximumDepth: Int = maximumDepth) throws -> Size? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer -> Size? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            /// Open collections: their anchor and the nodes counted in them so far (themselves included).
            var open: [(anchor: String?, nodes: Int)] = []
            var anchors: [String: Int] = [:]
            var total = 0, deepest = 0
            func anchorName(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            }
            func add(_ nodes: Int, line: Int) throws {
                if open.isEmpty { total += nodes } else { open[open.count - 1].nodes += nodes }
                let running = total + open.reduce(0) { $0 + $1.nodes }
                if running > maximumNodes { throw Problem.tooManyNodes(line: line) }
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return Size(nodes: total, depth: deepest)
                case YAML_SCALAR_EVENT:
                    if let anchor = anchorName(event.data.scalar.anchor) { anchors[anchor] = 1 }
                    try add(1, line: line)
                case YAML_ALIAS_EVENT:
                    // An unknown alias is Yams's error to report; count it as one node.
                    try add(anchorName(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1, line: line)
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let anchor = event.type == YAML_SEQUENCE_START_EVENT
                        ? anchorName(event.data.sequence_start.anchor) : anchorName(event.data.mapping_start.anchor)
                    open.append((anchor, 1))
                    deepest = Swift.max(deepest, open.count)
                    if open.count > maximumDepth { throw Problem.tooDeep(line: line) }
                    let running = total + open.reduce(0) { $0 + $1.nodes }
                    if running > maximumNodes { throw Problem.tooManyNodes(line: line) }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let closed = open.popLast() else { return nil }
                    if let anchor = closed.anchor { anchors[anchor] = closed.nodes }
                    try add(closed.nodes, line: line)
                default:
                    break
                }
            }
        }
    }
}
