/// The syntax tree of a schedule's text form (see ``ScheduleParser`` for the language).
indirect enum ScheduleSyntax: Sendable {
    case number(Double, column: Int)
    case word(String, column: Int)
    case list([ScheduleSyntax], column: Int)
    case call(name: String, arguments: [SyntaxArgument], column: Int)
    case sequence([ScheduleSyntax], column: Int)

    var column: Int {
        switch self {
        case .number(_, let column), .word(_, let column), .list(_, let column),
             .call(_, _, let column), .sequence(_, let column):
            return column
        }
    }
}

/// One argument of a call: `label: value` or a positional `value`.
struct SyntaxArgument: Sendable {
    var label: String?
    var value: ScheduleSyntax
    var column: Int
}

/// Turns text into tokens and tokens into a ``ScheduleSyntax`` tree.
struct ScheduleTextReader {
    enum Token: Equatable {
        case identifier(String)
        case number(Double)
        case symbol(String)
        case end
    }

    private var tokens: [(token: Token, column: Int)] = []
    private var position = 0
    /// How many calls and lists enclose the current token.
    private var depth = 0

    init(_ text: String) throws {
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let column = index + 1
            if character.isWhitespace {
                index += 1
            } else if character.isLetter || character == "_" {
                var end = index
                while end < characters.count,
                      characters[end].isLetter || characters[end].isNumber || characters[end] == "_" {
                    end += 1
                }
                tokens.append((.identifier(String(characters[index..<end])), column))
                index = end
            } else if character.isNumber || character == "." || character == "-" || character == "+" {
                var end = index + 1
                while end < characters.count {
                    let next = characters[end]
                    if next.isNumber || next == "." || next == "_" || next == "e" || next == "E" {
                        end += 1
                    } else if (next == "-" || next == "+"), characters[end - 1] == "e" || characters[end - 1] == "E" {
                        end += 1
                    } else {
                        break
                    }
                }
                let text = String(characters[index..<end].filter { $0 != "_" })
                guard let value = Double(text), value.isFinite else {
                    throw ScheduleError(column: column, message: "'\(TextForm.excerpt(String(characters[index..<end])))' is not a number")
                }
                tokens.append((.number(value), column))
                index = end
            } else if character == ">" && index + 1 < characters.count && characters[index + 1] == ">" {
                tokens.append((.symbol(">>"), column))
                index += 2
            } else if "()[],:".contains(character) {
                tokens.append((.symbol(String(character)), column))
                index += 1
            } else {
                throw ScheduleError(column: column, message: "unexpected character '\(character)'")
            }
        }
        tokens.append((.end, characters.count + 1))
    }

    private var current: (token: Token, column: Int) { tokens[position] }

    private func describe(_ token: Token) -> String {
        switch token {
        case .identifier(let name): return "'\(TextForm.excerpt(name))'"
        case .number(let value): return "number \(value)"
        case .symbol(let symbol): return "'\(symbol)'"
        case .end: return "the end of the text"
        }
    }

    private mutating func expect(_ symbol: String) throws {
        guard current.token == .symbol(symbol) else {
            throw ScheduleError(column: current.column, message: "expected '\(symbol)' but found \(describe(current.token))")
        }
        position += 1
    }

    /// Reads the whole text as one sequence.
    mutating func readAll() throws -> ScheduleSyntax {
        let syntax = try readSequence()
        guard current.token == .end else {
            throw ScheduleError(column: current.column,
                                message: "expected '>>' or the end of the text but found \(describe(current.token))")
        }
        return syntax
    }

    private mutating func readSequence() throws -> ScheduleSyntax {
        let column = current.column
        var items = [try readPrimary()]
        while current.token == .symbol(">>") {
            position += 1
            items.append(try readPrimary())
        }
        return items.count == 1 ? items[0] : .sequence(items, column: column)
    }

    /// Enters a call or list; deeper than ``ScheduleParser/maximumNesting`` is an error, not a
    /// stack overflow (5 000 nested `scaled(` once ended the process with SIGSEGV).
    private mutating func enter(_ column: Int) throws {
        depth += 1
        guard depth <= ScheduleParser.maximumNesting else {
            throw ScheduleError(column: column,
                                message: "calls and lists are nested more than \(ScheduleParser.maximumNesting) deep here")
        }
    }

    private mutating func readPrimary() throws -> ScheduleSyntax {
        let (token, column) = current
        switch token {
        case .number(let value):
            position += 1
            return .number(value, column: column)
        case .symbol("["):
            try enter(column)
            defer { depth -= 1 }
            position += 1
            var items: [ScheduleSyntax] = []
            if current.token != .symbol("]") {
                items.append(try readSequence())
                while current.token == .symbol(",") {
                    position += 1
                    items.append(try readSequence())
                }
            }
            try expect("]")
            return .list(items, column: column)
        case .identifier(let name):
            position += 1
            guard current.token == .symbol("(") else { return .word(name, column: column) }
            try enter(column)
            defer { depth -= 1 }
            position += 1
            var arguments: [SyntaxArgument] = []
            if current.token != .symbol(")") {
                arguments.append(try readArgument())
                while current.token == .symbol(",") {
                    position += 1
                    arguments.append(try readArgument())
                }
            }
            try expect(")")
            return .call(name: name, arguments: arguments, column: column)
        default:
            throw ScheduleError(column: column, message: "expected a schedule, a number or a list but found \(describe(token))")
        }
    }

    private mutating func readArgument() throws -> SyntaxArgument {
        let column = current.column
        if case .identifier(let label) = current.token, tokens[position + 1].token == .symbol(":") {
            position += 2
            return SyntaxArgument(label: label, value: try readSequence(), column: column)
        }
        return SyntaxArgument(label: nil, value: try readSequence(), column: column)
    }
}
