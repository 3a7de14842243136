import DescentTensor
import Foundation

/// RMSprop, optionally centered and with momentum (PyTorch `torch.optim.RMSprop`).
///
/// Update, with α the smoothing constant:
///
///     g ← g + λ·θ
///     s ← α·s + (1 − α)·g²
///     a ← α·a + (1 − α)·g,   d = √(s − a²) + ε        (centered)
///                             d = √s + ε               (otherwise)
///     b ← μ·b + g/d,  θ ← θ − lr·b                    (momentum μ > 0)
///     θ ← θ − lr·g/d                                   (otherwise)
///
/// Source: Hinton, Neural Networks for Machine Learning, lecture 6e (2012); centered form: Graves,
/// "Generating Sequences With Recurrent Neural Networks" (2013). Defaults (PyTorch): lr 0.01, α 0.99,
/// ε 1e-8, momentum 0, centered false.
///
/// ```swift
/// // θ = 1, g = 1, lr 0.01, α 0.99: s = 0.01, θ ← 1 − 0.01·1/0.1 = 0.9.
/// var optimizer = try Optimizer(RMSprop(), learningRate: 0.01)
/// ```
public struct RMSprop: OptimizerRule {
    public let alpha: Double
    public let epsilon: Double
    public let momentum: Double
    public let centered: Bool

    /// - Throws: `OptimizerError.invalidHyperparameter` for α or momentum outside [0, 1), ε ≤ 0.
    public init(alpha: Double = 0.99, epsilon: Double = 1e-8, momentum: Double = 0, centered: Bool = false) throws {
        try HyperparameterCheck.unitInterval(alpha, "alpha")
        try HyperparameterCheck.positive(epsilon, "epsilon")
        try HyperparameterCheck.unitInterval(momentum, "momentum")
        self.alpha = alpha
        self.epsilon = epsilon
        self.momentum = momentum
        self.centered = centered
    }

    public var name: String { "RMSprop" }

    /// The running averages (gradient average only when centered, buffer only with momentum).
    public struct State: OptimizerTensorState {
        public var squareAverage: [Float]
        public var gradientAverage: [Float]
        public var momentumBuffer: [Float]
        public var bufferCounts: [Int] { [squareAverage, gradientAverage, momentumBuffer].filter { !$0.isEmpty }.map(\.count) }
    }

    public func makeState(for parameter: Tensor) -> State {
        let n = parameter.count
        return State(squareAverage: .init(repeating: 0, count: n),
                     gradientAverage: centered ? .init(repeating: 0, count: n) : [],
                     momentumBuffer: .init(repeating: 0, count: n))
    }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout State, shared: NoSharedState,
                       context: UpdateContext) {
        let mu = Float(context.momentum ?? momentum)
        let a = Float(alpha), oa = Float(1 - alpha), eps = Float(epsilon), wd = Float(context.weightDecay)
        let lr = Float(context.learningRate), centered = self.centered
        if centered && state.gradientAverage.isEmpty { state.gradientAverage = .init(repeating: 0, count: parameter.count) }
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeMutableBufferPointer { p in
        state.squareAverage.withUnsafeMutableBufferPointer { s in
        state.gradientAverage.withUnsafeMutableBufferPointer { ga in
        state.momentumBuffer.withUnsafeMutableBufferPointer { b in
            FusedLoop.run(count: p.count) { range in
                for i in range {
                    let grad = g[i] + wd * p[i]
                    s[i] = s[i] * a + oa * grad * grad
                    var average: Float
                    if centered {
                        ga[i] += oa * (grad - ga[i])
                        average = (s[i] - ga[i] * ga[i]).squareRoot()
                    } else {
                        average = s[i].squareRoot()
                    }
                    average += eps
                    if mu > 0 {
                        b[i] = b[i] * mu + grad / average
                        p[i] -= lr * b[i]
                    } else {
                        p[i] -= lr * (grad / average)
                    }
                }
            }
        }}}}}
    }
}
