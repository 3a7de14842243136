import DescentTensor
import Foundation

/// LARS, SGD with momentum and a layer-wise trust ratio (Optax `optax.lars`).
///
/// Update per tensor, with η the trust coefficient (the momentum buffer holds rate-scaled updates):
///
///     u = g + λ·θ
///     u ← u · η‖θ‖/(‖u‖ + ε)     (unchanged when either norm is 0)
///     b ← −lr·u + μ·b
///     θ ← θ + b                   (Nesterov: θ ← θ − lr·u + μ·b)
///
/// Paper: You, Gitman & Ginsburg, "Large Batch Training of Convolutional Networks" (2017).
/// Defaults (Optax): weight decay 0, trust coefficient 0.001, ε 0, momentum 0.9, Nesterov off.
///
/// ```swift
/// var optimizer = try Optimizer(LARS(momentum: 0.9), learningRate: 1.0, weightDecay: 1e-4)
/// ```
public struct LARS: OptimizerRule {
    public let trustCoefficient: Double
    public let epsilon: Double
    public let momentum: Double
    public let nesterov: Bool

    /// - Throws: `OptimizerError.invalidHyperparameter` for a trust coefficient ≤ 0, ε < 0, momentum outside [0, 1).
    public init(trustCoefficient: Double = 0.001, epsilon: Double = 0, momentum: Double = 0.9, nesterov: Bool = false) throws {
        try HyperparameterCheck.positive(trustCoefficient, "trustCoefficient")
        try HyperparameterCheck.nonNegative(epsilon, "epsilon")
        try HyperparameterCheck.unitInterval(momentum, "momentum")
        self.trustCoefficient = trustCoefficient
        self.epsilon = epsilon
        self.momentum = momentum
        self.nesterov = nesterov
    }

    public var name: String { "LARS" }

    /// The momentum trace.
    public struct State: OptimizerTensorState {
        public var trace: [Float]
        public var bufferCounts: [Int] { [trace.count] }
    }

    public func makeState(for parameter: Tensor) -> State { State(trace: .init(repeating: 0, count: parameter.count)) }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout State, shared: NoSharedState,
                       context: UpdateContext) {
        let mu = Float(context.momentum ?? momentum), wd = Float(context.weightDecay)
        let lr = Float(context.learningRate), nesterov = self.nesterov
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeMutableBufferPointer { p in
        state.trace.withUnsafeMutableBufferPointer { b in
            var parameterSquares: Float = 0, updateSquares: Float = 0
            for i in 0..<p.count {
                let u = g[i] + wd * p[i]
                parameterSquares += p[i] * p[i]
                updateSquares += u * u
            }
            let parameterNorm = parameterSquares.squareRoot(), updateNorm = updateSquares.squareRoot()
            let ratio: Float = (parameterNorm == 0 || updateNorm == 0)
                ? 1 : Float(trustCoefficient) * parameterNorm / (updateNorm + Float(epsilon))
            for i in 0..<p.count {
                let u = -lr * ((g[i] + wd * p[i]) * ratio)
                b[i] = u + mu * b[i]
                p[i] += nesterov ? u + mu * b[i] : b[i]
            }
        }}}
    }
}
