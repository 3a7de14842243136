import DescentTensor
import Foundation

/// Adagrad with rate decay and an initial accumulator (PyTorch `torch.optim.Adagrad`).
///
/// Update at step t, with η the rate decay:
///
///     g ← g + λ·θ
///     s ← s + g²
///     θ ← θ − lr/(1 + (t − 1)·η) · g/(√s + ε)
///
/// Paper: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
/// Optimization" (JMLR 2011). Defaults (PyTorch): lr 0.01, rate decay 0, initial accumulator 0, ε 1e-10.
///
/// ```swift
/// // θ = 1, g = 2, lr 0.1: s = 4, θ ← 1 − 0.1·2/2 = 0.9.
/// var optimizer = try Optimizer(Adagrad(), learningRate: 0.1)
/// ```
public struct Adagrad: OptimizerRule {
    public let learningRateDecay: Double
    public let initialAccumulatorValue: Double
    public let epsilon: Double

    /// - Throws: `OptimizerError.invalidHyperparameter` for a negative rate decay or initial accumulator, ε ≤ 0.
    public init(learningRateDecay: Double = 0, initialAccumulatorValue: Double = 0, epsilon: Double = 1e-10) throws {
        try HyperparameterCheck.nonNegative(learningRateDecay, "learningRateDecay")
        try HyperparameterCheck.nonNegative(initialAccumulatorValue, "initialAccumulatorValue")
        try HyperparameterCheck.positive(epsilon, "epsilon")
        self.learningRateDecay = learningRateDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        self.epsilon = epsilon
    }

    public var name: String { "Adagrad" }

    /// The running sum of squared gradients.
    public struct State: OptimizerTensorState {
        public var sum: [Float]
        public var bufferCounts: [Int] { [sum.count] }
    }

    public func makeState(for parameter: Tensor) -> State {
        State(sum: .init(repeating: Float(initialAccumulatorValue), count: parameter.count))
    }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout State, shared: NoSharedState,
                       context: UpdateContext) {
        let clr = Float(context.learningRate / (1 + Double(context.step - 1) * learningRateDecay))
        let eps = Float(epsilon), wd = Float(context.weightDecay)
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeMutableBufferPointer { p in
        state.sum.withUnsafeMutableBufferPointer { s in
            FusedLoop.run(count: p.count) { range in
                for i in range {
                    let grad = g[i] + wd * p[i]
                    s[i] += grad * grad
                    p[i] -= clr * (grad / (s[i].squareRoot() + eps))
                }
            }
        }}}
    }
}
