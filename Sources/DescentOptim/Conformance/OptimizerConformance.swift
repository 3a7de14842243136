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
    public typealias ScheduleMaker = @Sendable (_ description: [String: Any], _ baseRate: Double, _ context: String) throws -> ScheduledRate

    /// Runs every case of a file.
    /// - Throws: `ConformanceError.unreadableFile` if the file is not a JSON object with a `cases` array.
    ///   A case that cannot be built is reported as failed with its error, not thrown.
    public static func run(fileURL: URL, makeSchedule: ScheduleMaker = ConformanceSchedule.make) throws -> Report {
        let cases = try ConformanceFile.cases(at: fileURL, as: [String: Any].self)
        return Report(results: cases.enumerated().map { index, entry in
            let name = entry["name"] as? String ?? "case \(index)"
            do { return try runCase(entry, name: name, context: "\(fileURL.lastPathComponent): case \(name)",
                                    makeSchedule: makeSchedule) }
            catch { return CaseResult(name: name, passed: false, maxRelativeError: .infinity, detail: "\(error)") }
        })
    }

    static func runCase(_ entry: [String: Any], name: String, context: String,
                        makeSchedule: ScheduleMaker) throws -> CaseResult {
        guard let optimizerName = entry["optimizer"] as? String else {
            throw ConformanceError.invalidField(context: context, field: "optimizer", message: "missing")
        }
        let parameters = entry["params"] as? [String: Any] ?? [:]
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
        if let description = entry["lr_schedule"] as? [String: Any] {
            let base = JSONNumber.double(parameters["lr"]) ?? JSONNumber.double(parameters["learning_rate"]) ?? 0.001
            schedule = try makeSchedule(description, base, context + ": lr_schedule")
        }
        var optimizer = try OptimizerFactory.make(reference: optimizerName, parameters: parameters, schedule: schedule,
                                                  context: context)
        var values = ["p": Tensor(initial)]
        var worst = 0.0
        var failure: String?
        func compare(_ actual: [Float], _ reference: [Float], label: String) {
            guard actual.count == reference.count else {
                failure = failure ?? "\(label): \(actual.count) values, expected \(reference.count)"
                worst = .infinity
                return
            }
            for (index, (a, e)) in zip(actual, reference).enumerated() {
                let difference = abs(Double(a) - Double(e))
                // Relative to |expected| floored at 1e-3 (where the absolute floor of the tolerance takes over).
                let relative = difference / max(abs(Double(e)), 1e-3)
                worst = a.isFinite ? max(worst, relative) : .infinity
                if !(difference <= relativeTolerance * abs(Double(e)) + absoluteTolerance), failure == nil {
                    failure = "\(label)[\(index)] = \(a), expected \(e) (rel err \(String(format: "%.2e", relative)))"
                }
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
        return CaseResult(name: name, passed: failure == nil, maxRelativeError: worst, detail: failure ?? "")
    }

    static func list(_ value: Any?, field: String, context: String) throws -> [Any] {
        guard let list = value as? [Any] else {
            throw ConformanceError.invalidField(context: context, field: field, message: "expected a list")
        }
        return list
    }

    /// A list of numbers, nested lists flattened in row-major order.
    static func floats(_ value: Any?, field: String, context: String) throws -> [Float] {
        guard let list = value as? [Any] else {
            throw ConformanceError.invalidField(context: context, field: field, message: "expected a list of numbers")
        }
        var result: [Float] = []
        for element in list {
            if let number = JSONNumber.double(element) { result.append(Float(number)) }
            else if element is [Any] { result += try floats(element, field: field, context: context) }
            else {
                throw ConformanceError.invalidField(context: context, field: field, message: "\(element) is not a number")
            }
        }
        return result
    }
}
