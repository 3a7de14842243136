import DescentTensor
import Foundation

/// Lion, the sign of an interpolated momentum (Optax `optax.lion`).
///
/// Update, with λ the weight decay (multiplied by the rate, as Optax and PyTorch do):
///
///     c = β₁·m + (1 − β₁)·g
///     θ ← θ − lr·(sign(c) + λ·θ)
///     m ← β₂·m + (1 − β₂)·g
///
/// Paper: Chen et al., "Symbolic Discovery of Optimization Algorithms" (2023).
/// Defaults (Optax): β₁ 0.9, β₂ 0.99, weight decay 1e-3 (here: the optimizer's `weightDecay`).
///
/// ```swift
/// // θ = 1, g = 0.5, lr 0.01, no decay: c = 0.05 > 0, θ ← 0.99.
/// var optimizer = try Optimizer(Lion(), learningRate: 0.01, weightDecay: 1e-3)
/// ```
public struct Lion: OptimizerRule {
    public let beta1: Double
    public let beta2: Double

    /// - Throws: `OptimizerError.invalidHyperparameter` for betas outside [0, 1).
    public init(beta1: Double = 0.9, beta2: Double = 0.99) throws {
        try HyperparameterCheck.unitInterval(beta1, "beta1")
        try HyperparameterCheck.unitInterval(beta2, "beta2")
        self.beta1 = beta1
        self.beta2 = beta2
    }

    public var name: String { "Lion" }

    /// The momentum m.
    public struct State: OptimizerTensorState {
        public var momentum: [Float]
        public var bufferCounts: [Int] { [momentum.count] }
    }

    public func makeState(for parameter: Tensor) -> State { State(momentum: .init(repeating: 0, count: parameter.count)) }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout State, shared: NoSharedState,
                       context: UpdateContext) {
        // 1 − β₁ in double, rounded once, as Optax computes (1. - b1) (not 1 − Float(β₁)).
        let beta = context.momentum ?? beta1
        let b1 = Float(beta), ob1 = Float(1 - beta), b2 = Float(beta2), ob2 = Float(1 - beta2)
        let lr = Float(context.learningRate), wd = Float(context.weightDecay)
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeMutableBufferPointer { p in
        state.momentum.withUnsafeMutableBufferPointer { m in
            FusedLoop.run(count: p.count) { range in
                for i in range {
                    let c = ob1 * g[i] + b1 * m[i]
                    let sign: Float = c > 0 ? 1 : (c < 0 ? -1 : 0)
                    let update = sign + wd * p[i]
                    p[i] += -lr * update
                    m[i] = ob2 * g[i] + b2 * m[i]
                }
            }
        }}}
    }
}
