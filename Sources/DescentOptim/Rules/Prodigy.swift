import DescentTensor
import Foundation

/// Prodigy, an Adam whose step size is a distance estimate d learnt on the fly (konstmish/prodigy `Prodigy`).
///
/// Each step, with lr the (scheduled) rate, k the 0-based step, d̂ the estimate, x₀ the initial point,
/// β₃ = √β₂ by default, and dlr = d·lr·(√(1 − β₂^(k+1))/(1 − β₁^(k+1)) when bias correction is on, else 1):
///
///     r ← β₃·r + (d/d₀)·dlr·⟨g, x₀ − x⟩              (summed over all tensors)
///     m ← β₁·m + d·(1 − β₁)·g,   v ← β₂·v + d²·(1 − β₂)·g²
///     s ← β₃·s + (d/d₀)·dlr·g   (safeguard warmup: (d/d₀)·d·g)
///     d̂ = d_coef · r / Σ‖s‖₁;   d ← max(d, d̂) on the first growth; d_max ← max(d_max, d̂); d ← min(d_max, d·growth)
///     x ← x − λ·dlr·x (decoupled decay);   x ← x − dlr · m / (√v + d·ε)
///
/// Paper: Mishchenko & Defazio, "Prodigy: An Expeditiously Adaptive Parameter-Free Learner" (2024).
/// Defaults (reference): lr 1.0, β₁ 0.9, β₂ 0.999, β₃ √β₂, ε 1e-8, d₀ 1e-6, d_coef 1, growth unbounded,
/// decoupled weight decay, no bias correction, no safeguard warmup. All groups must share one rate (or 0).
///
/// ```swift
/// var optimizer = try Optimizer(Prodigy(), learningRate: 1.0)   // lr is a multiplier of the learnt d
/// ```
public struct Prodigy: OptimizerRule, DistanceEstimatingRule {
    public let beta1: Double
    public let beta2: Double
    public let beta3: Double?
    public let epsilon: Double
    public let dCoefficient: Double
    public let safeguardWarmup: Bool
    public let estimate: DistanceEstimateSettings

    public var name: String { "Prodigy" }

    /// - Throws: `OptimizerError.invalidHyperparameter` for betas outside [0, 1), ε ≤ 0, d₀ ≤ 0, growth ≤ 0.
    public init(beta1: Double = 0.9, beta2: Double = 0.999, beta3: Double? = nil, epsilon: Double = 1e-8,
                initialD: Double = 1e-6, dCoefficient: Double = 1, growthRate: Double = .infinity,
                decoupledWeightDecay: Bool = true, biasCorrection: Bool = false, safeguardWarmup: Bool = false) throws {
        try HyperparameterCheck.unitInterval(beta1, "beta1")
        try HyperparameterCheck.unitInterval(beta2, "beta2")
        if let beta3 { try HyperparameterCheck.unitInterval(beta3, "beta3") }
        try HyperparameterCheck.positive(epsilon, "epsilon")
        try HyperparameterCheck.positive(initialD, "initialD")   // before dCoefficient, as the errors have always been ordered
        try HyperparameterCheck.positive(dCoefficient, "dCoefficient")
        estimate = try DistanceEstimateSettings(initialD: initialD, growthRate: growthRate,
                                                decoupledWeightDecay: decoupledWeightDecay, biasCorrection: biasCorrection)
        self.beta1 = beta1
        self.beta2 = beta2
        self.beta3 = beta3
        self.epsilon = epsilon
        self.dCoefficient = dCoefficient
        self.safeguardWarmup = safeguardWarmup
    }

    /// Per tensor: the moments, the weighted gradient sum s and the initial point x₀.
    public struct State: OptimizerTensorState {
        public var exponentialAverage: [Float]
        public var exponentialAverageOfSquares: [Float]
        public var s: [Float]
        public var initialPoint: [Float]
        public var bufferCounts: [Int] { [exponentialAverage.count, exponentialAverageOfSquares.count, s.count, initialPoint.count] }
    }

    /// Shared: the estimate d, its maximum, the running numerator, and the scalars of the step in progress.
    public struct Shared: Codable, Sendable, Equatable, DistanceEstimateProgress {
        public var d: Double
        public var dMax: Double
        public var dNumerator: Double
        /// dlr of the step in progress (computed with d before it moves).
        public var stepRate: Double = 0
        /// The reference skips the parameter update when Σ‖s‖₁ is 0.
        public var skipUpdate = false
    }

    public func makeState(for parameter: Tensor) -> State {
        let n = parameter.count
        return State(exponentialAverage: .init(repeating: 0, count: n), exponentialAverageOfSquares: .init(repeating: 0, count: n),
                     s: .init(repeating: 0, count: n), initialPoint: parameter.scalars)
    }

    public func makeSharedState() -> Shared { Shared(d: initialD, dMax: initialD, dNumerator: 0) }

    public func globalPassCount(atStep step: Int) -> Int { 1 }

    public func accumulate(pass: Int, _ parameter: Tensor, gradient: Tensor, state: inout State, shared: Shared,
                           context: UpdateContext) -> [Double] {
        guard context.learningRate > 0 else { return [0, 0] }
        let d = shared.d, dlr = stepRate(d: d, context: context)
        let beta3 = self.beta3 ?? beta2.squareRoot()
        let pass = DistanceEstimatePass(beta1: Float(beta1), averageScale: Float(d * (1 - beta1)), beta2: Float(beta2),
                                        squareScale: Float(d * d * (1 - beta2)), sumDecay: Float(beta3),
                                        sumScale: Float(safeguardWarmup ? (d / initialD) * d : (d / initialD) * dlr),
                                        weightDecay: decoupledWeightDecay ? 0 : Float(context.weightDecay))
        let initialPoint = state.initialPoint
        let (dot, l1) = initialPoint.withUnsafeBufferPointer { x0 in
            pass.run(parameter, gradient: gradient, exponentialAverage: &state.exponentialAverage,
                     exponentialAverageOfSquares: &state.exponentialAverageOfSquares, sum: &state.s) { i, p, _, _ in
                x0[i] - p
            }
        }
        return [(d / initialD) * dlr * Double(dot), Double(l1)]
    }

    public func finishGlobalPass(pass: Int, shared: inout Shared, totals: [Double], context: UpdateContext) {
        guard let (delta, denominator) = recordStep(&shared, totals: totals, context: context) else { return }
        let beta3 = self.beta3 ?? beta2.squareRoot()
        let numerator = shared.dNumerator * beta3 + delta
        if context.learningRate > 0 {
            let dHat = dCoefficient * numerator / denominator
            var d = shared.d
            if d == initialD { d = max(d, dHat) }
            shared.dMax = max(shared.dMax, dHat)
            d = min(shared.dMax, d * growthRate)
            shared.d = d
        }
        shared.dNumerator = numerator
    }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout State, shared: Shared,
                       context: UpdateContext) {
        applyStep(&parameter, exponentialAverage: state.exponentialAverage,
                  exponentialAverageOfSquares: state.exponentialAverageOfSquares, shared: shared,
                  scale: -shared.stepRate, denominatorEpsilon: shared.d * epsilon, context: context)
    }
}
