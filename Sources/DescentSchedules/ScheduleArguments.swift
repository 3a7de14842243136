/// The arguments of one call in a text form, read by label with defaults; reports unknown,
/// repeated and ill-typed arguments at their column.
struct ScheduleArguments {
    let name: String
    let column: Int
    private var values: [String: (value: ScheduleSyntax, column: Int)] = [:]
    private var order: [String] = []

    init(name: String, column: Int, arguments: [SyntaxArgument], positional: [String]) throws {
        self.name = name
        self.column = column
        var nextPositional = 0
        for argument in arguments {
            let label: String
            if let given = argument.label {
                label = given
            } else {
                guard nextPositional < positional.count else {
                    throw ScheduleError(column: argument.column,
                        message: "\(name) takes \(positional.isEmpty ? "no" : "at most \(positional.count)") unlabelled argument\(positional.count == 1 ? "" : "s"); label this one (e.g. steps: …)")
                }
                label = positional[nextPositional]
                nextPositional += 1
            }
            guard values[label] == nil else {
                throw ScheduleError(parameter: label, column: argument.column, message: "\(name): '\(label)' is given twice")
            }
            values[label] = (argument.value, argument.column)
            order.append(label)
        }
    }

    private var used: Set<String> = []

    private mutating func take(_ label: String) -> (value: ScheduleSyntax, column: Int)? {
        used.insert(label)
        return values[label]
    }

    private func missing(_ label: String, _ hint: String) -> ScheduleError {
        ScheduleError(parameter: label, column: column, message: "\(name) needs '\(label)'\(hint)")
    }

    func has(_ label: String) -> Bool { values[label] != nil }

    /// The column of the argument `label`, when it was given.
    func column(of label: String) -> Int? { values[label]?.column }

    func wrongType(_ label: String, _ expected: String, _ column: Int) -> ScheduleError {
        ScheduleError(parameter: label, column: column, message: "\(name): '\(label)' must be \(expected)")
    }

    mutating func optionalNumber(_ label: String) throws -> Double? {
        guard let (value, column) = take(label) else { return nil }
        guard case .number(let number, _) = value else { throw wrongType(label, "a number", column) }
        return number
    }

    mutating func number(_ label: String, default fallback: Double?, hint: String = "") throws -> Double {
        if let number = try optionalNumber(label) { return number }
        guard let fallback else { throw missing(label, hint) }
        return fallback
    }

    mutating func optionalInteger(_ label: String) throws -> Int? {
        guard let (value, column) = take(label) else { return nil }
        guard case .number(let number, _) = value, number == number.rounded(), abs(number) < 1e15 else {
            throw wrongType(label, "a whole number", column)
        }
        return Int(number)
    }

    mutating func integer(_ label: String, default fallback: Int?, hint: String = "") throws -> Int {
        if let integer = try optionalInteger(label) { return integer }
        guard let fallback else { throw missing(label, hint) }
        return fallback
    }

    mutating func bool(_ label: String, default fallback: Bool) throws -> Bool {
        guard let (value, column) = take(label) else { return fallback }
        guard case .word(let word, _) = value, word == "true" || word == "false" else {
            throw wrongType(label, "true or false", column)
        }
        return word == "true"
    }

    mutating func word<Choice: RawRepresentable & CaseIterable>(_ label: String, default fallback: Choice) throws -> Choice
    where Choice.RawValue == String {
        guard let (value, column) = take(label) else { return fallback }
        let choices = Choice.allCases.map(\.rawValue)
        guard case .word(let word, _) = value, let choice = Choice(rawValue: word) else {
            throw wrongType(label, "one of " + choices.joined(separator: ", "), column)
        }
        return choice
    }

    mutating func numbers(_ label: String, default fallback: [Double]?) throws -> [Double] {
        guard let (value, column) = take(label) else {
            guard let fallback else { throw missing(label, "") }
            return fallback
        }
        guard case .list(let items, _) = value else { throw wrongType(label, "a list of numbers [a, b, …]", column) }
        return try items.map { item in
            guard case .number(let number, _) = item else { throw wrongType(label, "a list of numbers", item.column) }
            return number
        }
    }

    mutating func integers(_ label: String, default fallback: [Int]?) throws -> [Int] {
        let numbers = try numbers(label, default: fallback.map { $0.map(Double.init) })
        return try numbers.map { number in
            guard number == number.rounded(), abs(number) < 1e15 else {
                throw wrongType(label, "a list of whole numbers", values[label]?.column ?? column)
            }
            return Int(number)
        }
    }

    /// `momentum: [base, max]`, `momentum: none`, or the default.
    mutating func momentum(default fallback: MomentumRange?) throws -> MomentumRange? {
        guard let (value, column) = take("momentum") else { return fallback }
        if case .word("none", _) = value { return nil }
        guard case .list(let items, _) = value, items.count == 2,
              case .number(let base, _) = items[0], case .number(let maximum, _) = items[1] else {
            throw wrongType("momentum", "[base, max] or none", column)
        }
        return try MomentumRange(base: base, maximum: maximum)
    }

    mutating func syntax(_ label: String) -> (value: ScheduleSyntax, column: Int)? { take(label) }

    /// Every argument given must have been read; reports the first one that was not.
    func finish() throws {
        for label in order where !used.contains(label) {
            throw ScheduleError(parameter: label, column: values[label]?.column,
                                message: "\(name) has no argument '\(label)'")
        }
    }
}
