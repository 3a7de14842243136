import DescentTensor

/// Softmax cross-entropy on class indices, as PyTorch's `cross_entropy`, with
/// class weights and label smoothing (Szegedy et al., 2016). For logits x [N, C],
/// labels yᵢ, weights w (all ones by default) and smoothing ε:
///
///     ℓᵢ = −(1 − ε)·w[yᵢ]·log pᵢ[yᵢ] − (ε/C)·Σ_c w[c]·log pᵢ[c],    p = softmax(x)
///
/// `.mean` divides Σᵢ ℓᵢ by Σᵢ w[yᵢ] (PyTorch's weighted mean; N without weights).
///
/// ```swift
/// let logits = try Tensor(rows: [[2, 0, 0], [0, 0, 0]])
/// try crossEntropy(logits, [0, 2])                         // (0.2395 + 1.0986) / 2 = 0.6691
/// try crossEntropy(logits, [0, 2], labelSmoothing: 0.1)     // 0.7357
/// ```
/// - Throws: `TensorError` if the logits are not [N, C], the labels are not N
///   indices in 0..<C, the weights are not [C], or ε is outside [0, 1].
public func crossEntropy(_ logits: Tensor, _ labels: [Int], classWeights: Tensor? = nil,
                         labelSmoothing: Float = 0, reduction: Reduction = .mean) throws -> Tensor {
    try checkClassification(logits, labels, classWeights: classWeights, loss: "crossEntropy")
    if reduction != .none {
        // One fused node (log-softmax, product with T, sum) instead of four.
        let (target, total) = try targetMatrix(labels, classes: logits.shape[1], classWeights: classWeights,
                                               labelSmoothing: labelSmoothing, loss: "crossEntropy")
        return try logits.softmaxCrossEntropy(targets: target, divisor: reduction == .mean ? total : 1)
    }
    return try weightedLogLikelihood(try logits.logSoftmax(alongAxis: 1), labels, classWeights: classWeights,
                                     labelSmoothing: labelSmoothing, reduction: reduction, loss: "crossEntropy")
}

/// T[i, c] = (1 − ε)·w[yᵢ]·[c = yᵢ] + (ε/C)·w[c] as a [N, C] tensor, and PyTorch's mean divisor Σᵢ w[yᵢ].
func targetMatrix(_ labels: [Int], classes: Int, classWeights: Tensor?, labelSmoothing: Float,
                  loss: String) throws -> (target: Tensor, meanDivisor: Float) {
    guard labelSmoothing >= 0, labelSmoothing <= 1 else {
        throw TensorError.invalidArgument(operation: loss, "labelSmoothing must be in [0, 1], got \(labelSmoothing)")
    }
    let batch = labels.count
    let weights = classWeights?.scalars ?? [Float](repeating: 1, count: classes)
    let spread = labelSmoothing / Float(classes)
    var target = [Float](repeating: 0, count: batch * classes)
    if spread != 0 {
        for row in 0..<batch {
            for column in 0..<classes { target[row * classes + column] = spread * weights[column] }
        }
    }
    for row in 0..<batch { target[row * classes + labels[row]] += (1 - labelSmoothing) * weights[labels[row]] }
    let total = labels.reduce(0.0) { $0 + Double(weights[$1]) }
    return (try Tensor(shape: [batch, classes], scalars: target), Float(total))
}

/// `crossEntropy` with the labels as a tensor of integral values (e.g. from a data loader).
/// - Throws: `TensorError.invalidArgument` naming the first label that is not an integer.
public func crossEntropy(_ logits: Tensor, _ labels: Tensor, classWeights: Tensor? = nil,
                         labelSmoothing: Float = 0, reduction: Reduction = .mean) throws -> Tensor {
    try crossEntropy(logits, try classIndices(labels, loss: "crossEntropy"), classWeights: classWeights,
                     labelSmoothing: labelSmoothing, reduction: reduction)
}

