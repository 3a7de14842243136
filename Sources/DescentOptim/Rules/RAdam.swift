import DescentTensor
import Foundation

/// Rectified Adam (PyTorch `torch.optim.RAdam`).
///
/// Update at step t, with ρ∞ = 2/(1 − β₂) − 1 and ρₜ = ρ∞ − 2t·β₂ᵗ/(1 − β₂ᵗ):
///
///     m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²,   m̂ = m/(1 − β₁ᵗ)
///     if ρₜ > 5:  r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ)),   θ ← θ − lr·m̂·r·√(1 − β₂ᵗ)/(√v + ε)
///     else:       θ ← θ − lr·m̂
///
/// Paper: Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond" (2020).
/// Defaults: β₁ 0.9, β₂ 0.999, ε 1e-8, weight decay as L2 (`decoupledWeightDecay` for the AdamW form).
///
/// ```swift
/// // The first 5 steps (β₂ 0.999) are SGD with momentum: θ = 1, g = 1, lr 0.01 → 0.99.
/// var optimizer = try Optimizer(RAdam(), learningRate: 0.01)
/// ```
public struct RAdam: AdamFamilyRule {
    public let hyperparameters: AdamHyperparameters
    public let decoupledWeightDecay: Bool

    /// - Throws: `OptimizerError.invalidHyperparameter` for betas outside [0, 1) or ε ≤ 0.
    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                decoupledWeightDecay: Bool = false) throws {
        hyperparameters = try AdamHyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon)
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    public var name: String { "RAdam" }

    public func makeState(for parameter: Tensor) -> AdamState { AdamState(count: parameter.count, amsgrad: false) }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout AdamState, shared: NoSharedState,
                       context: UpdateContext) {
        let beta1 = context.momentum ?? self.beta1
        let t = Double(context.step), lr = context.learningRate
        let biasCorrection1 = AdamHyperparameters.biasCorrection(beta1, step: t)
        let biasCorrection2 = AdamHyperparameters.biasCorrection(beta2, step: t)
        let rhoInfinity = 2 / (1 - beta2) - 1
        let rho = rhoInfinity - 2 * t * pow(beta2, t) / biasCorrection2
        let rectified = rho > 5
        let rectification = rectified
            ? ((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho)).squareRoot() : 0
        let moments = AdamMomentUpdate(beta1: beta1, beta2: beta2, context: context, decoupled: decoupledWeightDecay)
        moments.run(&parameter, gradient: gradient, exponentialAverage: &state.exponentialAverage,
                    exponentialAverageOfSquares: &state.exponentialAverageOfSquares,
                    then: RectifiedStep(rectified: rectified, biasCorrection1: Float(biasCorrection1),
                                        biasCorrection2Root: Float(biasCorrection2.squareRoot()), epsilon: Float(epsilon),
                                        learningRate: Float(lr), rectification: Float(rectification)))
    }
}

/// RAdam's use of the moments: m̂ = m/(1 − β₁ᵗ); θ ← θ − m̂·lr·(√(1 − β₂ᵗ)/(√v + ε))·r when rectified, else θ − m̂·lr.
struct RectifiedStep: AdamMomentUse {
    let rectified: Bool
    let biasCorrection1, biasCorrection2Root, epsilon, learningRate, rectification: Float

    @inline(__always)
    func apply(to parameter: inout Float, gradient: Float, average: Float, averageOfSquares: Float) {
        let corrected = average / biasCorrection1
        if rectified {
            let adaptive = biasCorrection2Root / (averageOfSquares.squareRoot() + epsilon)
            parameter -= corrected * learningRate * adaptive * rectification
        } else {
            parameter -= corrected * learningRate
        }
    }
}
