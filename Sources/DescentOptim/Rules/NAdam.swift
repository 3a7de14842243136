import DescentTensor
import Foundation

/// Adam with Nesterov momentum and momentum decay (PyTorch `torch.optim.NAdam`).
///
/// Update at step t, with ψ the momentum decay:
///
///     μₜ = β₁·(1 − ½·0.96^(t·ψ)),   μₜ₊₁ = β₁·(1 − ½·0.96^((t+1)·ψ)),   Πₜ = Πₜ₋₁·μₜ
///     m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²,   d = √(v/(1 − β₂ᵗ)) + ε
///     θ ← θ − lr·(1 − μₜ)/(1 − Πₜ)·g/d − lr·μₜ₊₁/(1 − Πₜ·μₜ₊₁)·m/d
///
/// Paper: Dozat, "Incorporating Nesterov Momentum into Adam" (2016). Defaults (PyTorch): β₁ 0.9, β₂ 0.999,
/// ε 1e-8, momentum decay 0.004, weight decay as L2 (`decoupledWeightDecay` for NAdamW).
///
/// ```swift
/// var optimizer = try Optimizer(NAdam(), learningRate: 0.002)
/// ```
public struct NAdam: AdamFamilyRule {
    public let hyperparameters: AdamHyperparameters
    public let momentumDecay: Double
    public let decoupledWeightDecay: Bool

    /// - Throws: `OptimizerError.invalidHyperparameter` for betas outside [0, 1), ε ≤ 0, negative momentum decay.
    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, momentumDecay: Double = 0.004,
                decoupledWeightDecay: Bool = false) throws {
        hyperparameters = try AdamHyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon)
        try HyperparameterCheck.nonNegative(momentumDecay, "momentumDecay")
        self.momentumDecay = momentumDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    public var name: String { "NAdam" }

    /// The moments and the running product of the momentum coefficients.
    public struct State: OptimizerTensorState {
        public var exponentialAverage: [Float]
        public var exponentialAverageOfSquares: [Float]
        /// Πₜ, kept in float32 as PyTorch does.
        public var momentumProduct: Float
        public var bufferCounts: [Int] { [exponentialAverage.count, exponentialAverageOfSquares.count] }
    }

    public func makeState(for parameter: Tensor) -> State {
        State(exponentialAverage: .init(repeating: 0, count: parameter.count),
              exponentialAverageOfSquares: .init(repeating: 0, count: parameter.count), momentumProduct: 1)
    }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout State, shared: NoSharedState,
                       context: UpdateContext) {
        let beta1 = context.momentum ?? self.beta1
        let t = Double(context.step), lr = context.learningRate
        let biasCorrection2 = Float(AdamHyperparameters.biasCorrection(beta2, step: t))
        let mu = beta1 * (1 - 0.5 * pow(0.96, t * momentumDecay))
        let muNext = beta1 * (1 - 0.5 * pow(0.96, (t + 1) * momentumDecay))
        state.momentumProduct *= Float(mu)
        let product = Double(state.momentumProduct)
        let productNext = product * muNext
        let gradientScale = Float(-lr * (1 - mu) / (1 - product))
        let averageScale = Float(-lr * muNext / (1 - productNext))
        let moments = AdamMomentUpdate(beta1: beta1, beta2: beta2, context: context, decoupled: decoupledWeightDecay)
        moments.run(&parameter, gradient: gradient, exponentialAverage: &state.exponentialAverage,
                    exponentialAverageOfSquares: &state.exponentialAverageOfSquares,
                    then: NesterovStep(biasCorrection2: biasCorrection2, epsilon: Float(epsilon),
                                       gradientScale: gradientScale, averageScale: averageScale))
    }
}

/// NAdam's use of the moments: θ ← θ + gradientScale·g/d + averageScale·m/d with d = √(v/(1 − β₂ᵗ)) + ε.
struct NesterovStep: AdamMomentUse {
    let biasCorrection2, epsilon, gradientScale, averageScale: Float

    @inline(__always)
    func apply(to parameter: inout Float, gradient: Float, average: Float, averageOfSquares: Float) {
        let denom = (averageOfSquares / biasCorrection2).squareRoot() + epsilon
        parameter += gradientScale * (gradient / denom)
        parameter += averageScale * (average / denom)
    }
}
