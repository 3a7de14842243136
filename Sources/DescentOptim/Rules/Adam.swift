import CDescentOptimKernels
import DescentTensor
import Foundation

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
///
/// ```swift
/// // First step with lr 0.01 moves every element by ≈ 0.01 against the sign of its gradient:
/// // θ = [1, 2], g = [0.5, −3] → [0.99, 2.01].
/// var optimizer = try Optimizer(Adam(), learningRate: 0.01)
/// ```
public struct Adam: OptimizerRule {
    let hyperparameters: AdamHyperparameters
    public var beta1: Double { hyperparameters.beta1 }
    public var beta2: Double { hyperparameters.beta2 }
    public var epsilon: Double { hyperparameters.epsilon }
    public let amsgrad: Bool

    /// - Throws: `OptimizerError.invalidHyperparameter` for betas outside [0, 1) or ε ≤ 0.
    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, amsgrad: Bool = false) throws {
        hyperparameters = try AdamHyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon)
        self.amsgrad = amsgrad
    }

    public var name: String { "Adam" }

    public func makeState(for parameter: Tensor) -> AdamState { AdamState(count: parameter.count, amsgrad: amsgrad) }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout AdamState, shared: NoSharedState,
                       context: UpdateContext) {
        AdamState.step(&parameter, gradient: gradient, state: &state, hyperparameters: hyperparameters,
                       amsgrad: amsgrad, decoupled: false, context: context)
    }
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
///
/// ```swift
/// // lr 0.1, weight decay 0.1, θ = 1, g = 0: θ ← 1·(1 − 0.01) = 0.99.
/// var optimizer = try Optimizer(AdamW(), learningRate: 0.1, weightDecay: 0.1)
/// ```
public struct AdamW: OptimizerRule {
    let hyperparameters: AdamHyperparameters
    public var beta1: Double { hyperparameters.beta1 }
    public var beta2: Double { hyperparameters.beta2 }
    public var epsilon: Double { hyperparameters.epsilon }
    public let amsgrad: Bool

    /// - Throws: `OptimizerError.invalidHyperparameter` for betas outside [0, 1) or ε ≤ 0.
    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, amsgrad: Bool = false) throws {
        hyperparameters = try AdamHyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon)
        self.amsgrad = amsgrad
    }

    public var name: String { "AdamW" }

    public func makeState(for parameter: Tensor) -> AdamState { AdamState(count: parameter.count, amsgrad: amsgrad) }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout AdamState, shared: NoSharedState,
                       context: UpdateContext) {
        AdamState.step(&parameter, gradient: gradient, state: &state, hyperparameters: hyperparameters,
                       amsgrad: amsgrad, decoupled: true, context: context)
    }
}

/// The moments of Adam and AdamW for one tensor.
public struct AdamState: OptimizerTensorState {
    /// m, the running average of gradients.
    public var exponentialAverage: [Float]
    /// v, the running average of squared gradients.
    public var exponentialAverageOfSquares: [Float]
    /// The running maximum of v (AMSGrad only; empty otherwise).
    public var maxExponentialAverageOfSquares: [Float]

    public var bufferCounts: [Int] {
        [exponentialAverage.count, exponentialAverageOfSquares.count]
            + (maxExponentialAverageOfSquares.isEmpty ? [] : [maxExponentialAverageOfSquares.count])
    }

    init(count: Int, amsgrad: Bool) {
        exponentialAverage = [Float](repeating: 0, count: count)
        exponentialAverageOfSquares = [Float](repeating: 0, count: count)
        maxExponentialAverageOfSquares = amsgrad ? [Float](repeating: 0, count: count) : []
    }

    /// One Adam (`decoupled` false) or AdamW (`decoupled` true) step; a scheduled momentum replaces β₁.
    static func step(_ parameter: inout Tensor, gradient: Tensor, state: inout AdamState,
                     hyperparameters: AdamHyperparameters, amsgrad: Bool, decoupled: Bool, context: UpdateContext) {
        let beta1 = context.momentum ?? hyperparameters.beta1
        let beta2 = hyperparameters.beta2, epsilon = hyperparameters.epsilon
        let t = Double(context.step)
        let biasCorrection1 = AdamHyperparameters.biasCorrection(beta1, step: t)
        let biasCorrection2 = AdamHyperparameters.biasCorrection(beta2, step: t)
        let settings = descent_adam_parameters(
            learning_rate: Float(context.learningRate), beta1: Float(beta1), beta2: Float(beta2),
            epsilon: Float(epsilon), weight_decay: Float(context.weightDecay),
            step_size: Float(context.learningRate / biasCorrection1),
            bias_correction2_sqrt: Float(biasCorrection2.squareRoot()),
            decoupled: decoupled ? 1 : 0, amsgrad: amsgrad ? 1 : 0,
            // In double, rounded once, as PyTorch computes them (not 1.0f - beta2f).
            one_minus_beta1: Float(1 - beta1), one_minus_beta2: Float(1 - beta2),
            decay: Float(1 - context.learningRate * context.weightDecay))
        if amsgrad && state.maxExponentialAverageOfSquares.count != parameter.count {
            state.maxExponentialAverageOfSquares = [Float](repeating: 0, count: parameter.count)
        }
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeMutableBufferPointer { p in
        state.exponentialAverage.withUnsafeMutableBufferPointer { m in
        state.exponentialAverageOfSquares.withUnsafeMutableBufferPointer { v in
        state.maxExponentialAverageOfSquares.withUnsafeMutableBufferPointer { vmax in
            let pp = SendablePointer(p), gp = SendablePointer(g)
            let mp = SendablePointer(m), vp = SendablePointer(v)
            let xp = SendablePointer(vmax)
            FusedLoop.run(count: p.count) { range in
                let o = range.lowerBound
                withUnsafePointer(to: settings) {
                    descent_adam_step(pp?.advanced(by: o), gp?.advanced(by: o), mp?.advanced(by: o), vp?.advanced(by: o),
                                      amsgrad ? xp?.advanced(by: o) : nil, range.count, $0)
                }
            }
        }}}}}
    }
}
