import DescentOptim
import DescentTrain
import Foundation

/// A rate given to a run that lies outside what its optimizer is normally trained at
/// (`OptimizerRegistry.typicalLearningRates`), with what the divergence guard made of it.
///
/// The usual cause is a rate found for another optimizer family: a range test run with SGD suggests
/// rates 10–100× those of Adam on the same problem (SGD's step is rate × gradient; Adam's is about the
/// rate, whatever the gradient's size), so an SGD suggestion given to AdamW is far too high, and an Adam
/// rate given to SGD crawls. The check says only what is true of the run: the rate, the span its optimizer
/// normally uses, and whether the loss blew up at it — never that the rate is wrong (small tables can
/// train well at unusual rates). An automatically chosen rate is not checked (it was measured on this run).
///
/// ```swift
/// // descent range-test --optimizer sgd suggested 0.3; descent train --learning-rate 0.3 (AdamW) rolled back twice
/// let unusual = UnusualLearningRate.check(curves)!
/// unusual.isAbove            // true: 0.3 > 1e-2
/// unusual.sentence           // "the rate 0.3 is above the 1e-05 to 0.01 that adamw, of the Adam family (Adam, AdamW,
///                            //  RMSprop), is normally trained at (its reference default is 0.001; SGD with momentum takes
///                            //  rates 10–100× higher, so a rate a range test found for SGD is usually too high for it); at it the
///                            //  divergence guard rolled back 2 times and training went on at 0.0375"
/// ```
public struct UnusualLearningRate: Codable, Sendable, Equatable {
    /// The optimizer's name ("adamw").
    public var optimizer: String
    public var family: OptimizerFamily
    /// The base (peak) rate given.
    public var learningRate: Double
    /// The span the optimizer is normally trained at.
    public var typicalLow: Double
    public var typicalHigh: Double
    /// The reference implementation's default rate (nil for SGD).
    public var referenceLearningRate: Double?
    /// Above the span (true) or below it.
    public var isAbove: Bool
    /// The guard's outcome: its rollbacks, the rate it went on at after the last one (nil: none), and whether it gave up.
    public var rollbacks: Int
    public var settledLearningRate: Double?
    public var diverged: Bool
    /// Whether the verdict is the trouble such a rate brings (too high or diverged for a rate above the span; too low,
    /// still improving or underfitting below it): then advice on finding a rate for this optimizer follows; a run
    /// that went well at an unusual rate is only told the fact. Set by the diagnosis (false until then).
    public var matchesVerdict = false

    private enum CodingKeys: String, CodingKey {
        case optimizer, family, rollbacks, diverged
        case learningRate = "learning_rate", typicalLow = "typical_low", typicalHigh = "typical_high"
        case referenceLearningRate = "reference_learning_rate", isAbove = "above"
        case settledLearningRate = "settled_learning_rate"
        case matchesVerdict = "matches_verdict"
    }

    /// The check on a run with known settings: nil when the rate was chosen automatically, the optimizer has no
    /// typical span (learning-rate-free), or the rate lies within it.
    public static func check(_ curves: TrainingCurves) -> UnusualLearningRate? {
        guard let settings = curves.settings, settings.learningRateChosenAutomatically != true,
              let registered = OptimizerRegistry(rawValue: settings.optimizer), let typical = registered.typicalLearningRates,
              settings.learningRate > 0, settings.learningRate.isFinite, !typical.contains(settings.learningRate) else { return nil }
        let scale = curves.rollbacks.last?.rateScale.flatMap { $0 > 0 && $0 < 1 ? $0 : nil }
        return UnusualLearningRate(
            optimizer: settings.optimizer, family: registered.family, learningRate: settings.learningRate,
            typicalLow: typical.lowerBound, typicalHigh: typical.upperBound, referenceLearningRate: registered.referenceLearningRate,
            isAbove: settings.learningRate > typical.upperBound, rollbacks: curves.rollbacks.count,
            settledLearningRate: scale.map { $0 * settings.learningRate }, diverged: curves.finalDivergence != nil)
    }

    /// Whether `verdict` is the trouble a rate on this side of the span brings.
    public func matches(_ verdict: Diagnosis.Verdict) -> Bool {
        isAbove ? [.rateTooHigh, .diverged].contains(verdict) : [.rateTooLow, .stillImproving, .underfitting].contains(verdict)
    }

    /// The family whose rates this one looks like: SGD's for a high Adam-family rate, the Adam family's for a low SGD rate.
    public var likelyFamily: OptimizerFamily? {
        switch (family, isAbove) {
        case (.adaptive, true): return .momentumSGD
        case (.momentumSGD, false): return .adaptive
        default: return nil
        }
    }

    /// One sentence of evidence: the rate, the span, the family, and the guard's outcome.
    public var sentence: String {
        var text = "the rate \(Self.format(learningRate)) is \(isAbove ? "above" : "below") the \(Self.format(typicalLow)) to "
            + "\(Self.format(typicalHigh)) that \(optimizer), \(family == .momentumSGD ? "" : "of ")\(family.words), is normally trained at"
        var notes: [String] = []
        if let reference = referenceLearningRate { notes.append("its reference default is \(Self.format(reference))") }
        switch likelyFamily {
        case .momentumSGD?:
            notes.append("SGD with momentum takes rates 10–100× higher, so a rate a range test found for SGD is usually too high for it")
        case .adaptive?:
            notes.append("the Adam family takes rates 10–100× lower, so a rate a range test found for Adam or AdamW is usually too low for it")
        default: break
        }
        if !notes.isEmpty { text += " (" + notes.joined(separator: "; ") + ")" }
        if diverged {
            text += "; at it the loss blew up and the divergence guard gave up after \(rollbacks) rollback\(rollbacks == 1 ? "" : "s")"
        } else if rollbacks > 0 {
            text += "; at it the divergence guard rolled back \(rollbacks) time\(rollbacks == 1 ? "" : "s")"
                + (settledLearningRate.map { " and training went on at \(Self.format($0))" } ?? "")
        } else {
            text += "; the loss did not blow up at it" + (isAbove ? "" : " (the verdict says whether it moved fast enough)")
        }
        return text
    }

    private static func format(_ value: Double) -> String { String(format: "%.3g", value) }
}
