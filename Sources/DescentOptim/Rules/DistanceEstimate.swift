import DescentTensor
import Foundation

/// What D-Adaptation Adam and Prodigy share: the distance estimate d scales the learning rate of each step,
/// a global pass sums two numbers over all tensors before any tensor moves, and every element ends the step
/// the same way.
///
/// With k the 0-based step, the step's rate is dlr = d·lr, times √(1 − β₂^(k+1))/(1 − β₁^(k+1)) with bias correction
/// (facebookresearch/dadaptation, konstmish/prodigy). E.g. d 1e-6, lr 1, β₁ 0.9, β₂ 0.999, first step with bias
/// correction: dlr = 1e-6 · √0.001/0.1 ≈ 3.16e-7.
///
/// ```swift
/// let rule = try Prodigy(growthRate: 1.02)
/// (rule.initialD, rule.growthRate, rule.decoupledWeightDecay)   // (1e-6, 1.02, true), from rule.estimate
/// ```
public protocol DistanceEstimatingRule: OptimizerRule {
    /// β₁ of the bias correction.
    var beta1: Double { get }
    /// β₂ of the bias correction.
    var beta2: Double { get }
    /// d₀, the growth limit, the form of the weight decay and the bias correction.
    var estimate: DistanceEstimateSettings { get }
}

/// The settings D-Adaptation Adam and Prodigy share, checked once: d₀ (the first estimate), the most d may
/// grow per step (d ← min(d̂, d·growth)), whether the weight decay shrinks the parameters (decoupled) or is
/// added to the gradient, and whether the step's rate carries Adam's bias correction.
///
/// ```swift
/// let settings = try DistanceEstimateSettings(initialD: 1e-6, growthRate: .infinity, decoupledWeightDecay: true,
///                                             biasCorrection: false)   // Prodigy's defaults
/// ```
public struct DistanceEstimateSettings: Sendable, Equatable {
    /// d₀, the estimate before the first step.
    public let initialD: Double
    /// The factor d may grow by per step (∞: unbounded).
    public let growthRate: Double
    /// Whether the weight decay shrinks the parameters (θ ← θ − λ·dlr·θ) instead of adding λ·θ to the gradient.
    public let decoupledWeightDecay: Bool
    /// Whether the step's rate is multiplied by √(1 − β₂^(k+1))/(1 − β₁^(k+1)).
    public let biasCorrection: Bool

    /// - Throws: `OptimizerError.invalidHyperparameter` for d₀ ≤ 0, then for growth ≤ 0.
    public init(initialD: Double, growthRate: Double, decoupledWeightDecay: Bool, biasCorrection: Bool) throws {
        try HyperparameterCheck.positive(initialD, "initialD")
        self.initialD = initialD
        try HyperparameterCheck.positive(growthRate, "growthRate")
        self.growthRate = growthRate
        self.decoupledWeightDecay = decoupledWeightDecay
        self.biasCorrection = biasCorrection
    }
}

/// The shared state both rules carry from the global pass to the updates of a step.
protocol DistanceEstimateProgress {
    /// The estimate d.
    var d: Double { get }
    /// dlr of the step in progress (computed with d before it moves).
    var stepRate: Double { get set }
    /// The references skip the parameter update when Σ‖s‖₁ is 0.
    var skipUpdate: Bool { get set }
}

extension DistanceEstimatingRule {
    /// d₀, the estimate before the first step.
    public var initialD: Double { estimate.initialD }
    /// The factor d may grow by per step (∞: unbounded).
    public var growthRate: Double { estimate.growthRate }
    /// Whether the weight decay shrinks the parameters instead of adding λ·θ to the gradient.
    public var decoupledWeightDecay: Bool { estimate.decoupledWeightDecay }
    /// Whether the step's rate carries Adam's bias correction.
    public var biasCorrection: Bool { estimate.biasCorrection }

    /// dlr of the current step for the estimate `d`.
    func stepRate(d: Double, context: UpdateContext) -> Double {
        let k = Double(context.step - 1)
        let correction = biasCorrection ? (1 - pow(beta2, k + 1)).squareRoot() / (1 - pow(beta1, k + 1)) : 1
        return d * context.learningRate * correction
    }

    /// Starts `finishGlobalPass`: records the step's rate (with d before it moves) and whether the update is
    /// skipped; returns the pass's two totals, the sum that feeds the numerator and Σ‖s‖₁, or nil when Σ‖s‖₁
    /// is 0 (the step is skipped and the estimate stays).
    func recordStep(_ shared: inout some DistanceEstimateProgress, totals: [Double],
                    context: UpdateContext) -> (sum: Double, l1: Double)? {
        let sum = totals.first ?? 0, l1 = totals.count > 1 ? totals[1] : 0
        shared.stepRate = stepRate(d: shared.d, context: context)
        shared.skipUpdate = l1 == 0
        return l1 == 0 ? nil : (sum, l1)
    }

    /// The update both rules end a step with, per element, after the global pass moved m and v:
    ///
    ///     θ ← θ − λ·dlr·θ            (decoupled weight decay only)
    ///     θ ← θ + scale · m/(√v + ε′)
    ///
    /// D-Adaptation Adam: scale −1 (dlr is already in m), ε′ = ε; Prodigy: scale −dlr, ε′ = d·ε.
    /// (θ + (−1)·x is θ − x exactly, so both keep their reference's float32 results.)
    func applyStep(_ parameter: inout Tensor, exponentialAverage: [Float], exponentialAverageOfSquares: [Float],
                   shared: some DistanceEstimateProgress, scale: Double, denominatorEpsilon: Double,
                   context: UpdateContext) {
        guard !shared.skipUpdate else { return }
        let eps = Float(denominatorEpsilon), shrink = Float(-context.weightDecay * shared.stepRate), step = Float(scale)
        let decay = decoupledWeightDecay && context.weightDecay != 0
        parameter.withUnsafeMutableBufferPointer { p in
        exponentialAverage.withUnsafeBufferPointer { m in
        exponentialAverageOfSquares.withUnsafeBufferPointer { v in
            FusedLoop.run(count: p.count) { range in
                for i in range {
                    let denom = v[i].squareRoot() + eps
                    if decay { p[i] += shrink * p[i] }
                    p[i] += step * (m[i] / denom)
                }
            }
        }}}
    }
}
