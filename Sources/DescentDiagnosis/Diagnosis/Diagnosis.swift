import DescentTrain
/// What the training curves show, in plain words: a verdict, the measurements behind it
/// (each a sentence with numbers), what to do about it, and how sure the reading is.
///
/// ```swift
/// let diagnosis = diagnose(curves)
/// diagnosis.verdict      // .overfitting
/// diagnosis.evidence[0]  // "validation loss rose from 0.21 at epoch 8 to 0.354 at epoch 20 (+69%)
///                        //  while training loss fell from 0.192 to 0.0127"
/// diagnosis.advice       // .stopEarly(atEpoch: 8, patience: 5): a kind and numbers, phrased by the front end
/// diagnosis.confidence   // .high
/// ```
public struct Diagnosis: Codable, Sendable, Equatable {
    /// The reading of the curves.
    public enum Verdict: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
        /// The loss blew up and the divergence guard could not save the run (or it went non-finite).
        case diverged = "diverged"
        /// The guard rolled back, or the training loss rises or oscillates at a high level.
        case rateTooHigh = "rate_too_high"
        /// The loss still falls steadily at the end, as fast as before, far from converged.
        case rateTooLow = "rate_too_low"
        /// Validation loss turned up after a minimum while training loss kept falling.
        case overfitting = "overfitting"
        /// The run ended while its validation loss (training loss without validation) was still falling
        /// fast enough that a longer run would do clearly better: train on.
        case stillImproving = "still_improving"
        /// Training loss flattened out high and the metric is poor against a trivial baseline.
        case underfitting = "underfitting"
        /// None of the above: the loss fell and levelled off (settled), validation followed.
        case goodFit = "good_fit"

        /// The verdict in words: "learning rate too high".
        public var description: String {
            switch self {
            case .diverged: return "diverged"
            case .rateTooHigh: return "learning rate too high"
            case .rateTooLow: return "learning rate too low"
            case .overfitting: return "overfitting"
            case .stillImproving: return "still improving"
            case .underfitting: return "underfitting"
            case .goodFit: return "good fit"
            }
        }
    }

    /// How sure the reading is; the rule is in `CurveDiagnosis`.
    public enum Confidence: String, Codable, Sendable, CaseIterable {
        case low, medium, high
    }

    public var verdict: Verdict
    /// The measurements behind the verdict, one sentence each, with numbers.
    public var evidence: [String]
    /// What to do next: a kind and its numbers (`Advice`); `advice.description` is a tool-neutral sentence.
    public var advice: Advice
    public var confidence: Confidence
    /// The learning rate the advice points to, when the run's settings are known (`TrainingCurves.settings`):
    /// the base rate × the advice's factor, or the rate the guard settled on. Nil otherwise.
    public var learningRate: Double?
    /// The rate given lies outside what the run's optimizer is normally trained at (a rate found for another
    /// family, most often); nil when it does not, or the settings are not known. Its sentence is in `evidence` too.
    public var unusualLearningRate: UnusualLearningRate?

    public init(verdict: Verdict, evidence: [String], advice: Advice, confidence: Confidence, learningRate: Double? = nil) {
        self.verdict = verdict
        self.evidence = evidence
        self.advice = advice
        self.confidence = confidence
        self.learningRate = learningRate
    }

    /// One line: "learning rate too high (high confidence): lower the learning rate ~3× (a learning-rate range test finds a good one)".
    public var message: String {
        "\(verdict) (\(confidence.rawValue) confidence): \(advice)"
    }
}
