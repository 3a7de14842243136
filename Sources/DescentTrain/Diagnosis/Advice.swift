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
    /// The settings work; a decaying schedule or a little weight decay may add a little.
    case keepSettings

    /// The factor to multiply the learning rate by, where the advice is about the rate: 0.1 for
    /// "lower ~10×", 3 for "raise ~3×"; nil otherwise or when the amount is open ("orders of magnitude").
    public var rateFactor: Double? {
        switch self {
        case .lowerLearningRate(let factor, _): return 1 / factor
        case .raiseLearningRate(let factor, _): return factor
        default: return nil
        }
    }

    /// The kind as a snake-case word for JSON: "lower_learning_rate", "raise_learning_rate", "stop_early",
    /// "regularise", "enlarge_model", "train_longer", "keep_settings".
    public var kind: String {
        switch self {
        case .lowerLearningRate: return "lower_learning_rate"
        case .raiseLearningRate: return "raise_learning_rate"
        case .stopEarly: return "stop_early"
        case .regularise: return "regularise"
        case .enlargeModel: return "enlarge_model"
        case .trainLonger: return "train_longer"
        case .keepSettings: return "keep_settings"
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
        case .keepSettings:
            return "keep these settings; for more, try a schedule that decays the rate (cosine) or a little weight decay"
        }
    }

    /// A factor as the advice writes it: "3" for 3, "2.5" for 2.5.
    public static func times(_ factor: Double) -> String {
        factor == factor.rounded() && Swift.abs(factor) < 1e15 ? String(Int(factor)) : String(factor)
    }
}
