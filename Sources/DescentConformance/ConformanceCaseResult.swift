import Foundation

/// The result of one case of a conformance file (schedules, optimizers, range test): passed or
/// not, the largest relative error against the reference, and what was compared or what failed.
///
/// ```swift
/// let result = ConformanceCaseResult(name: "adam", passed: true, maxRelativeError: 3.1e-7, detail: "")
/// result.line   // "PASS adam (max rel err 3.10e-07)"
/// let step = ConformanceCaseResult(name: "step", passed: true, maxRelativeError: 0,
///                                  detail: "40 values, max rel error 0.00e+00")
/// step.line     // "PASS step: 40 values, max rel error 0.00e+00"
/// ```
public struct ConformanceCaseResult: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var passed: Bool
    /// The largest relative error over everything the case compares (0 when nothing was compared).
    public var maxRelativeError: Double
    /// What failed (the first offending field, step or element) or why the case could not be read;
    /// for a passing case, what was compared, or empty.
    public var detail: String

    public init(name: String, passed: Bool, maxRelativeError: Double, detail: String) {
        self.name = name
        self.passed = passed
        self.maxRelativeError = maxRelativeError
        self.detail = detail
    }

    /// One line for the console: `PASS adam (max rel err 3.10e-07)` when a passing case has no
    /// detail, else `PASS name: detail` or `FAIL name: detail`.
    public var line: String {
        if passed && detail.isEmpty { return "PASS \(name) (max rel err \(String(format: "%.2e", maxRelativeError)))" }
        return "\(passed ? "PASS" : "FAIL") \(name): \(detail)"
    }

    public var description: String { line }
}
