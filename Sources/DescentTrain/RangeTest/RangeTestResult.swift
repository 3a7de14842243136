/// What a learning-rate range test recorded, what it suggests and how sure it is.
///
/// `learningRates[i]`, `rawLosses[i]` and `smoothedLosses[i]` belong to iteration i; the
/// series are shorter than `settings.iterations` when the test stopped at divergence.
///
/// ```swift
/// let result = try LearningRateRangeTest().run(model, optimizer: optimizer, data: train)
/// // digits, MLP 64-32-10, SGD momentum 0.9, batch 32, the default sweep:
/// result.iterationsRun             // 95 (diverged)
/// result.suggestions?.valley       // 0.0229
/// result.confidence.level          // .medium
/// result.confidence.reasons[0]     // "the four suggestions span 2.24 decades (1.45e-03 to 2.51e-01): they disagree, prefer valley"
/// ```
public struct RangeTestResult: Codable, Sendable, Equatable {
    /// The settings the test ran with.
    public var settings: LearningRateRangeTest
    /// The rate of each iteration run.
    public var learningRates: [Double]
    /// The minibatch loss of each iteration (before its step).
    public var rawLosses: [Double]
    /// The debiased moving average of the raw losses (β = `settings.smoothing`).
    public var smoothedLosses: [Double]
    /// Whether the test stopped because the smoothed loss blew up (or was not finite).
    public var diverged: Bool
    /// Whether the loss did not move over the sweep: no weight changed, or (without a blow-up) the
    /// smoothed loss never fell by more than the batch-to-batch noise of one loss. Such a sweep
    /// says nothing about the rate: its suggestions are nil and its confidence is low.
    public var flat: Bool
    /// fastai's four suggestions; nil when too few points remain after trimming, or the sweep is flat.
    public var suggestions: LearningRateSuggestions?
    /// How far to trust the suggestions, with reasons.
    public var confidence: RangeTestConfidence
    /// True when a `StopRequest` ended the sweep before its last iteration (the series hold the iterations run);
    /// nil for a sweep that ran to its end or to divergence.
    public var interrupted: Bool?
    /// With `LearningRateRangeTest.divergenceConfirmation` set: the rates at which the smoothed loss crossed the
    /// blow-up threshold while the median of the recent raw losses stayed below it (a heavy-tailed batch, not a
    /// blow-up), so the sweep went on; nil when the test stops at the first crossing.
    public var unconfirmedBlowUps: [Double]? = nil

    /// Builds the result of a recorded curve: suggestions and confidence are computed from it.
    /// - Parameter parametersMoved: whether any step changed a weight (false: the sweep is flat).
    public init(settings: LearningRateRangeTest, learningRates: [Double], rawLosses: [Double],
                smoothedLosses: [Double], diverged: Bool, parametersMoved: Bool = true) {
        self.settings = settings
        self.learningRates = learningRates
        self.rawLosses = rawLosses
        self.smoothedLosses = smoothedLosses
        self.diverged = diverged
        let suggestions = try? LearningRateSuggestions(learningRates: learningRates, smoothedLosses: smoothedLosses,
                                                       iterations: settings.iterations)
        var confidence = RangeTestConfidence(learningRates: learningRates, rawLosses: rawLosses, smoothedLosses: smoothedLosses,
                                             iterations: settings.iterations, diverged: diverged, suggestions: suggestions)
        // A descent shallower than one loss's noise, with no blow-up, is no descent at all.
        let shallow = !diverged && confidence.keptPoints > 0 && confidence.signalToNoise < 1
        flat = !parametersMoved || shallow
        if flat {
            let first = learningRates.first ?? .nan, last = learningRates.last ?? .nan
            let why = parametersMoved
                ? "the smoothed loss never fell by more than the noise of one batch"
                : "no weight changed (the rates are too small to move Float32 weights)"
            confidence.level = .low
            confidence.reasons.insert(String(format: "the loss did not move over rates %.2e to %.2e: ", first, last) + why
                                      + "; this sweep suggests no rate to use, sweep higher rates (raise --start and --end)", at: 0)
            self.suggestions = nil
        } else {
            self.suggestions = suggestions
        }
        self.confidence = confidence
    }

    /// Number of iterations run.
    public var iterationsRun: Int { learningRates.count }
}
