/// Reads a reference library's parameters by their own names (`T_max`, `pct_start`, …), with the
/// library's defaults; every error names the parameter.
struct ReferenceParameters {
    let schedule: String
    let values: [String: JSONValue]
    private(set) var used: Set<String> = []

    init(schedule: String, values: [String: JSONValue]) {
        self.schedule = schedule
        self.values = values
    }

    private func error(_ name: String, _ message: String) -> ScheduleError {
        // The message ends with the value as given: cut, so a 100 000-item list does not flood the terminal.
        ScheduleError(parameter: name, message: "\(schedule): parameter '\(name)' \(TextForm.excerpt(message, limit: 240))")
    }

    /// Accepts a parameter Descent has no use for (e.g. Keras' `name`).
    mutating func ignore(_ name: String) { used.insert(name) }

    mutating func optionalNumber(_ name: String) throws -> Double? {
        used.insert(name)
        guard let value = values[name], value != .null else { return nil }
        if let bool = value.bool { return bool ? 1 : 0 }
        guard let number = value.number else { throw error(name, "must be a number, got \(value)") }
        guard number.isFinite else { throw error(name, "must be finite, got \(number)") }
        return number
    }

    mutating func number(_ name: String, default fallback: Double? = nil) throws -> Double {
        if let number = try optionalNumber(name) { return number }
        guard let fallback else { throw error(name, "is missing") }
        return fallback
    }

    mutating func optionalInteger(_ name: String) throws -> Int? {
        guard let number = try optionalNumber(name) else { return nil }
        guard number == number.rounded(), abs(number) < 1e15 else { throw error(name, "must be a whole number, got \(number)") }
        return Int(number)
    }

    mutating func integer(_ name: String, default fallback: Int? = nil) throws -> Int {
        if let integer = try optionalInteger(name) { return integer }
        guard let fallback else { throw error(name, "is missing") }
        return fallback
    }

    mutating func bool(_ name: String, default fallback: Bool) throws -> Bool {
        used.insert(name)
        guard let value = values[name], value != .null else { return fallback }
        guard let bool = value.bool else { throw error(name, "must be true or false, got \(value)") }
        return bool
    }

    mutating func string(_ name: String, default fallback: String? = nil, allowed: [String]) throws -> String {
        used.insert(name)
        guard let value = values[name], value != .null else {
            guard let fallback else { throw error(name, "is missing") }
            return fallback
        }
        guard let string = value.string, allowed.contains(string) else {
            throw error(name, "must be one of " + allowed.map { "'\($0)'" }.joined(separator: ", ") + ", got \(value)")
        }
        return string
    }

    mutating func integers(_ name: String) throws -> [Int] {
        used.insert(name)
        guard let value = values[name] else { throw error(name, "is missing") }
        guard let array = value.array else { throw error(name, "must be a list of whole numbers, got \(value)") }
        return try array.map { item in
            guard let number = item.number, number == number.rounded(), abs(number) < 1e15 else {
                throw error(name, "must be a list of whole numbers, got \(value)")
            }
            return Int(number)
        }
    }

    mutating func array(_ name: String) throws -> [JSONValue] {
        used.insert(name)
        guard let value = values[name] else { throw error(name, "is missing") }
        guard let array = value.array else { throw error(name, "must be a list, got \(value)") }
        return array
    }

    /// `{"10": 0.5, "20": 0.1}` (Optax's `boundaries_and_scales`), sorted by step.
    mutating func boundariesAndScales(_ name: String) throws -> (boundaries: [Int], scales: [Double]) {
        used.insert(name)
        guard let value = values[name], value != .null else { return ([], []) }
        guard let object = value.object else { throw error(name, "must be an object {\"step\": scale}, got \(value)") }
        var pairs: [(Int, Double)] = []
        for (key, scale) in object {
            guard let step = Int(key) ?? Double(key).flatMap({ $0 == $0.rounded() ? Int($0) : nil }) else {
                throw error(name, "has a key '\(key)' that is not a whole step number")
            }
            guard let number = scale.number else { throw error(name, "has a scale \(scale) that is not a number") }
            pairs.append((step, number))
        }
        pairs.sort { $0.0 < $1.0 }
        return (pairs.map(\.0), pairs.map(\.1))
    }

    /// Rewrites an error from a Descent schedule so that it names this library's parameter.
    func renamed(_ error: ScheduleError, _ names: [String: String]) -> ScheduleError {
        guard let parameter = error.parameter, let name = names[parameter] else {
            return ScheduleError(parameter: error.parameter, message: "\(schedule): \(error.message)")
        }
        return ScheduleError(parameter: name, message: "\(schedule): parameter '\(name)': \(error.message)")
    }

    /// Makes a schedule with `body`; a `ScheduleError` it throws names this library's parameter (`names`: Descent's → this library's).
    func build(_ names: [String: String], _ body: () throws -> any SerializableSchedule) throws -> AnySchedule {
        do {
            return AnySchedule(try body())
        } catch let error as ScheduleError {
            throw renamed(error, names)
        }
    }

    /// Every given parameter must be known; reports the first that is not.
    func finish() throws {
        for name in values.keys.sorted() where !used.contains(name) {
            throw error(name, "is not a parameter Descent knows for \(schedule)")
        }
    }
}
