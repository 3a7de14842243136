import DescentTensor

/// Mean squared error, as PyTorch's `mse_loss`: ℓᵢ = (predictionᵢ − targetᵢ)².
///
/// ```swift
/// try meanSquaredError(Tensor([1, 2, 3]), Tensor([1, 4, 0]))   // (0 + 4 + 9) / 3 = 4.3333
/// ```
/// - Throws: `TensorError.shapeMismatch` unless both have the same shape.
public func meanSquaredError(_ predictions: Tensor, _ targets: Tensor, reduction: Reduction = .mean) throws -> Tensor {
    try checkSameShape(predictions, targets, loss: "meanSquaredError")
    return reduction.apply(try (predictions - targets).squared())
}

/// Mean absolute error, as PyTorch's `l1_loss`: ℓᵢ = |predictionᵢ − targetᵢ|
/// (gradient sign(d), 0 where d = 0).
///
/// ```swift
/// try l1Loss(Tensor([1, 2, 3]), Tensor([1, 4, 0]))   // (0 + 2 + 3) / 3 = 1.6667
/// ```
/// - Throws: `TensorError.shapeMismatch` unless both have the same shape.
public func l1Loss(_ predictions: Tensor, _ targets: Tensor, reduction: Reduction = .mean) throws -> Tensor {
    try checkSameShape(predictions, targets, loss: "l1Loss")
    return reduction.apply(try (predictions - targets).abs())
}

/// Huber loss (Huber, 1964), as PyTorch's `huber_loss`: with d = prediction − target,
///
///     ℓ = ½d²                 if |d| ≤ δ
///     ℓ = δ·(|d| − ½δ)        otherwise
///
/// quadratic near zero, linear (gradient ±δ) beyond δ.
///
/// ```swift
/// try huberLoss(Tensor([0.5, 3]), Tensor([0, 0]), delta: 1, reduction: .none)   // [0.125, 2.5]
/// ```
/// - Throws: `TensorError.shapeMismatch` unless both have the same shape;
///   `TensorError.invalidArgument` unless δ > 0.
public func huberLoss(_ predictions: Tensor, _ targets: Tensor, delta: Float = 1, reduction: Reduction = .mean) throws -> Tensor {
    try checkSameShape(predictions, targets, loss: "huberLoss")
    guard delta > 0 else { throw TensorError.invalidArgument(operation: "huberLoss", "delta must be positive, got \(delta)") }
    let distance = try (predictions - targets).abs()
    let inner = distance.clamped(to: 0...delta)
    // ½c² + δ(|d| − c) with c = min(|d|, δ) is both branches at once.
    return reduction.apply(try inner.squared() * 0.5 + (distance - inner) * delta)
}

/// Smooth L1 loss (Girshick, 2015), as PyTorch's `smooth_l1_loss`: Huber divided by β,
///
///     ℓ = ½d²/β               if |d| < β
///     ℓ = |d| − ½β            otherwise
///
/// and plain L1 when β = 0.
///
/// ```swift
/// try smoothL1Loss(Tensor([0.5, 3]), Tensor([0, 0]), beta: 1, reduction: .none)   // [0.125, 2.5]
/// ```
/// - Throws: `TensorError.shapeMismatch` unless both have the same shape;
///   `TensorError.invalidArgument` if β < 0.
public func smoothL1Loss(_ predictions: Tensor, _ targets: Tensor, beta: Float = 1, reduction: Reduction = .mean) throws -> Tensor {
    guard beta >= 0 else { throw TensorError.invalidArgument(operation: "smoothL1Loss", "beta must not be negative, got \(beta)") }
    if beta == 0 { return try l1Loss(predictions, targets, reduction: reduction) }
    try checkSameShape(predictions, targets, loss: "smoothL1Loss")
    return try huberLoss(predictions, targets, delta: beta, reduction: reduction) / beta
}
