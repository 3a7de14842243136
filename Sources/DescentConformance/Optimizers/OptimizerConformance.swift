import DescentFiles
import DescentOptim
import DescentTensor
import Foundation

/// Runs optimizer conformance files: cases computed by a reference implementation
/// (PyTorch, Optax, schedulefree, prodigyopt, dadaptation) in float32.
///
/// A case starts from `initial`, applies `gradients[i]` at step i and compares the
/// parameters after step i with `expected[i]`; with `expected_eval`, the evaluation
/// point after the last step (schedule-free) too. A case with `lr_schedule` (a PyTorch
/// scheduler description, base rate = `params.lr`) steps it after each optimizer step.
/// An element passes when |actual − expected| ≤ 1e-4·|expected| + 1e-7.
///
/// ```swift
/// let report = try OptimizerConformance.run(fileURL: URL(fileURLWithPath: "conformance/optimizers.json"))
/// print(report.summary)   // "19 passed, 0 failed"
/// ```
public enum OptimizerConformance {
    /// Relative tolerance on parameters.
    public static let relativeTolerance = 1e-4
    /// Absolute floor of the tolerance (for elements that cross zero).
    public static let absoluteTolerance = 1e-7

    /// The result of one case (`ConformanceCaseResult`): its max relative error is
    /// |actual − expected| / max(|expected|, 1e-3) over all steps and elements; `line` reads `PASS adam (max rel err 3.1e-07)`.
    public typealias CaseResult = ConformanceCaseResult

    /// The results of a file (`ConformanceReport`).
    public typealias Report = ConformanceReport

    /// Builds the schedule of a case's `lr_schedule` (the description and the base rate).
    public typealias ScheduleMaker = @Sendable (_ description: [String: JSONValue], _ baseRate: Double, _ context: String) throws -> ScheduledRate

    /// Runs every case of a file.
    /// - Throws: `ConformanceError.unreadableFile` if the file is not a JSON object with a `cases` array.
    ///   A case that cannot be built is reported as failed with its error, not thrown.
    public static func run(fileURL: URL, makeSchedule: ScheduleMaker = ConformanceSchedule.make) throws -> Report {
        let cases = try ConformanceFile.cases(at: fileURL, objectsOnly: true).compactMap(\.object)
        return Report(results: cases.enumerated().map { index, entry in
            let name = entry["name"]?.string ?? "case \(index)"
            do { return try runCase(entry, name: name, context: "\(fileURL.lastPathComponent): case \(name)",
                                    makeSchedule: makeSchedule) }
            catch { return CaseResult(name: name, passed: false, maxRelativeError: .infinity, detail: "\(error)") }
        })
    }

    static func runCase(_ entry: [String: JSONValue], name: String, context: String,
                        makeSchedule: ScheduleMaker) throws -> CaseResult {
        guard let optimizerName = entry["optimizer"]?.string else {
            throw ConformanceError.invalidField(context: context, field: "optimizer", message: "missing")
        }
        let parameters = entry["params"]?.object ?? [:]
        let initial = try floats(entry["initial"], field: "initial", context: context)
        let gradients = try list(entry["gradients"], field: "gradients", context: context)
            .enumerated().map { try floats($1, field: "gradients[\($0)]", context: context) }
        let expected = try list(entry["expected"], field: "expected", context: context)
            .enumerated().map { try floats($1, field: "expected[\($0)]", context: context) }
        guard gradients.count == expected.count else {
            throw ConformanceError.invalidField(context: context, field: "expected",
                                                message: "\(expected.count) steps but \(gradients.count) gradients")
        }
        var schedule: ScheduledRate?
        if let description = entry["lr_schedule"]?.object {
            let base = parameters["lr"]?.number ?? parameters["learning_rate"]?.number ?? 0.001
            schedule = try makeSchedule(description, base, context + ": lr_schedule")
        }
        var optimizer = try OptimizerFactory.make(reference: optimizerName, parameters: parameters, schedule: schedule,
                                                  context: context)
        var values = ["p": Tensor(initial)]
        // Relative to |expected| floored at 1e-3 (where the absolute floor of the tolerance takes over).
        var comparison = ConformanceComparison(tolerance: .init(relative: relativeTolerance, absolute: absoluteTolerance,
                                                                combined: .sum))
        func compare(_ actual: [Float], _ reference: [Float], label: String) {
            guard actual.count == reference.count else {
                return comparison.fail("\(label): \(actual.count) values, expected \(reference.count)", infinite: true)
            }
            for (index, (a, e)) in zip(actual, reference).enumerated() {
                comparison.compare(a, e, at: "\(label)[\(index)]")
            }
        }
        for (step, gradient) in gradients.enumerated() {
            guard gradient.count == initial.count else {
                throw ConformanceError.invalidField(context: context, field: "gradients[\(step)]",
                                                    message: "\(gradient.count) values for \(initial.count) parameters")
            }
            try optimizer.update(&values, along: ["p": Tensor(gradient)])
            compare(values["p"]!.scalars, expected[step], label: "step \(step)")
        }
        if let evaluation = entry["expected_eval"] {
            let reference = try floats(evaluation, field: "expected_eval", context: context)
            optimizer.setEvaluationMode(true, parameters: &values)
            compare(values["p"]!.scalars, reference, label: "eval")
        }
        return comparison.result(name)
    }

    static func list(_ value: JSONValue?, field: String, context: String) throws -> [JSONValue] {
        guard let list = value?.array else {
            throw ConformanceError.invalidField(context: context, field: field, message: "expected a list")
        }
        return list
    }

    /// A list of numbers, nested lists flattened in row-major order.
    static func floats(_ value: JSONValue?, field: String, context: String) throws -> [Float] {
        guard let list = value?.array else {
            throw ConformanceError.invalidField(context: context, field: field, message: "expected a list of numbers")
        }
        var result: [Float] = []
        for element in list {
            if let number = element.number { result.append(Float(number)) }
            else if element.array != nil { result += try floats(element, field: field, context: context) }
            else {
                throw ConformanceError.invalidField(context: context, field: field, message: "\(element) is not a number")
            }
        }
        return result
    }
}
