import Foundation
import DescentSchedules

/// The result of one case of a conformance file (optimizers, range test): passed or not, the largest
/// relative error against the reference, and what failed.
///
/// ```swift
/// let result = ConformanceCaseResult(name: "adam", passed: true, maxRelativeError: 3.1e-7, detail: "")
/// result.line   // "PASS adam (max rel err 3.10e-07)"
/// ```
public struct ConformanceCaseResult: Sendable, Equatable {
    public var name: String
    public var passed: Bool
    /// The largest relative error over everything the case compares.
    public var maxRelativeError: Double
    /// What failed (the first offending field, step or element) or why the case could not be read; empty when passed.
    public var detail: String

    public init(name: String, passed: Bool, maxRelativeError: Double, detail: String) {
        self.name = name
        self.passed = passed
        self.maxRelativeError = maxRelativeError
        self.detail = detail
    }

    /// One line for the console: `PASS adam (max rel err 3.10e-07)` or `FAIL name: detail`.
    public var line: String {
        passed ? "PASS \(name) (max rel err \(String(format: "%.2e", maxRelativeError)))" : "FAIL \(name): \(detail)"
    }
}

/// The results of a conformance file, one per case in file order.
///
/// ```swift
/// let report = ConformanceReport(results: [ConformanceCaseResult(name: "a", passed: true, maxRelativeError: 0, detail: ""),
///                                          ConformanceCaseResult(name: "b", passed: false, maxRelativeError: 1, detail: "x")])
/// report.summary   // "1 passed, 1 failed"
/// ```
public struct ConformanceReport: Sendable {
    public var results: [ConformanceCaseResult]
    public var passedCount: Int { results.filter(\.passed).count }
    public var failedCount: Int { results.count - passedCount }
    /// `N passed, M failed`.
    public var summary: String { "\(passedCount) passed, \(failedCount) failed" }

    public init(results: [ConformanceCaseResult]) {
        self.results = results
    }
}

/// Reading a conformance file: a JSON object with a `cases` array.
package enum ConformanceFile {
    /// The `cases` of the file, each as `Case` (`[String: Any]`, or `Any` to check each case on its own).
    /// - Throws: `ConformanceError.unreadableFile` if the file cannot be read or is not a JSON object
    ///   with a `cases` array of `Case`.
    package static func cases<Case>(at fileURL: URL, as type: Case.Type) throws -> [Case] {
        let data: Data
        do { data = try Data(contentsOf: fileURL) } catch {
            throw ConformanceError.unreadableFile(path: fileURL.path, message: "cannot read: \(error.localizedDescription)")
        }
        if let problem = JSONTextCheck.firstProblem(in: [UInt8](data)) {
            throw ConformanceError.unreadableFile(path: fileURL.path, message: "not valid JSON: \(problem)")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cases = root["cases"] as? [Case] else {
            throw ConformanceError.unreadableFile(path: fileURL.path, message: "expected a JSON object with a \"cases\" array")
        }
        return cases
    }
}
