import DescentTensor
import Foundation

/// D-Adaptation Adam: Adam whose step size is a learnt distance estimate d
/// (facebookresearch/dadaptation `DAdaptAdam`).
///
/// With dlr = d·lr (× √(1 − β₂^(k+1))/(1 − β₁^(k+1)) with bias correction) and k the 0-based step:
///
///     numerator ← √β₂·numerator + (1 − √β₂)·Σ dlr·⟨g, s/(√v + ε)⟩     (old s and v, over all tensors)
///     m ← β₁·m + dlr·(1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²,   s ← √β₂·s + dlr·(1 − √β₂)·g
///     d̂ = numerator / ((1 − √β₂)·Σ‖s‖₁);   d ← max(d, min(d̂, d·growth))
///     x ← x − λ·dlr·x (decoupled);   x ← x − m/(√v + ε)
///
/// Paper: Defazio & Mishchenko, "Learning-Rate-Free Learning by D-Adaptation" (ICML 2023).
/// Defaults (reference): lr 1.0, β₁ 0.9, β₂ 0.999, ε 1e-8, weight decay 0 as L2 (decouple false),
/// no bias correction, d₀ 1e-6, growth unbounded.
///
/// ```swift
/// var optimizer = try Optimizer(DAdaptationAdam(), learningRate: 1.0)
/// ```
public struct DAdaptationAdam: AdamFamilyRule, DistanceEstimatingRule {
    public let hyperparameters: AdamHyperparameters
    public let estimate: DistanceEstimateSettings

    public var name: String { "DAdaptationAdam" }

    /// - Throws: `OptimizerError.invalidHyperparameter` for betas outside [0, 1), ε ≤ 0, d₀ ≤ 0, growth ≤ 0.
    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, decoupledWeightDecay: Bool = false,
                biasCorrection: Bool = false, initialD: Double = 1e-6, growthRate: Double = .infinity) throws {
        hyperparameters = try AdamHyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon)
        estimate = try DistanceEstimateSettings(initialD: initialD, growthRate: growthRate,
                                                decoupledWeightDecay: decoupledWeightDecay, biasCorrection: biasCorrection)
    }

    /// Per tensor: the moments and the weighted gradient sum s.
    public struct State: OptimizerTensorState {
        public var exponentialAverage: [Float]
        public var exponentialAverageOfSquares: [Float]
        public var s: [Float]
        public var bufferCounts: [Int] { [exponentialAverage.count, exponentialAverageOfSquares.count, s.count] }
    }

    /// Shared: d, the running numerator and the step's rate.
    public struct Shared: Codable, Sendable, Equatable, DistanceEstimateProgress {
        public var d: Double
        public var numeratorWeighted: Double = 0
        public var stepRate: Double = 0
        public var skipUpdate = false
    }

    public func makeState(for parameter: Tensor) -> State {
        let n = parameter.count
        return State(exponentialAverage: .init(repeating: 0, count: n), exponentialAverageOfSquares: .init(repeating: 0, count: n),
                     s: .init(repeating: 0, count: n))
    }

    public func makeSharedState() -> Shared { Shared(d: initialD) }

    public func globalPassCount(atStep step: Int) -> Int { 1 }

    public func accumulate(pass: Int, _ parameter: Tensor, gradient: Tensor, state: inout State, shared: Shared,
                           context: UpdateContext) -> [Double] {
        guard context.learningRate > 0 else { return [0, 0] }
        let dlr = stepRate(d: shared.d, context: context)
        let sqrtBeta2 = beta2.squareRoot()
        let eps = Float(epsilon)
        let pass = DistanceEstimatePass(beta1: Float(beta1), averageScale: Float(dlr * (1 - beta1)), beta2: Float(beta2),
                                        squareScale: Float(1 - beta2), sumDecay: Float(sqrtBeta2),
                                        sumScale: Float(dlr * (1 - sqrtBeta2)),
                                        weightDecay: decoupledWeightDecay ? 0 : Float(context.weightDecay))
        let (dot, l1) = pass.run(parameter, gradient: gradient, exponentialAverage: &state.exponentialAverage,
                                 exponentialAverageOfSquares: &state.exponentialAverageOfSquares, sum: &state.s) { _, _, v, s in
            s / (v.squareRoot() + eps)
        }
        return [dlr * Double(dot), Double(l1)]
    }

    public func finishGlobalPass(pass: Int, shared: inout Shared, totals: [Double], context: UpdateContext) {
        guard let (sum, l1) = recordStep(&shared, totals: totals, context: context) else { return }
        let sqrtBeta2 = beta2.squareRoot()
        let numerator = sqrtBeta2 * shared.numeratorWeighted + (1 - sqrtBeta2) * sum
        if context.learningRate > 0 {
            let dHat = numerator / ((1 - sqrtBeta2) * l1)
            shared.d = max(shared.d, min(dHat, shared.d * growthRate))
        }
        shared.numeratorWeighted = numerator
    }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout State, shared: Shared,
                       context: UpdateContext) {
        applyStep(&parameter, exponentialAverage: state.exponentialAverage,
                  exponentialAverageOfSquares: state.exponentialAverageOfSquares, shared: shared, scale: -1,
                  denominatorEpsilon: epsilon, context: context)
    }
}
