// `RepeatedRangeTest`; the file is named …Tester because tools take a `*Test.swift` file for a test.
import DescentData
import DescentNN
import DescentOptim
import Foundation

/// The range test run K times on K reshuffles of the data (minibatch seeds seed, seed + 1, …,
/// seed + K − 1; the same starting weights), with the median of each suggestion and how far the
/// runs disagree.
///
/// A single sweep depends on the order of its minibatches: fastai's valley on the digits MLP moved
/// between 0.0025 and 0.0052 over three runs (fastai issue #3295). For each suggestion s the runs give
/// s₁ … s_K; this reports
///
///     median = the middle value (the mean of the two middle values for even K)
///     spread = log₁₀(max sᵢ / min sᵢ)   in decades (0 when K = 1)
///
/// and the confidence is that of the run whose valley is the median (its curve, with the agreement measured on the
/// median suggestions it lists, so "the four suggestions span … (a to b)" covers every listed rate), lowered by the spread of the
/// valley (fastai's default suggestion, the one `descent` recommends first):
///
/// | valley spread | grade |
/// | --- | --- |
/// | ≤ 0.5 decade (a factor ≈ 3.2) | high |
/// | ≤ 1 decade | medium |
/// | > 1 decade | low |
///
/// A repeat whose curve gives no suggestion (too few points, a flat sweep) lowers the confidence
/// to low. The thresholds: one grid step of a tuner is half a decade; runs that disagree by more
/// than a decade do not name a rate at all.
///
/// ```swift
/// let repeated = try RepeatedRangeTest(test: LearningRateRangeTest(), repeats: 3).run(model, optimizer: optimizer, data: train)
/// // digits, MLP 64-32-10, SGD momentum 0.9:
/// repeated.medians?.valley            // ≈ 0.023
/// repeated.spreadDecades?["valley"]   // ≈ 0.2
/// repeated.confidence.level           // .medium (the four suggestions disagree; the repeats agree)
/// ```
public struct RepeatedRangeTest: Codable, Sendable, Equatable {
    /// The settings of each sweep (its seed is that of the first repeat).
    public var test: LearningRateRangeTest
    /// Number of sweeps.
    public var repeats: Int

    /// Largest spread of the valley for each grade.
    public static let spreadForHigh = 0.5
    public static let spreadForMedium = 1.0

    /// - Throws: `RangeTestError.invalidSetting` when `repeats` is not between 1 and 100.
    public init(test: LearningRateRangeTest, repeats: Int = 3) throws {
        guard repeats >= 1, repeats <= 100 else {
            throw RangeTestError.invalidSetting(name: "repeats", message: "must be between 1 and 100, got \(repeats)")
        }
        self.test = test
        self.repeats = repeats
    }

    /// Runs the sweeps (each restores the model, so all start from the same weights).
    /// - Parameter stopRequest: checked before each iteration of each sweep; once set, no further sweep starts and
    ///   the result holds the sweeps run so far, the last one cut short (`RangeTestResult.interrupted`).
    public func run<Model: Module, Rule: OptimizerRule>(_ model: Model, optimizer: Optimizer<Rule>, data: Dataset,
                                                        stopRequest: StopRequest? = nil) throws -> RepeatedRangeTestResult {
        var results: [RangeTestResult] = []
        for index in 0..<repeats {
            var settings = test
            settings.seed = test.seed &+ UInt64(index)
            results.append(try settings.run(model, optimizer: optimizer, data: data, stopRequest: stopRequest))
            if stopRequest?.isRequested == true { break }
        }
        return RepeatedRangeTestResult(results: results)
    }
}

/// The runs of a `RepeatedRangeTest`, the median of each suggestion, its spread and the confidence.
public struct RepeatedRangeTestResult: Codable, Sendable, Equatable {
    /// The sweeps, in seed order.
    public var results: [RangeTestResult]
    /// The median of each suggestion over the runs that gave suggestions (nil if none did).
    public var medians: LearningRateSuggestions?
    /// log₁₀(max/min) of each suggestion over those runs, by name.
    public var spreadDecades: [String: Double]
    /// The confidence of the run whose valley is the median, lowered by the valley's spread.
    public var confidence: RangeTestConfidence
    /// Index in `results` of the run whose valley is the median (its curve is the one to show).
    public var representative: Int

    public init(results: [RangeTestResult]) {
        precondition(!results.isEmpty, "a repeated range test has at least one run")
        self.results = results
        let suggested = results.enumerated().compactMap { index, result in result.suggestions.map { (index, $0) } }
        var spreads: [String: Double] = [:]
        if suggested.isEmpty {
            medians = nil
            representative = 0
        } else {
            func median(_ values: [Double]) -> Double { RangeTestConfidence.median(values) }
            let all = suggested.map(\.1)
            medians = LearningRateSuggestions(valley: median(all.map(\.valley)), slide: median(all.map(\.slide)),
                                              minimum: median(all.map(\.minimum)), steep: median(all.map(\.steep)))
            for name in ["valley", "slide", "minimum", "steep"] {
                let values = all.map { suggestions in suggestions.named.first { $0.name == name }!.learningRate }
                spreads[name] = Foundation.log10(values.max()! / values.min()!)
            }
            // The run whose valley is the lower median (for odd K, the median itself).
            let order = suggested.sorted { $0.1.valley < $1.1.valley }
            representative = order[(order.count - 1) / 2].0
        }
        spreadDecades = spreads
        var confidence = results[representative].confidence
        if results.count > 1, let medians, results[representative].suggestions != nil {
            // The suggestions listed are the medians: grade (and quote) their agreement, not the representative run's own.
            let shown = results[representative]
            confidence = RangeTestConfidence(learningRates: shown.learningRates, rawLosses: shown.rawLosses,
                                             smoothedLosses: shown.smoothedLosses, iterations: shown.settings.iterations,
                                             diverged: shown.diverged, suggestions: medians)
        }
        if results.count > 1 {
            var graded: [(RangeTestConfidence.Level, String)] = []
            if suggested.count < results.count {
                graded.append((.low, "\(results.count - suggested.count) of \(results.count) repeats gave no suggestion"))
            }
            if let spread = spreads["valley"], let medians {
                let text = String(format: "over %d reshuffles the valley moved by %.2f decades around its median %.2e",
                                  suggested.count, spread, medians.valley)
                if spread <= RepeatedRangeTest.spreadForHigh {
                    graded.append((.high, text))
                } else if spread <= RepeatedRangeTest.spreadForMedium {
                    graded.append((.medium, text + ": the sweep depends on the order of the batches"))
                } else {
                    graded.append((.low, text + ": the runs do not agree on a rate"))
                }
            }
            for (level, reason) in graded {
                confidence.level = Swift.min(confidence.level, level)
                confidence.reasons.insert(reason, at: level < .high ? 0 : confidence.reasons.count)
            }
        }
        self.confidence = confidence
    }
}
