import DescentData
import DescentNN
import DescentTensor

/// What a model is trained to do, which fixes its loss and its headline metric.
///
/// * classification with k classes: softmax cross-entropy on class indices; accuracy.
/// * regression: mean squared error; R² (1 − SS_res / SS_tot).
///
/// ```swift
/// let objective = Objective(for: try Datasets.load(named: "iris"))   // .classification(classes: 3)
/// objective.outputSize   // 3
/// objective.metricName   // "accuracy"
/// ```
public enum Objective: Sendable, Equatable {
    case classification(classes: Int)
    case regression

    /// The objective a data set implies.
    public init(for dataset: Dataset) {
        switch dataset.task {
        case .classification: self = .classification(classes: dataset.targets.classCount)
        case .regression: self = .regression
        }
    }

    /// Number of model outputs per example.
    public var outputSize: Int {
        switch self {
        case let .classification(classes): return classes
        case .regression: return 1
        }
    }

    /// Name of the headline metric (higher is better for both).
    public var metricName: String {
        switch self {
        case .classification: return "accuracy"
        case .regression: return "r2"
        }
    }

    /// The mean loss of `outputs` (`[n, outputSize]`) against `targets`.
    public func loss(_ outputs: Tensor, _ targets: Targets) throws -> Tensor {
        switch (self, targets) {
        case let (.classification, .classes(labels, _)):
            return try crossEntropy(outputs, labels)
        case (.regression, .values(let values)):
            return try meanSquaredError(outputs.reshaped(to: [outputs.shape[0]]), values)
        default:
            throw TrainingError.invalidConfiguration("the targets do not match a \(metricName) objective")
        }
    }

    /// The headline metric of `outputs` against `targets` (R² is NaN when all targets are equal).
    /// The training loss with per-class weights (classification; nil or regression: `loss`): PyTorch's
    /// weighted cross-entropy, Σᵢ w_{yᵢ} ℓᵢ / Σᵢ w_{yᵢ}.
    public func loss(_ outputs: Tensor, _ targets: Targets, classWeights: Tensor?) throws -> Tensor {
        guard let classWeights, case let (.classification, .classes(labels, _)) = (self, targets) else { return try loss(outputs, targets) }
        return try crossEntropy(outputs, labels, classWeights: classWeights)
    }

    /// scikit-learn's `class_weight="balanced"`: w_c = n / (k × n_c) for n labels, k classes and n_c labels of
    /// class c (a class with no label weighs 1). Example: labels [0, 0, 0, 1] → [4 / (2 × 3), 4 / (2 × 1)] = [0.667, 2].
    public static func balancedClassWeights(labels: [Int], classes: Int) -> [Float] {
        var counts = [Int](repeating: 0, count: classes)
        for label in labels where label >= 0 && label < classes { counts[label] += 1 }
        let total = Double(labels.count)
        return counts.map { $0 == 0 ? 1 : Float(total / (Double(classes) * Double($0))) }
    }

    public func metric(_ outputs: Tensor, _ targets: Targets) throws -> Double {
        switch (self, targets) {
        case let (.classification, .classes(labels, _)):
            return try accuracy(logits: outputs, labels: labels)
        case (.regression, .values(let values)):
            // R² is undefined when every target is the same (zero variance): NaN rather than an
            // error, so a tiny or constant validation set does not abort a run after training.
            if let first = values.scalars.first, values.scalars.allSatisfy({ $0 == first }) { return .nan }
            return try rSquared(predictions: outputs.reshaped(to: [outputs.shape[0]]), targets: values)
        default:
            throw TrainingError.invalidConfiguration("the targets do not match a \(metricName) objective")
        }
    }
}
