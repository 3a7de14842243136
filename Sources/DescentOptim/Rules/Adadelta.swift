import DescentTensor
import Foundation

/// Adadelta (PyTorch `torch.optim.Adadelta`).
///
/// Update, with ρ the decay:
///
///     g ← g + λ·θ
///     s ← ρ·s + (1 − ρ)·g²
///     Δ = √(u + ε)/√(s + ε) · g
///     u ← ρ·u + (1 − ρ)·Δ²
///     θ ← θ − lr·Δ
///
/// Paper: Zeiler, "ADADELTA: An Adaptive Learning Rate Method" (2012).
/// Defaults (PyTorch): lr 1.0, ρ 0.9, ε 1e-6.
///
/// ```swift
/// // θ = 1, g = 1: s = 0.1, Δ = √1e-6/√0.100001 ≈ 0.00316, θ ← 0.99684.
/// var optimizer = try Optimizer(Adadelta(), learningRate: 1.0)
/// ```
public struct Adadelta: OptimizerRule {
    public let rho: Double
    public let epsilon: Double

    /// - Throws: `OptimizerError.invalidHyperparameter` for ρ outside [0, 1] or ε ≤ 0.
    public init(rho: Double = 0.9, epsilon: Double = 1e-6) throws {
        try HyperparameterCheck.closedUnitInterval(rho, "rho")
        try HyperparameterCheck.positive(epsilon, "epsilon")
        self.rho = rho
        self.epsilon = epsilon
    }

    public var name: String { "Adadelta" }

    /// The running averages of squared gradients and of squared updates.
    public struct State: OptimizerTensorState {
        public var squareAverage: [Float]
        public var accumulatedDelta: [Float]
        public var bufferCounts: [Int] { [squareAverage.count, accumulatedDelta.count] }
    }

    public func makeState(for parameter: Tensor) -> State {
        State(squareAverage: .init(repeating: 0, count: parameter.count),
              accumulatedDelta: .init(repeating: 0, count: parameter.count))
    }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout State, shared: NoSharedState,
                       context: UpdateContext) {
        let r = Float(rho), or = Float(1 - rho), eps = Float(epsilon), wd = Float(context.weightDecay)
        let lr = Float(context.learningRate)
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeMutableBufferPointer { p in
        state.squareAverage.withUnsafeMutableBufferPointer { s in
        state.accumulatedDelta.withUnsafeMutableBufferPointer { u in
            FusedLoop.run(count: p.count) { range in
                for i in range {
                    let grad = g[i] + wd * p[i]
                    s[i] = s[i] * r + or * grad * grad
                    let std = (s[i] + eps).squareRoot()
                    let delta = (u[i] + eps).squareRoot() / std * grad
                    u[i] = u[i] * r + or * delta * delta
                    p[i] -= lr * delta
                }
            }
        }}}}
    }
}
