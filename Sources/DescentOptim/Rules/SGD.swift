import CDescentOptimKernels
import DescentTensor

/// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay
/// (PyTorch `torch.optim.SGD`).
///
/// Update, with g the gradient, λ the weight decay, μ the momentum, τ the dampening:
///
///     g ← g + λ·θ
///     b ← g                       (first step)
///     b ← μ·b + (1 − τ)·g         (later steps)
///     d ← g + μ·b  (Nesterov)  or  b
///     θ ← θ − lr·d
///
/// Paper: Sutskever et al., "On the importance of initialization and momentum in deep learning" (2013);
/// Nesterov momentum as formulated there. Defaults: momentum 0, dampening 0, nesterov false.
/// A scheduled momentum (one-cycle) replaces μ. The loop is one fused C pass, split across cores.
///
/// ```swift
/// // lr 0.1, momentum 0.9, gradient 2 twice: θ 1 → 0.8 → 0.42 (buffer 2, then 3.8).
/// var optimizer = try Optimizer(SGD(momentum: 0.9), learningRate: 0.1)
/// ```
public struct SGD: OptimizerRule {
    public let momentum: Double
    public let dampening: Double
    public let nesterov: Bool

    /// - Throws: `OptimizerError.invalidHyperparameter` for momentum outside [0, 1) or dampening outside [0, 1],
    ///   or Nesterov without momentum or with dampening (as PyTorch).
    public init(momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false) throws {
        try HyperparameterCheck.unitInterval(momentum, "momentum")
        try HyperparameterCheck.closedUnitInterval(dampening, "dampening")
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw OptimizerError.invalidHyperparameter(name: "nesterov", value: 1,
                                                       requirement: "used with momentum > 0 and dampening 0")
        }
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
    }

    public var name: String { "SGD" }

    /// The momentum buffer (empty before the first step, as PyTorch's `None`).
    public struct State: OptimizerTensorState {
        public var momentumBuffer: [Float]
        public var bufferCounts: [Int] { momentumBuffer.isEmpty ? [] : [momentumBuffer.count] }
    }

    public func makeState(for parameter: Tensor) -> State { State(momentumBuffer: []) }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout State, shared: NoSharedState,
                       context: UpdateContext) {
        let mu = context.momentum ?? momentum
        let settings = descent_sgd_parameters(
            learning_rate: Float(context.learningRate), momentum: Float(mu), dampening: Float(dampening),
            weight_decay: Float(context.weightDecay), nesterov: nesterov ? 1 : 0,
            first_step: state.momentumBuffer.isEmpty ? 1 : 0, one_minus_dampening: Float(1 - dampening))
        if mu != 0 && state.momentumBuffer.isEmpty { state.momentumBuffer = [Float](repeating: 0, count: parameter.count) }
        gradient.withUnsafeBufferPointer { g in
            parameter.withUnsafeMutableBufferPointer { p in
                let pp = SendablePointer(p), gp = SendablePointer(g)
                if mu == 0 {
                    FusedLoop.run(count: p.count) { range in
                        withUnsafePointer(to: settings) {
                            descent_sgd_step(pp?.advanced(by: range.lowerBound), gp?.advanced(by: range.lowerBound),
                                             nil, range.count, $0)
                        }
                    }
                } else {
                    state.momentumBuffer.withUnsafeMutableBufferPointer { b in
                        let bp = SendablePointer(b)
                        FusedLoop.run(count: p.count) { range in
                            withUnsafePointer(to: settings) {
                                descent_sgd_step(pp?.advanced(by: range.lowerBound), gp?.advanced(by: range.lowerBound),
                                                 bp?.advanced(by: range.lowerBound), range.count, $0)
                            }
                        }
                    }
                }
            }
        }
    }
}
