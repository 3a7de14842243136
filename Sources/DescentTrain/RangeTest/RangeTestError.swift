/// An error from the learning-rate range test, naming the setting or the curve at fault.
///
/// ```swift
/// try LearningRateRangeTest(startLearningRate: 1, endLearningRate: 0.1)
/// // throws .invalidSetting(name: "endLearningRate", message: "must be greater than startLearningRate (1.0), got 0.1")
/// ```
public enum RangeTestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A setting of the test is out of range (names the setting).
    case invalidSetting(name: String, message: String)
    /// The recorded curve cannot be read (series of different lengths, ...).
    case invalidCurve(String)
    /// Too few points remain after dropping the first tenth, the last 5 and the non-finite tail.
    case tooFewPoints(kept: Int, needed: Int)

    public var description: String {
        switch self {
        case let .invalidSetting(name, message): return "range test setting \(name) \(message)"
        case let .invalidCurve(message): return "range test curve: \(message)"
        case let .tooFewPoints(kept, needed):
            return "range test: only \(kept) points are left after trimming the curve, \(needed) are needed to suggest a rate"
        }
    }
}
