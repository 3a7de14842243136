import DescentTensor
import Foundation

/// D-Adaptation SGD: SGD whose step size is a learnt distance estimate d (facebookresearch/dadaptation `DAdaptSGD`).
///
/// With ‖g₀‖ the norm of the first gradient, dlr = d·lr/‖g₀‖, ck = 1 − momentum, x₀ the initial point:
///
///     g ← g + λ·x
///     numerator ← numerator + dlr·⟨g, s⟩;   s ← s + dlr·g       (summed over all tensors)
///     d̂ = 2·numerator/‖s‖₂;   d ← max(d, min(d̂, d·growth))
///     z = x₀ − s;   x ← (1 − ck)·x + ck·z
///
/// Paper: Defazio & Mishchenko, "Learning-Rate-Free Learning by D-Adaptation" (ICML 2023).
/// Defaults (reference): lr 1.0, momentum 0, weight decay 0, d₀ 1e-6, growth unbounded.
///
/// ```swift
/// var optimizer = try Optimizer(DAdaptationSGD(momentum: 0.9), learningRate: 1.0)
/// ```
public struct DAdaptationSGD: OptimizerRule {
    public let momentum: Double
    public let initialD: Double
    public let growthRate: Double

    /// - Throws: `OptimizerError.invalidHyperparameter` for momentum outside [0, 1), d₀ ≤ 0, growth ≤ 0.
    public init(momentum: Double = 0, initialD: Double = 1e-6, growthRate: Double = .infinity) throws {
        try HyperparameterCheck.unitInterval(momentum, "momentum")
        try HyperparameterCheck.positive(initialD, "initialD")
        try HyperparameterCheck.positive(growthRate, "growthRate")
        self.momentum = momentum
        self.initialD = initialD
        self.growthRate = growthRate
    }

    public var name: String { "DAdaptationSGD" }

    /// Per tensor: the weighted gradient sum s and the initial point x₀.
    public struct State: OptimizerTensorState {
        public var s: [Float]
        public var initialPoint: [Float]
        public var bufferCounts: [Int] { [s.count, initialPoint.count] }
    }

    /// Shared: d, the running numerator, the first gradient's norm, the step's rate.
    public struct Shared: Codable, Sendable, Equatable {
        public var d: Double
        public var numeratorWeighted: Double = 0
        public var firstGradientNorm: Double = 0
        public var skipUpdate = false
    }

    public func makeState(for parameter: Tensor) -> State {
        State(s: .init(repeating: 0, count: parameter.count), initialPoint: parameter.scalars)
    }

    public func makeSharedState() -> Shared { Shared(d: initialD) }

    public func globalPassCount(atStep step: Int) -> Int { step == 1 ? 2 : 1 }

    public func accumulate(pass: Int, _ parameter: Tensor, gradient: Tensor, state: inout State, shared: Shared,
                           context: UpdateContext) -> [Double] {
        guard context.learningRate > 0 else { return [0, 0] }
        if context.step == 1 && pass == 0 {
            // The reference measures the first gradient without weight decay.
            return [gradient.withUnsafeBufferPointer { g in Double(g.reduce(Float(0)) { $0 + $1 * $1 }) }]
        }
        let dlr = Float(shared.d * context.learningRate / shared.firstGradientNorm)
        let wd = Float(context.weightDecay)
        var dot: Float = 0, squares: Float = 0
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeBufferPointer { p in
        state.s.withUnsafeMutableBufferPointer { s in
            for i in 0..<p.count {
                let grad = g[i] + wd * p[i]
                dot += grad * s[i]
                s[i] += dlr * grad
                squares += s[i] * s[i]
            }
        }}}
        return [Double(dlr) * Double(dot), Double(squares)]
    }

    public func finishGlobalPass(pass: Int, shared: inout Shared, totals: [Double], context: UpdateContext) {
        if context.step == 1 && pass == 0 {
            shared.firstGradientNorm = (totals.first ?? 0).squareRoot()
            return
        }
        let numerator = shared.numeratorWeighted + (totals.first ?? 0)
        let squares = totals.count > 1 ? totals[1] : 0
        shared.skipUpdate = squares == 0
        guard squares != 0 else { return }
        if context.learningRate > 0 {
            let dHat = 2 * numerator / squares.squareRoot()
            shared.d = max(shared.d, min(dHat, shared.d * growthRate))
        }
        shared.numeratorWeighted = numerator
    }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout State, shared: Shared,
                       context: UpdateContext) {
        guard !shared.skipUpdate else { return }
        let ck = Float(1 - momentum), keep = Float(momentum)
        parameter.withUnsafeMutableBufferPointer { p in
        state.s.withUnsafeBufferPointer { s in
        state.initialPoint.withUnsafeBufferPointer { x0 in
            FusedLoop.run(count: p.count) { range in
                for i in range {
                    let z = x0[i] - s[i]
                    p[i] = p[i] * keep + ck * z
                }
            }
        }}}
    }
}
