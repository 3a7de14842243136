import DescentTrain
import Foundation

/// What to do about a diagnosis, as a kind and its numbers. The library decides *what* to do;
/// a front end phrases it with its own words and flags (the `descent` CLI turns
/// `.stopEarly(atEpoch: 8, patience: 5)` into "stop at epoch 8 (use --patience 5), …").
/// `description` is a tool-neutral sentence for programs that have no flags of their own.
///
/// The factors follow the evidence: a run that blew up is an order of magnitude off (×10,
/// Bengio 2012, "Practical recommendations for gradient-based training of deep architectures",
/// §3.1: the best rate is usually within a factor of 2–3 of the largest stable one, so a blow-up
/// means far too large); a bouncing or steadily falling curve is a few-fold off (×3, the usual
/// grid step on a log scale); a loss that did not move at all is orders of magnitude off.
///
/// ```swift
/// let advice = Advice.lowerLearningRate(by: 3, keepGuard: false)
/// advice.rateFactor      // 0.333…: multiply the learning rate by this
/// advice.description     // "lower the learning rate ~3× (a learning-rate range test finds a good one)"
/// ```
public enum Advice: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Divide the learning rate by `factor`. `keepGuard`: the run went non-finite with the divergence
    /// guard off, so turn it on as well.
    case lowerLearningRate(by: Double, keepGuard: Bool)
    /// Multiply the learning rate by `factor`; nil means by orders of magnitude (the model did not
    /// move). `orTrainLonger`: the loss still falls steadily, so more epochs would also help.
    case raiseLearningRate(by: Double?, orTrainLonger: Bool)
    /// Stop at the validation minimum `epoch` (early stopping with `patience` epochs would have),
    /// and regularise: weight decay, a smaller model or more data.
    case stopEarly(atEpoch: Int, patience: Int)
    /// Early stopping already kept `keptEpoch`'s weights; to generalise better, regularise.
    case regularise(keptEpoch: Int)
    /// The model has too little capacity: more or wider hidden layers, more epochs, less weight decay.
    case enlargeModel
    /// The curves are too short to read: train at least `atLeastEpochs` epochs.
    case trainLonger(atLeastEpochs: Int)
    /// The run was still improving when it ended: train `addEpochs` more, `totalEpochs` in all.
    /// `sameSchedule`: the schedule does not depend on the run's length (constant), so going on from the
    /// run's last state continues it exactly; otherwise a run of `totalEpochs` stretches the schedule.
    /// `orRaiseRateBy`: the curve had not bent over, so a rate this many times higher would also help.
    case continueTraining(addEpochs: Int, totalEpochs: Int, sameSchedule: Bool, orRaiseRateBy: Double?)
    /// The divergence guard backed the rate off and training went on well at the lower rate: train at
    /// `learningRate` (the base rate × the guard's scale) from the start instead of `from`.
    case useGuardRate(learningRate: Double, from: Double, rollbacks: Int)
    /// The run diverged because of its weight decay, not its rate (an ordinary one): at the base rate `learningRate` a
    /// decay of `from` is above `limit` (``RunSettings/weightDecayLimit``), where the decay alone makes the weights
    /// oscillate and grow; train with a weight decay of `to` (a tenth of the limit, one significant digit) or less.
    case lowerWeightDecay(to: Double, from: Double, limit: Double, learningRate: Double)
    /// The settings work. `tryDecayingSchedule`: the schedule is constant, so one that decays the rate
    /// (cosine) may add a little; a run already on a decaying schedule is not told to try one.
    case keepSettings(tryDecayingSchedule: Bool)

    /// The factor to multiply the learning rate by, where the advice is about the rate: 0.1 for
    /// "lower ~10×", 3 for "raise ~3×"; nil otherwise or when the amount is open ("orders of magnitude").
    public var rateFactor: Double? {
        switch self {
        case .lowerLearningRate(let factor, _): return 1 / factor
        case .raiseLearningRate(let factor, _): return factor
        case .useGuardRate(let rate, let from, _): return from > 0 ? rate / from : nil
        default: return nil
        }
    }

    /// The kind as a snake-case word for JSON: "lower_learning_rate", "raise_learning_rate", "stop_early",
    /// "regularise", "enlarge_model", "train_longer", "continue_training", "use_guard_rate", "keep_settings", "lower_weight_decay".
    public var kind: String {
        switch self {
        case .lowerLearningRate: return "lower_learning_rate"
        case .raiseLearningRate: return "raise_learning_rate"
        case .stopEarly: return "stop_early"
        case .regularise: return "regularise"
        case .enlargeModel: return "enlarge_model"
        case .trainLonger: return "train_longer"
        case .continueTraining: return "continue_training"
        case .useGuardRate: return "use_guard_rate"
        case .keepSettings: return "keep_settings"
        case .lowerWeightDecay: return "lower_weight_decay"
        }
    }

    /// A tool-neutral sentence: "lower the learning rate ~10× (a learning-rate range test finds a good one)".
    public var description: String {
        switch self {
        case .lowerLearningRate(let factor, let keepGuard):
            return "lower the learning rate ~\(Advice.times(factor))×"
                + (keepGuard ? " and keep the divergence guard on" : " (a learning-rate range test finds a good one)")
        case .raiseLearningRate(let factor, let orTrainLonger):
            let amount = factor.map { "~\(Advice.times($0))×" } ?? "by orders of magnitude"
            return "raise the learning rate \(amount) (a learning-rate range test finds a good one)"
                + (orTrainLonger ? ", or train for more epochs" : "")
        case .stopEarly(let epoch, let patience):
            return "stop at epoch \(epoch) (early stopping with a patience of \(patience) epochs), and add weight decay, a smaller model or more data"
        case .regularise(let kept):
            return "early stopping already kept epoch \(kept)'s weights; to generalise better add weight decay, a smaller model or more data"
        case .enlargeModel:
            return "use a larger model (more or wider hidden layers) or train for more epochs; less weight decay if any"
        case .trainLonger(let epochs):
            return "train for more epochs (at least \(epochs)) to get a reading of the curves"
        case .continueTraining(let add, let total, let sameSchedule, let raise):
            return "it was still improving: train \(add) more epochs (\(total) in all"
                + (sameSchedule ? ", going on from where it stopped)" : ", the schedule stretched over them)")
                + (raise.map { ", or raise the learning rate ~\(Advice.times($0))×" } ?? "")
        case .useGuardRate(let rate, let from, let rollbacks):
            return "train at \(Advice.rate(rate)), the rate the divergence guard settled on after \(rollbacks) rollback\(rollbacks == 1 ? "" : "s") (from \(Advice.rate(from)))"
        case .lowerWeightDecay(let to, let from, let limit, let rate):
            return "lower the weight decay from \(Advice.decay(from)) to \(Advice.decay(to)) or less: at the rate \(Advice.rate(rate)) "
                + "a decay above \(Advice.decay(limit)) makes the weights oscillate and grow by itself"
        case .keepSettings(let tryDecaying):
            return tryDecaying ? "keep these settings; for more, try a schedule that decays the rate (cosine) or a little weight decay"
                : "keep these settings; for more, a little weight decay"
        }
    }

    /// A rate as the advice writes it: "3.90e-02".
    public static func rate(_ value: Double) -> String { String(format: "%.2e", value) }

    /// A weight decay as the advice writes it: "1000", "30", "0.05", "380" for 380.00000000000006.
    public static func decay(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        if value >= 1, rounded == rounded.rounded(), rounded < 1e7 { return String(Int(rounded)) }
        return String(format: "%.3g", value)
    }

    /// A factor as the advice writes it: "3" for 3, "2.5" for 2.5.
    public static func times(_ factor: Double) -> String {
        factor == factor.rounded() && Swift.abs(factor) < 1e15 ? String(Int(factor)) : String(factor)
    }
}
