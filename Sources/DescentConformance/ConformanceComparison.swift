import Foundation

/// Compares what Descent computes with a reference's values, one value at a time, keeping the
/// largest relative error and the first mismatch: the one check behind every conformance runner.
///
/// A value matches when |value − expected| ≤ the ``Tolerance``'s bound; its relative error is
/// |value − expected| / max(|expected|, floor), and a value that is not finite makes it infinite.
///
/// Example (the optimizers' tolerance, 1e-4 relative plus 1e-7):
///
///     var comparison = ConformanceComparison(tolerance: .init(relative: 1e-4, absolute: 1e-7, combined: .sum))
///     comparison.compare(Float(1.00005), Float(1.0), at: "step 0[0]")   // within 1e-4·1 + 1e-7
///     comparison.compare(Float(0.5), Float(1.0), at: "step 1[0]")
///     comparison.failure   // "step 1[0] = 0.5, expected 1.0 (rel err 5.00e-01)"
struct ConformanceComparison {
    struct Tolerance {
        enum Combination { case larger, sum }
        /// Relative part of the bound, times |expected|.
        var relative: Double
        /// Absolute part of the bound (for values near zero).
        var absolute: Double
        /// The bound is the larger of the two parts, or their sum.
        var combined: Combination
        /// The smallest |expected| a relative error is taken against.
        var errorFloor: Double = 1e-3
        /// Whether a mismatch's message ends with its relative error.
        var reportsRelativeError = true

        func bound(_ expected: Double) -> Double {
            combined == .larger ? max(relative * abs(expected), absolute) : relative * abs(expected) + absolute
        }
    }

    let tolerance: Tolerance
    /// The largest relative error so far (0 before anything is compared).
    private(set) var maxRelativeError = 0.0
    /// The first mismatch, or nil.
    private(set) var failure: String?
    /// How many values were compared.
    private(set) var count = 0

    init(tolerance: Tolerance) {
        self.tolerance = tolerance
    }

    /// Compares one value with the reference's; `place` names it in a failure (`lr[3]`).
    mutating func compare<Value: BinaryFloatingPoint & CustomStringConvertible>(_ value: Value, _ expected: Value, at place: String) {
        count += 1
        let difference = abs(Double(value) - Double(expected))
        let error = difference / max(abs(Double(expected)), tolerance.errorFloor)
        maxRelativeError = error.isNaN || !value.isFinite ? .infinity : max(maxRelativeError, error)
        if !(difference <= tolerance.bound(Double(expected))) {
            fail("\(place) = \(value), expected \(expected)"
                 + (tolerance.reportsRelativeError ? " (rel err \(String(format: "%.2e", error)))" : ""))
        }
    }

    /// Records a mismatch that is not a number off (a missing value, a wrong count); only the first is kept.
    mutating func fail(_ message: String, counted: Bool = false, infinite: Bool = false) {
        if counted { count += 1 }
        if infinite { maxRelativeError = .infinity }
        if failure == nil { failure = message }
    }

    /// The result of a case named `name` with what was compared.
    func result(_ name: String, detail passedDetail: String = "") -> ConformanceCaseResult {
        ConformanceCaseResult(name: name, passed: failure == nil, maxRelativeError: maxRelativeError, detail: failure ?? passedDetail)
    }
}
