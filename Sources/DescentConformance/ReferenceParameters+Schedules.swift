import DescentFiles
import DescentSchedules

extension ReferenceParameters {
    /// Reads a schedule's (or controller's) parameters, named `schedule` in errors.
    init(schedule: String, values: [String: JSONValue]) {
        self.init(values, owner: .schedule(schedule))
    }

    /// The schedule's name, as errors give it.
    var schedule: String {
        switch owner {
        case .schedule(let name): return name
        case .optimizer(let context): return context
        }
    }

    /// `{"10": 0.5, "20": 0.1}` (Optax's `boundaries_and_scales`), sorted by step.
    mutating func boundariesAndScales(_ name: String) throws -> (boundaries: [Int], scales: [Double]) {
        guard let value = value(name) else { return ([], []) }
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
}