/// Negative log-likelihood on log-probabilities, as PyTorch's `nll_loss`:
/// ℓᵢ = −w[yᵢ]·inputᵢ[yᵢ]; `.mean` divides by Σᵢ w[yᵢ]. Apply it after
/// `logSoftmax(alongAxis: 1)`; together they are `crossEntropy`.
///
/// ```swift
/// let logProbabilities = try Tensor(rows: [[-0.5, -1], [-2, -0.1]])
/// try negativeLogLikelihood(logProbabilities, [0, 1])   // (0.5 + 0.1) / 2 = 0.3
/// ```
/// - Throws: `TensorError` if the input is not [N, C], the labels are not N
///   indices in 0..<C, or the weights are not [C].
public func negativeLogLikelihood(_ logProbabilities: Tensor, _ labels: [Int], classWeights: Tensor? = nil,
                                  reduction: Reduction = .mean) throws -> Tensor {
    try checkClassification(logProbabilities, labels, classWeights: classWeights, loss: "negativeLogLikelihood")
    return try weightedLogLikelihood(logProbabilities, labels, classWeights: classWeights, labelSmoothing: 0,
                                     reduction: reduction, loss: "negativeLogLikelihood")
}

/// `negativeLogLikelihood` with the labels as a tensor of integral values.
public func negativeLogLikelihood(_ logProbabilities: Tensor, _ labels: Tensor, classWeights: Tensor? = nil,
                                  reduction: Reduction = .mean) throws -> Tensor {
    try negativeLogLikelihood(logProbabilities, try classIndices(labels, loss: "negativeLogLikelihood"),
                              classWeights: classWeights, reduction: reduction)
}

func checkClassification(_ input: Tensor, _ labels: [Int], classWeights: Tensor?, loss: String) throws {
    guard input.rank == 2 else {
        throw TensorError.invalidArgument(operation: loss, "input must have shape [batch, classes], got \(input.shape)")
    }
    let (batch, classes) = (input.shape[0], input.shape[1])
    guard labels.count == batch else {
        throw TensorError.shapeMismatch(operation: loss, "input \(input.shape) has \(batch) rows but \(labels.count) labels were given")
    }
    if let index = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
        throw TensorError.invalidArgument(operation: loss, "label \(labels[index]) at position \(index) is outside 0..<\(classes)")
    }
    if let classWeights, classWeights.shape != [classes] {
        throw TensorError.shapeMismatch(operation: loss, "classWeights must have shape [\(classes)], got \(classWeights.shape)")
    }
}

func classIndices(_ labels: Tensor, loss: String) throws -> [Int] {
    guard labels.rank == 1 else {
        throw TensorError.invalidArgument(operation: loss, "labels must be a 1-D tensor of class indices, got shape \(labels.shape)")
    }
    return try labels.scalars.enumerated().map { position, value in
        guard value.rounded() == value, Swift.abs(value) < 1e9 else {
            throw TensorError.invalidArgument(operation: loss, "label \(value) at position \(position) is not a class index")
        }
        return Int(value)
    }
}

/// −Σ_c T[i, c]·input[i, c] with the constant target matrix
/// T[i, c] = (1 − ε)·w[yᵢ]·[c = yᵢ] + (ε/C)·w[c], reduced with PyTorch's weighted mean.
func weightedLogLikelihood(_ logProbabilities: Tensor, _ labels: [Int], classWeights: Tensor?, labelSmoothing: Float,
                           reduction: Reduction, loss: String) throws -> Tensor {
    guard labelSmoothing >= 0, labelSmoothing <= 1 else {
        throw TensorError.invalidArgument(operation: loss, "labelSmoothing must be in [0, 1], got \(labelSmoothing)")
    }
    let (batch, classes) = (logProbabilities.shape[0], logProbabilities.shape[1])
    let weights = classWeights?.scalars ?? [Float](repeating: 1, count: classes)
    let spread = labelSmoothing / Float(classes)
    var target = [Float](repeating: 0, count: batch * classes)
    for row in 0..<batch {
        for column in 0..<classes { target[row * classes + column] = spread * weights[column] }
        target[row * classes + labels[row]] += (1 - labelSmoothing) * weights[labels[row]]
    }
    let perSample = -(try (logProbabilities * Tensor(shape: [batch, classes], scalars: target)).sum(alongAxis: 1))
    switch reduction {
    case .none: return perSample
    case .sum: return perSample.sum()
    case .mean:
        let total = labels.reduce(0.0) { $0 + Double(weights[$1]) }
        return perSample.sum() / Float(total)
    }
}
