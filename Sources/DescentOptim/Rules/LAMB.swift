import DescentTensor
import Foundation

/// LAMB, Adam with a layer-wise trust ratio (Optax `optax.lamb`).
///
/// Update at step t, per tensor:
///
///     m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
///     u = (m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ) + ε_root) + ε) + λ·θ
///     r = ‖θ‖/‖u‖  (1 when either norm is 0)
///     θ ← θ − lr·r·u
///
/// Paper: You et al., "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes" (ICLR 2020).
/// Defaults (Optax): β₁ 0.9, β₂ 0.999, ε 1e-6, ε_root 0, weight decay 0.
///
/// ```swift
/// var optimizer = try Optimizer(LAMB(), learningRate: 0.001, weightDecay: 0.01)
/// ```
public struct LAMB: AdamFamilyRule {
    public let hyperparameters: AdamHyperparameters
    public let epsilonRoot: Double

    /// - Throws: `OptimizerError.invalidHyperparameter` for betas outside [0, 1), ε ≤ 0 or ε_root < 0.
    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-6, epsilonRoot: Double = 0) throws {
        hyperparameters = try AdamHyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon)
        try HyperparameterCheck.nonNegative(epsilonRoot, "epsilonRoot")
        self.epsilonRoot = epsilonRoot
    }

    public var name: String { "LAMB" }

    public func makeState(for parameter: Tensor) -> AdamState { AdamState(count: parameter.count, amsgrad: false) }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout AdamState, shared: NoSharedState,
                       context: UpdateContext) {
        let beta1 = context.momentum ?? self.beta1, t = Double(context.step)
        let b1 = Float(beta1), ob1 = Float(1 - beta1), b2 = Float(beta2), ob2 = Float(1 - beta2)
        let bc1 = Float(AdamHyperparameters.biasCorrection(beta1, step: t))
        let bc2 = Float(AdamHyperparameters.biasCorrection(beta2, step: t))
        let eps = Float(epsilon), epsRoot = Float(epsilonRoot), wd = Float(context.weightDecay)
        let lr = Float(context.learningRate)
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeMutableBufferPointer { p in
        state.exponentialAverage.withUnsafeMutableBufferPointer { m in
        state.exponentialAverageOfSquares.withUnsafeMutableBufferPointer { v in
            @inline(__always) func direction(_ i: Int) -> Float {
                (m[i] / bc1) / ((v[i] / bc2 + epsRoot).squareRoot() + eps) + wd * p[i]
            }
            var parameterSquares: Float = 0, updateSquares: Float = 0
            for i in 0..<p.count {
                m[i] = ob1 * g[i] + b1 * m[i]
                v[i] = ob2 * g[i] * g[i] + b2 * v[i]
                let u = direction(i)
                parameterSquares += p[i] * p[i]
                updateSquares += u * u
            }
            let parameterNorm = parameterSquares.squareRoot(), updateNorm = updateSquares.squareRoot()
            let ratio: Float = (parameterNorm == 0 || updateNorm == 0) ? 1 : parameterNorm / updateNorm
            for i in 0..<p.count {
                let u = direction(i) * ratio
                p[i] += -lr * u
            }
        }}}}
    }
}
