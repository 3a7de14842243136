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
