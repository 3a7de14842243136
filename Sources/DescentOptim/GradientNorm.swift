import DescentTensor

/// The global L2 norm of a set of gradients, ‖g‖₂ = √(Σ over all tensors of Σ g²), summed in
/// double precision (so it is finite exactly when every element is) — the norm that
/// `GradientClipping.globalNorm` clips (Pascanu, Mikolov & Bengio 2013, "On the difficulty of
/// training recurrent neural networks", §3.2) and that training logs record per step.
///
/// ```swift
/// let gradients = ["w": try Tensor(shape: [2], scalars: [3, 4]), "b": Tensor(12)]
/// globalGradientNorm(gradients)   // √(9 + 16 + 144) = 13
/// ```
public func globalGradientNorm(_ gradients: [String: Tensor]) -> Double {
    gradients.keys.sorted().reduce(0.0) { $0 + GradientClipping.sumOfSquares(gradients[$1]!) }.squareRoot()
}
