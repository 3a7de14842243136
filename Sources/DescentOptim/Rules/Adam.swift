/// Adam with optional AMSGrad and L2 weight decay added to the gradient (PyTorch `torch.optim.Adam`).
///
/// Update at step t, with g the gradient and λ the weight decay:
///
///     g ← g + λ·θ
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     v̂ ← max(v̂, v)   (AMSGrad; otherwise v̂ = v)
///     θ ← θ − lr/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
///
/// Paper: Kingma & Ba, "Adam: A Method for Stochastic Optimization" (2015); AMSGrad: Reddi et al.,
/// "On the Convergence of Adam and Beyond" (2018). Defaults: β₁ 0.9, β₂ 0.999, ε 1e-8, AMSGrad off.
/// A scheduled momentum replaces β₁. One fused C pass over memory, split across cores.
/// The initialiser, the state and the step are `FusedAdamRule`'s, shared with `AdamW`.
///
/// ```swift
/// // First step with lr 0.01 moves every element by ≈ 0.01 against the sign of its gradient:
/// // θ = [1, 2], g = [0.5, −3] → [0.99, 2.01].
/// var optimizer = try Optimizer(Adam(), learningRate: 0.01)
/// ```
public struct Adam: FusedAdamRule {
    public let configuration: AdamConfiguration
    public init(configuration: AdamConfiguration) { self.configuration = configuration }
    public static var decouplesWeightDecay: Bool { false }
    public var name: String { "Adam" }
}

/// Adam with decoupled weight decay (PyTorch `torch.optim.AdamW`).
///
/// Update at step t: first θ ← θ·(1 − lr·λ), then Adam's step without L2 term:
///
///     m ← β₁·m + (1 − β₁)·g,  v ← β₂·v + (1 − β₂)·g²
///     θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// Paper: Loshchilov & Hutter, "Decoupled Weight Decay Regularization" (2019).
/// Defaults: β₁ 0.9, β₂ 0.999, ε 1e-8, AMSGrad off; PyTorch's default weight decay is 0.01 —
/// here the weight decay is the optimizer's or the group's (`Optimizer(AdamW(), learningRate:, weightDecay: 0.01)`).
/// The initialiser, the state and the step are `FusedAdamRule`'s, shared with `Adam`.
///
/// ```swift
/// // lr 0.1, weight decay 0.1, θ = 1, g = 0: θ ← 1·(1 − 0.01) = 0.99.
/// var optimizer = try Optimizer(AdamW(), learningRate: 0.1, weightDecay: 0.1)
/// ```
public struct AdamW: FusedAdamRule {
    public let configuration: AdamConfiguration
    public init(configuration: AdamConfiguration) { self.configuration = configuration }
    public static var decouplesWeightDecay: Bool { true }
    public var name: String { "AdamW" }
}
