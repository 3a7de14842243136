import DescentTensor

/// Evaluation metrics, computed in Double on plain values (no tape).
///
/// | metric | formula | predictions [1, 2, 4], targets [1, 3, 3] |
/// |---|---|---|
/// | `meanAbsoluteError` | Σ|ŷ − y| / n | 0.6667 |
/// | `rootMeanSquaredError` | √(Σ(ŷ − y)² / n) | 0.8165 |
/// | `rSquared` | 1 − Σ(ŷ − y)² / Σ(y − ȳ)² (coefficient of determination) | 0.25 |
///
/// `accuracy` is the fraction of rows whose largest logit is at the label:
/// logits [[2, 1], [0, 3]] with labels [0, 0] → 0.5.
public enum MetricError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The inputs cannot be compared (sizes differ, nothing to compare, or a constant target for R²).
    case invalidInput(metric: String, String)

    public var description: String {
        switch self {
        case let .invalidInput(metric, detail): return "\(metric): \(detail)"
        }
    }
}

/// Fraction of predicted class indices equal to the labels.
/// - Throws: `MetricError` if the counts differ or are zero.
public func accuracy(predictions: [Int], labels: [Int]) throws -> Double {
    guard predictions.count == labels.count, !labels.isEmpty else {
        throw MetricError.invalidInput(metric: "accuracy", "\(predictions.count) predictions for \(labels.count) labels")
    }
    return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
}

/// Fraction of rows of `logits` [N, C] whose arg-max is the label.
/// - Throws: `MetricError` if the logits are not [N, C] with N = labels.count > 0.
public func accuracy(logits: Tensor, labels: [Int]) throws -> Double {
    guard logits.rank == 2 else {
        throw MetricError.invalidInput(metric: "accuracy", "logits must have shape [batch, classes], got \(logits.shape)")
    }
    return try accuracy(predictions: try logits.argmax(alongAxis: 1), labels: labels)
}

/// Σ|ŷ − y| / n.
public func meanAbsoluteError(predictions: [Float], targets: [Float]) throws -> Double {
    try checkPairs(predictions, targets, metric: "meanAbsoluteError")
    return zip(predictions, targets).reduce(0.0) { $0 + Swift.abs(Double($1.0) - Double($1.1)) } / Double(targets.count)
}

/// √(Σ(ŷ − y)² / n).
public func rootMeanSquaredError(predictions: [Float], targets: [Float]) throws -> Double {
    try checkPairs(predictions, targets, metric: "rootMeanSquaredError")
    let total = zip(predictions, targets).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }
    return (total / Double(targets.count)).squareRoot()
}

/// 1 − Σ(ŷ − y)² / Σ(y − ȳ)²: 1 for a perfect fit, 0 for predicting the mean, negative when worse.
/// - Throws: `MetricError` also when every target is equal (the ratio is undefined).
public func rSquared(predictions: [Float], targets: [Float]) throws -> Double {
    try checkPairs(predictions, targets, metric: "rSquared")
    let mean = targets.reduce(0.0) { $0 + Double($1) } / Double(targets.count)
    let residual = zip(predictions, targets).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }
    let total = targets.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
    guard total > 0 else { throw MetricError.invalidInput(metric: "rSquared", "all \(targets.count) targets are equal") }
    return 1 - residual / total
}

/// `meanAbsoluteError` of two tensors of the same shape.
public func meanAbsoluteError(predictions: Tensor, targets: Tensor) throws -> Double {
    try checkShapes(predictions, targets, metric: "meanAbsoluteError")
    return try meanAbsoluteError(predictions: predictions.scalars, targets: targets.scalars)
}

/// `rootMeanSquaredError` of two tensors of the same shape.
public func rootMeanSquaredError(predictions: Tensor, targets: Tensor) throws -> Double {
    try checkShapes(predictions, targets, metric: "rootMeanSquaredError")
    return try rootMeanSquaredError(predictions: predictions.scalars, targets: targets.scalars)
}

/// `rSquared` of two tensors of the same shape (all elements pooled).
public func rSquared(predictions: Tensor, targets: Tensor) throws -> Double {
    try checkShapes(predictions, targets, metric: "rSquared")
    return try rSquared(predictions: predictions.scalars, targets: targets.scalars)
}

private func checkPairs(_ predictions: [Float], _ targets: [Float], metric: String) throws {
    guard predictions.count == targets.count, !targets.isEmpty else {
        throw MetricError.invalidInput(metric: metric, "\(predictions.count) predictions for \(targets.count) targets")
    }
}

private func checkShapes(_ predictions: Tensor, _ targets: Tensor, metric: String) throws {
    guard predictions.shape == targets.shape else {
        throw MetricError.invalidInput(metric: metric, "predictions \(predictions.shape) and targets \(targets.shape) differ in shape")
    }
}
