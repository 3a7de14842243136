import DescentTensor
import Foundation

/// Adamax, Adam with the infinity norm (PyTorch `torch.optim.Adamax`).
///
/// Update at step t:
///
///     g ← g + λ·θ
///     m ← β₁·m + (1 − β₁)·g
///     u ← max(β₂·u, |g| + ε)
///     θ ← θ − lr/(1 − β₁ᵗ) · m/u
///
/// Paper: Kingma & Ba, "Adam: A Method for Stochastic Optimization" (2015), section 7.1.
/// Defaults (PyTorch): lr 0.002, β₁ 0.9, β₂ 0.999, ε 1e-8.
///
/// ```swift
/// // θ = 1, g = 2, lr 0.002: m = 0.2, u = 2, θ ← 1 − 0.002/0.1 · 0.1 = 0.998.
/// var optimizer = try Optimizer(Adamax(), learningRate: 0.002)
/// ```
public struct Adamax: AdamFamilyRule {
    public let hyperparameters: AdamHyperparameters

    /// - Throws: `OptimizerError.invalidHyperparameter` for betas outside [0, 1) or ε ≤ 0.
    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) throws {
        hyperparameters = try AdamHyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon)
    }

    public var name: String { "Adamax" }

    /// The first moment and the exponentially weighted infinity norm.
    public struct State: OptimizerTensorState {
        public var exponentialAverage: [Float]
        public var exponentialInfinityNorm: [Float]
        public var bufferCounts: [Int] { [exponentialAverage.count, exponentialInfinityNorm.count] }
    }

    public func makeState(for parameter: Tensor) -> State {
        State(exponentialAverage: .init(repeating: 0, count: parameter.count),
              exponentialInfinityNorm: .init(repeating: 0, count: parameter.count))
    }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout State, shared: NoSharedState,
                       context: UpdateContext) {
        let beta1 = context.momentum ?? self.beta1
        let clr = Float(context.learningRate / AdamHyperparameters.biasCorrection(beta1, step: Double(context.step)))
        let b1 = Float(1 - beta1), b2 = Float(beta2), eps = Float(epsilon), wd = Float(context.weightDecay)
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeMutableBufferPointer { p in
        state.exponentialAverage.withUnsafeMutableBufferPointer { m in
        state.exponentialInfinityNorm.withUnsafeMutableBufferPointer { u in
            FusedLoop.run(count: p.count) { range in
                for i in range {
                    let grad = g[i] + wd * p[i]
                    m[i] += b1 * (grad - m[i])
                    u[i] = max(u[i] * b2, abs(grad) + eps)
                    p[i] -= clr * (m[i] / u[i])
                }
            }
        }}}}
    }
}
