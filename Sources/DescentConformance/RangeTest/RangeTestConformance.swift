import DescentFiles
import DescentTrain
import Foundation

/// Runs learning-rate range test conformance files (the form of `conformance/lr_finder.json`,
/// values from fastai's `LRFinder` and `lr_find`).
///
/// For each case, from its `num_it` and `raw_losses` (and optional `start_lr`, `end_lr`,
/// default 1e-7 and 10, and `beta`, default 0.98):
/// 1. the rates lrs\[i\] = start · (end/start)^(i/num_it) are compared with `lrs`;
/// 2. the debiased moving average of `raw_losses` is compared with `smoothed_losses`;
/// 3. `LearningRateSuggestions` of the recomputed curve are compared with `suggestions`
///    (any of `valley`, `slide`, `minimum`, `steep` present; at least one);
/// 4. when present, `trimmed.from` and `trimmed.drop_last` are compared with the points dropped.
///
/// A value passes when |actual − expected| ≤ 1e-6 · |expected|. The suggestions are
/// computed in Float32 as fastai does, so they match exactly; the tolerance covers the
/// last bits of `pow` and the moving average.
///
/// ```swift
/// let report = try RangeTestConformance.run(fileURL: URL(fileURLWithPath: "conformance/lr_finder.json"))
/// report.results.first?.line   // "PASS synthetic_0 (max rel err 1.42e-15)"
/// report.summary               // "5 passed, 0 failed"
/// ```
public enum RangeTestConformance {
    /// Relative tolerance on every compared value.
    public static let relativeTolerance = 1e-6

    /// The result of one case (`ConformanceCaseResult`): its max relative error is taken over rates, smoothed
    /// losses and suggestions; `line` reads `PASS digits_mlp (max rel err 1.51e-15)` or `FAIL name: detail`.
    public typealias CaseResult = ConformanceCaseResult

    /// The results of a file (`ConformanceReport`).
    public typealias Report = ConformanceReport

    /// Runs every case of a file.
    /// - Throws: `ConformanceError.unreadableFile` if the file cannot be read or is not a JSON object with a
    ///   `cases` array. A case with a missing or malformed field fails with a detail naming the case and field.
    public static func run(fileURL: URL) throws -> Report {
        let cases = try ConformanceFile.cases(at: fileURL, objectsOnly: false)
        return Report(results: cases.enumerated().map { index, value in
            let entry = value.object
            let name = entry?["name"]?.string ?? "case \(index)"
            let context = "\(fileURL.lastPathComponent): case \(name)"
            do {
                guard let entry else { throw ConformanceError.invalidField(context: context, field: "cases[\(index)]", message: "not an object") }
                return try runCase(entry, name: name, context: context)
            } catch {
                return CaseResult(name: name, passed: false, maxRelativeError: .infinity, detail: "\(error)")
            }
        })
    }

    static func runCase(_ entry: [String: JSONValue], name: String, context: String) throws -> CaseResult {
        let iterations = try integer(entry["num_it"], field: "num_it", context: context)
        let raw = try numbers(entry["raw_losses"], field: "raw_losses", context: context)
        let expectedRates = try numbers(entry["lrs"], field: "lrs", context: context)
        let expectedSmoothed = try numbers(entry["smoothed_losses"], field: "smoothed_losses", context: context)
        let start = try optionalNumber(entry["start_lr"], field: "start_lr", context: context) ?? 1e-7
        let end = try optionalNumber(entry["end_lr"], field: "end_lr", context: context) ?? 10
        let beta = try optionalNumber(entry["beta"], field: "beta", context: context) ?? 0.98
        guard let expectedSuggestions = entry["suggestions"]?.object else {
            throw ConformanceError.invalidField(context: context, field: "suggestions", message: "missing or not an object")
        }
        guard raw.count == expectedRates.count, raw.count == expectedSmoothed.count else {
            throw ConformanceError.invalidField(context: context, field: "lrs",
                message: "lrs (\(expectedRates.count)), raw_losses (\(raw.count)) and smoothed_losses (\(expectedSmoothed.count)) differ in length")
        }
        let settings: LearningRateRangeTest
        do {
            settings = try LearningRateRangeTest(startLearningRate: start, endLearningRate: end, iterations: iterations, smoothing: beta)
        } catch {
            throw ConformanceError.invalidField(context: context, field: "num_it", message: "\(error)")
        }

        var comparison = ConformanceComparison(tolerance: .init(relative: relativeTolerance, absolute: 0, combined: .sum,
                                                                errorFloor: .leastNormalMagnitude))
        func compare(_ actual: [Double], _ expected: [Double], field: String) {
            for (index, (value, reference)) in zip(actual, expected).enumerated() {
                comparison.compare(value, reference, at: expected.count == 1 ? field : "\(field)[\(index)]")
            }
        }
        func compareExactly(_ expected: Int, _ actual: Int, field: String) {
            if expected != actual { comparison.fail("\(field) = \(actual), expected \(expected)") }
        }
        let rates = (0..<raw.count).map(settings.learningRate(at:))
        compare(rates, expectedRates, field: "lrs")
        var smoother = SmoothedLoss(beta: beta)
        let smoothed = raw.map { smoother.add($0) }
        compare(smoothed, expectedSmoothed, field: "smoothed_losses")

        if let trimmed = entry["trimmed"] {
            guard let trimmed = trimmed.object else {
                throw ConformanceError.invalidField(context: context, field: "trimmed", message: "not an object")
            }
            let kept = TrimmedCurve.keptRange(count: raw.count, iterations: iterations)
            if let from = trimmed["from"] {
                compareExactly(try integer(from, field: "trimmed.from", context: context), kept.lowerBound, field: "trimmed.from")
            }
            if let dropLast = trimmed["drop_last"] {
                compareExactly(try integer(dropLast, field: "trimmed.drop_last", context: context),
                                          raw.count - kept.upperBound, field: "trimmed.drop_last")
            }
        }

        let suggestions = try LearningRateSuggestions(learningRates: rates, smoothedLosses: smoothed, iterations: iterations)
        var checked = 0
        for (method, actual) in suggestions.named {
            guard let value = expectedSuggestions[method] else { continue }
            guard let expected = value.number else {
                throw ConformanceError.invalidField(context: context, field: "suggestions.\(method)", message: "not a number")
            }
            compare([actual], [expected], field: "suggestions.\(method)")
            checked += 1
        }
        guard checked > 0 else {
            throw ConformanceError.invalidField(context: context, field: "suggestions",
                                                message: "names none of valley, slide, minimum, steep")
        }
        return comparison.result(name)
    }

    static func numbers(_ value: JSONValue?, field: String, context: String) throws -> [Double] {
        guard let list = value?.array else {
            throw ConformanceError.invalidField(context: context, field: field, message: value == nil ? "missing" : "not an array")
        }
        return try list.enumerated().map { index, element in
            guard let number = element.number else {
                throw ConformanceError.invalidField(context: context, field: "\(field)[\(index)]", message: "not a number")
            }
            return number
        }
    }

    static func integer(_ value: JSONValue?, field: String, context: String) throws -> Int {
        guard let number = value?.number, number == number.rounded(), abs(number) < 9.0e18 else {
            throw ConformanceError.invalidField(context: context, field: field, message: value == nil ? "missing" : "not an integer")
        }
        return Int(number)
    }

    static func optionalNumber(_ value: JSONValue?, field: String, context: String) throws -> Double? {
        guard let value else { return nil }
        guard let number = value.number else {
            throw ConformanceError.invalidField(context: context, field: field, message: "not a number")
        }
        return number
    }
}
