import Foundation

/// Runs schedule conformance files: reference values from PyTorch, Optax and Keras, in the form
/// of `shared/conformance/schedules.json`.
///
/// A file is `{"cases": [case, …]}`; a case has `name`, `source` (`pytorch`, `optax`, `keras`,
/// `descent`), `schedule` (the library's name), `params` (the library's parameter names),
/// `base_lr` (PyTorch), `steps`, `lr` (the rate in force at steps 0…steps−1) and optionally
/// `momentum` (cycled momentum or β₁ at each step) and, for `ReduceLROnPlateau`, `metrics` (the
/// metric reported after each step; `lr[i]` is the rate before metric `i` is reported).
///
/// A value matches when `|value − expected| ≤ max(1e-6 · |expected|, 1e-9)`.
///
///     let results = try ScheduleConformance.run(fileURL: url)
///     results.filter(\.passed).count   // 23 for the shared file
public enum ScheduleConformance {
    /// The outcome of one case.
    public struct CaseResult: Sendable, Equatable, CustomStringConvertible {
        public var name: String
        public var passed: Bool
        /// What was compared (`lr` and `momentum` values) and, for a failure, the first mismatch or the error.
        public var detail: String
        /// The largest relative error seen over every compared value (0 when nothing was compared).
        public var maximumRelativeError: Double

        public var description: String { "\(passed ? "PASS" : "FAIL") \(name): \(detail)" }
    }

    public static let relativeTolerance = 1e-6
    public static let absoluteTolerance = 1e-9

    /// Whether `value` matches `expected` within the conformance tolerance.
    public static func matches(_ value: Double, _ expected: Double) -> Bool {
        abs(value - expected) <= max(relativeTolerance * abs(expected), absoluteTolerance)
    }

    /// Runs every case of the file at `fileURL`.
    /// - Throws: ``ScheduleError`` when the file cannot be read or a case is malformed (naming the case and field).
    public static func run(fileURL: URL) throws -> [CaseResult] {
        let data: Data
        do {
            data = try Data(contentsOf: fileURL)
        } catch {
            throw ScheduleError(parameter: "file", message: "cannot read \(fileURL.path): \(error.localizedDescription)")
        }
        return try run(data: data, fileName: fileURL.lastPathComponent)
    }

