import DescentTensor

/// How a loss turns per-element losses into its result, as PyTorch's `reduction`.
///
/// Per-element losses [1, 2, 3, 6]: `.mean` → 3, `.sum` → 12, `.none` → [1, 2, 3, 6].
/// (The class-weighted losses divide `.mean` by the sum of the weights used; see `crossEntropy`.)
public enum Reduction: String, Sendable, CaseIterable {
    case mean
    case sum
    case none

    func apply(_ losses: Tensor) -> Tensor {
        switch self {
        case .mean: return losses.mean()
        case .sum: return losses.sum()
        case .none: return losses
        }
    }
}

/// Throws unless predictions and targets have exactly the same shape (no silent broadcast).
func checkSameShape(_ predictions: Tensor, _ targets: Tensor, loss: String) throws {
    guard predictions.shape == targets.shape else {
        throw TensorError.shapeMismatch(operation: loss, "predictions \(predictions.shape) and targets \(targets.shape) must have the same shape")
    }
}
