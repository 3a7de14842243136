import DescentFiles
import DescentSchedules
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
    /// The outcome of one case: `detail` says what was compared (`40 values, max rel error 1.2e-16`)
    /// and, for a failure, the first mismatch or the error; `line` reads `PASS step: 40 values, …`.
    public typealias CaseResult = ConformanceCaseResult

    public static let relativeTolerance = 1e-6
    public static let absoluteTolerance = 1e-9

    /// The larger of 1e-6 relative and 1e-9 absolute; relative errors are taken against |expected| ≥ 1e-3.
    static let tolerance = ConformanceComparison.Tolerance(
        relative: relativeTolerance, absolute: absoluteTolerance, combined: .larger,
        errorFloor: absoluteTolerance / relativeTolerance, reportsRelativeError: false)

    /// Whether `value` matches `expected` within the conformance tolerance.
    public static func matches(_ value: Double, _ expected: Double) -> Bool {
        abs(value - expected) <= tolerance.bound(expected)
    }

    /// Runs every case of the file at `fileURL`.
    /// - Throws: ``ScheduleError`` when the file cannot be read or a case is malformed (naming the case and field).
    public static func run(fileURL: URL) throws -> [CaseResult] {
        do {
            return try run(data: ConformanceFile.data(at: fileURL), fileName: fileURL.lastPathComponent)
        } catch ConformanceFile.Problem.unreadable(let reason) {
            throw ScheduleError(parameter: "file", message: "cannot read \(fileURL.path): \(reason)")
        }
    }

    /// Runs every case of a conformance file's contents.
    public static func run(data: Data, fileName: String = "file") throws -> [CaseResult] {
        let cases: [JSONValue]
        do {
            cases = try ConformanceFile.cases(in: data)
        } catch ConformanceFile.Problem.invalidText(let problem) {
            throw ScheduleError(parameter: "file", message: "\(fileName) is not valid JSON: \(problem)")
        } catch ConformanceFile.Problem.undecodable(let reason) {
            throw ScheduleError(parameter: "file", message: "\(fileName) cannot be read as a conformance file: \(reason)")
        } catch {
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
        var comparison = ConformanceComparison(tolerance: tolerance)
        func compare(_ label: String, _ step: Int, _ value: Double?, _ expected: Double) {
            guard let value else {
                return comparison.fail("\(label)[\(step)]: Descent sets no \(label), expected \(expected)", counted: true)
            }
            comparison.compare(value, expected, at: "\(label)[\(step)]")
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
            return CaseResult(name: item.name, passed: false, maxRelativeError: .infinity, detail: "\(error)")
        }
        let what = "\(comparison.count) values, max rel error \(String(format: "%.2e", comparison.maxRelativeError))"
        if let failure = comparison.failure {
            return CaseResult(name: item.name, passed: false, maxRelativeError: comparison.maxRelativeError, detail: "\(failure) (\(what))")
        }
        return comparison.result(item.name, detail: what)
    }
}
