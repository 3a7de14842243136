import DescentTensor

/// Binary cross-entropy on logits, as PyTorch's `binary_cross_entropy_with_logits`:
/// with x the logit, y ∈ [0, 1] the target, w the weight and p the positive weight,
///
///     ℓ = w · [ (1 − y)·x + (1 + (p − 1)·y) · log(1 + e⁻ˣ) ]
///
/// which is −w·[p·y·log σ(x) + (1 − y)·log(1 − σ(x))] computed without overflow
/// (log(1 + e⁻ˣ) by a stable softplus). Gradient: w·[(1 − y) − (1 + (p − 1)y)·σ(−x)],
/// σ(x) − y when w = p = 1.
///
/// ```swift
/// try binaryCrossEntropyWithLogits(Tensor([0, 2]), Tensor([1, 0]), reduction: .none)   // [0.6931, 2.1269]
/// ```
/// - Parameters:
///   - weights: broadcast to the logits' shape (PyTorch's `weight`), or nil.
///   - positiveWeight: weight of the positive term, broadcast along the last axis (PyTorch's `pos_weight`), or nil.
/// - Throws: `TensorError.shapeMismatch` if targets differ in shape from the logits or a
///   weight does not broadcast to it.
public func binaryCrossEntropyWithLogits(_ logits: Tensor, _ targets: Tensor, weights: Tensor? = nil,
                                         positiveWeight: Tensor? = nil, reduction: Reduction = .mean) throws -> Tensor {
    try checkSameShape(logits, targets, loss: "binaryCrossEntropyWithLogits")
    let targets = targets.detached
    var logWeight = Tensor(1)
    if let positiveWeight {
        guard try Broadcasting.shape(logits.shape, positiveWeight.shape, operation: "binaryCrossEntropyWithLogits") == logits.shape else {
            throw TensorError.shapeMismatch(operation: "binaryCrossEntropyWithLogits",
                "positiveWeight \(positiveWeight.shape) does not broadcast to the logits \(logits.shape)")
        }
        logWeight = try (positiveWeight - 1) * targets + 1
    }
    var losses = try (1 - targets) * logits + logWeight * (-logits).softplus()
    if let weights {
        guard try Broadcasting.shape(logits.shape, weights.shape, operation: "binaryCrossEntropyWithLogits") == logits.shape else {
            throw TensorError.shapeMismatch(operation: "binaryCrossEntropyWithLogits",
                "weights \(weights.shape) do not broadcast to the logits \(logits.shape)")
        }
        losses = try losses * weights
    }
    return reduction.apply(losses)
}
