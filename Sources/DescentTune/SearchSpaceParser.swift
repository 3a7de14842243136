/// A `--search` text that could not be read, with the 1-based column it points at.
public struct SearchSpaceError: Error, Equatable, CustomStringConvertible {
    /// What was wrong.
    public var message: String
    /// The 1-based column of the offending text.
    public var column: Int

    public init(message: String, column: Int) {
        self.message = message
        self.column = column
    }

    public var description: String { "column \(column): \(message)" }
}

extension SearchSpace {
    /// Reads `name=distribution; name=distribution; …` where a distribution is one of
    /// `uniform(low,high)`, `loguniform(low,high)` (low > 0), `int(low,high)`, `logint(low,high)`
    /// (low ≥ 1) or `choice(a,b,…)`. `aliases` maps short names to full ones (`lr` → `learning_rate`);
    /// `allowedNames`, when given, is the set of names the caller can tune.
    ///
    /// ```swift
    /// try SearchSpace(parsing: "lr=loguniform(1e-5,1)", aliases: ["lr": "learning_rate"])
    /// // learning_rate=loguniform(1e-05,1)
    /// try SearchSpace(parsing: "lr=loguniform(0,1)")   // SearchSpaceError, column 4: log bounds must be > 0
    /// ```
    public init(parsing text: String, aliases: [String: String] = [:], allowedNames: Set<String>? = nil) throws {
        let characters = Array(text)
        var parameters: [Parameter] = []
        var start = 0
        func error(_ message: String, at index: Int) -> SearchSpaceError { SearchSpaceError(message: message, column: index + 1) }
        while start <= characters.count {
            var end = start
            var depth = 0
            var quoted = false
            while end < characters.count, !(characters[end] == ";" && depth == 0 && !quoted) {
                if characters[end] == "\"" { quoted.toggle() }
                if characters[end] == "(" && !quoted { depth += 1 }
                if characters[end] == ")" && !quoted { depth -= 1 }
                end += 1
            }
            let piece = String(characters[start..<end])
            if !piece.allSatisfy(\.isWhitespace) {
                parameters.append(try Self.parseParameter(piece, offset: start, aliases: aliases, allowedNames: allowedNames))
                if parameters.dropLast().contains(where: { $0.name == parameters.last!.name }) {
                    throw error("'\(parameters.last!.name)' is given twice", at: start + (piece.firstIndex { !$0.isWhitespace }.map { piece.distance(from: piece.startIndex, to: $0) } ?? 0))
                }
            }
            start = end + 1
        }
        guard !parameters.isEmpty else { throw error("no parameters; write e.g. learning_rate=loguniform(1e-5,1)", at: 0) }
        self.init(parameters)
    }

    private static func parseParameter(_ piece: String, offset: Int, aliases: [String: String],
                                       allowedNames: Set<String>?) throws -> Parameter {
        let characters = Array(piece)
        func error(_ message: String, at index: Int) -> SearchSpaceError { SearchSpaceError(message: message, column: offset + index + 1) }
        guard let equals = characters.firstIndex(of: "=") else {
            let first = characters.firstIndex { !$0.isWhitespace } ?? 0
            throw error("expected name=distribution, e.g. learning_rate=loguniform(1e-5,1)", at: first)
        }
        let nameStart = characters.firstIndex { !$0.isWhitespace } ?? 0
        let rawName = String(characters[..<equals]).trimmingWhitespace
        guard !rawName.isEmpty else { throw error("a parameter name is missing before '='", at: equals) }
        let name = aliases[rawName] ?? rawName
        if let allowedNames, !allowedNames.contains(name) {
            throw error("unknown parameter '\(rawName)'; tunable: \(allowedNames.sorted().joined(separator: ", "))", at: nameStart)
        }
        let rest = Array(characters[(equals + 1)...])
        let kindStart = equals + 1 + (rest.firstIndex { !$0.isWhitespace } ?? 0)
        guard let open = characters[kindStart...].firstIndex(of: "(") else {
            throw error("expected a distribution such as loguniform(1e-5,1) or choice(a,b)", at: kindStart)
        }
        let kind = String(characters[kindStart..<open]).trimmingWhitespace.lowercased()
        guard let close = characters.lastIndex(of: ")"), close > open else { throw error("missing ')'", at: characters.count) }
        if let trailing = characters[(close + 1)...].firstIndex(where: { !$0.isWhitespace }) {
            throw error("unexpected text after ')'", at: trailing)
        }
        // The arguments with their columns.
        // A choice may be quoted ("64,32"): commas inside quotes do not separate, and the quotes are not part of it.
        var arguments: [(text: String, index: Int)] = []
        var argumentStart = open + 1
        var quoted = false
        for index in (open + 1)...close {
            if index < close && characters[index] == "\"" { quoted.toggle() }
            guard index == close || (characters[index] == "," && !quoted) else { continue }
            let raw = String(characters[argumentStart..<index])
            let lead = raw.prefix { $0.isWhitespace }.count
            var text = raw.trimmingWhitespace
            if text.count >= 2, text.first == "\"", text.last == "\"" { text = String(text.dropFirst().dropLast()) }
            arguments.append((text, argumentStart + lead))
            argumentStart = index + 1
        }
        if quoted { throw error("a quote is not closed", at: close) }
        func numbers(_ count: Int) throws -> [Double] {
            guard arguments.count == count else {
                throw error("\(kind) takes \(count) numbers (low,high), got \(arguments.count)", at: open + 1)
            }
            return try arguments.map { argument in
                guard let value = Double(argument.text), value.isFinite else {
                    throw error("'\(argument.text)' is not a finite number", at: argument.index)
                }
                return value
            }
        }
        let distribution: ParameterDistribution
        switch kind {
        case "uniform", "loguniform":
            let bounds = try numbers(2)
            let log = kind == "loguniform"
            guard bounds[0] <= bounds[1] else { throw error("low \(arguments[0].text) is above high \(arguments[1].text)", at: arguments[0].index) }
            if log, bounds[0] <= 0 { throw error("log bounds must be > 0, got \(arguments[0].text)", at: arguments[0].index) }
            distribution = .float(low: bounds[0], high: bounds[1], log: log)
        case "int", "logint", "intlog":
            let bounds = try numbers(2)
            for (value, argument) in zip(bounds, arguments) where value != value.rounded() || abs(value) > 1e15 {
                throw error("'\(argument.text)' is not an integer", at: argument.index)
            }
            let log = kind != "int"
            guard bounds[0] <= bounds[1] else { throw error("low \(arguments[0].text) is above high \(arguments[1].text)", at: arguments[0].index) }
            if log, bounds[0] < 1 { throw error("log bounds must be ≥ 1, got \(arguments[0].text)", at: arguments[0].index) }
            distribution = .int(low: Int(bounds[0]), high: Int(bounds[1]), log: log)
        case "choice", "categorical":
            var seen = Set<String>()
            for argument in arguments {
                guard !argument.text.isEmpty else { throw error("an empty choice", at: argument.index) }
                guard seen.insert(argument.text).inserted else { throw error("'\(argument.text)' is listed twice", at: argument.index) }
            }
            distribution = .categorical(arguments.map(\.text))
        default:
            throw error("unknown distribution '\(kind)'; use uniform, loguniform, int, logint or choice", at: kindStart)
        }
        return Parameter(name: name, distribution: distribution)
    }
}

extension String {
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