    /// Runs every case of a conformance file's contents.
    public static func run(data: Data, fileName: String = "file") throws -> [CaseResult] {
        if let problem = JSONTextCheck.firstProblem(in: [UInt8](data)) {
            throw ScheduleError(parameter: "file", message: "\(fileName) is not valid JSON: \(problem)")
        }
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ScheduleError(parameter: "file", message: "\(fileName) is not valid JSON: \(error)")
        }
        guard let cases = root.object?["cases"]?.array else {
            throw ScheduleError(parameter: "cases", message: "\(fileName) has no 'cases' list")
        }
        return try cases.enumerated().map { index, value in
            guard let object = value.object else {
                throw ScheduleError(parameter: "cases", message: "\(fileName): case \(index + 1) is not an object")
            }
            return try check(ConformanceCase(object, index: index))
        }
    }

    /// One case, with its fields checked.
    struct ConformanceCase {
        var name: String
        var source: String
        var schedule: String
        var parameters: [String: JSONValue]
        var baseLearningRate: Double?
        var steps: Int
        var rates: [Double]
        var momentum: [Double]?
        var metrics: [Double]?

        init(_ object: [String: JSONValue], index: Int) throws {
            let name = object["name"]?.string ?? "case \(index + 1)"
            func field(_ key: String, _ message: String) -> ScheduleError {
                ScheduleError(parameter: key, message: "case '\(TextForm.excerpt(name))': field '\(key)' \(TextForm.excerpt(message, limit: 240))")
            }
            func numbers(_ key: String) throws -> [Double]? {
                guard let value = object[key] else { return nil }
                guard let array = value.array else { throw field(key, "must be a list of numbers") }
                return try array.enumerated().map { position, item in
                    guard let number = item.number else { throw field(key, "item \(position) is \(item), not a number") }
                    return number
                }
            }
            self.name = name
            guard object["name"]?.string != nil else { throw field("name", "is missing") }
            guard let source = object["source"]?.string else { throw field("source", "is missing or not a string") }
            guard let schedule = object["schedule"]?.string else { throw field("schedule", "is missing or not a string") }
            self.source = source
            self.schedule = schedule
            let parameters = object["params"] ?? .object([:])
            guard let dictionary = parameters.object else { throw field("params", "must be an object") }
            self.parameters = dictionary
            if let base = object["base_lr"] {
                guard let number = base.number else { throw field("base_lr", "must be a number") }
                baseLearningRate = number
            }
            guard let rates = try numbers("lr") else { throw field("lr", "is missing") }
            self.rates = rates
            if let value = object["steps"] {
                guard let number = value.number, number == number.rounded(), number >= 0,
                      number <= Double(ScheduleParser.maximumTotalSteps) else {
                    throw field("steps", "must be a whole number from 0 to 10^15, got \(value)")
                }
                steps = Int(number)
            } else {
                steps = rates.count
            }
            guard rates.count == steps else { throw field("lr", "has \(rates.count) values but steps is \(steps)") }
            momentum = try numbers("momentum")
            if let momentum, momentum.count != steps {
                throw field("momentum", "has \(momentum.count) values but steps is \(steps)")
            }
            metrics = try numbers("metrics")
            if let metrics, metrics.count != steps {
                throw field("metrics", "has \(metrics.count) values but steps is \(steps)")
            }
            if schedule == "ReduceLROnPlateau" {
                guard metrics != nil else { throw field("metrics", "is missing (ReduceLROnPlateau needs the metric sequence)") }
                guard baseLearningRate != nil else { throw field("base_lr", "is missing (ReduceLROnPlateau needs it)") }
            }
        }
    }

    static func check(_ item: ConformanceCase) -> CaseResult {
        var worst = 0.0
        var compared = 0
        var failure: String?
        func compare(_ label: String, _ step: Int, _ value: Double?, _ expected: Double) {
            compared += 1
            guard let value else {
                if failure == nil { failure = "\(label)[\(step)]: Descent sets no \(label), expected \(expected)" }
                return
            }
            let error = abs(value - expected) / max(abs(expected), absoluteTolerance / relativeTolerance)
            if value.isNaN { worst = .infinity } else { worst = max(worst, error) }
            if !matches(value, expected) && failure == nil {
                failure = "\(label)[\(step)] = \(value), expected \(expected)"
            }
        }
        do {
            if item.schedule == "ReduceLROnPlateau" {
                var controller = try ReferenceSchedule.makePlateau(parameters: item.parameters)
                let base = item.baseLearningRate ?? 0
                for step in 0..<item.steps {
                    let rate = controller.apply(to: base)
                    compare("lr", step, rate, item.rates[step])
                    controller.observe(metric: item.metrics?[step] ?? .nan, learningRate: rate)
                }
            } else {
                let made = try ReferenceSchedule.make(source: item.source, name: item.schedule,
                                                      parameters: item.parameters, baseLearningRate: item.baseLearningRate)
                for step in 0..<item.steps {
                    compare("lr", step, made.rate(step), item.rates[step])
                    if let momentum = item.momentum {
                        compare("momentum", step, made.momentum?(step), momentum[step])
                    }
                }
            }
        } catch {
            return CaseResult(name: item.name, passed: false, detail: "\(error)", maximumRelativeError: .infinity)
        }
        let what = "\(compared) values, max rel error \(String(format: "%.2e", worst))"
        if let failure {
            return CaseResult(name: item.name, passed: false, detail: "\(failure) (\(what))", maximumRelativeError: worst)
        }
        return CaseResult(name: item.name, passed: true, detail: what, maximumRelativeError: worst)
    }
}
