import DescentTensor
import Foundation

/// Schedule-free AdamW (facebookresearch/schedule_free `AdamWScheduleFree`).
///
/// As `ScheduleFreeSGD`, with the gradient normalised by Adam's second moment; k the 0-based step:
///
///     v ← β₂·v + (1 − β₂)·g²,   ĝ = g / (√(v/(1 − β₂^(k+1))) + ε) + λ·y
///     y ← lerp(y, z, c) + lrₖ·(β₁·(1 − c) − 1)·ĝ
///     z ← z − lrₖ·ĝ
///
/// Evaluate at x = lerp(y, z, 1 − 1/β₁) (`Optimizer.setEvaluationMode`).
/// Paper: Defazio et al., "The Road Less Scheduled" (2024). Defaults (reference): lr 0.0025, β₁ 0.9,
/// β₂ 0.999, ε 1e-8, warmup 0, r 0, weight_lr_power 2, weight decay 0.
///
/// ```swift
/// var optimizer = try Optimizer(ScheduleFreeAdamW(warmupSteps: 100), learningRate: 0.0025, weightDecay: 0.01)
/// ```
public struct ScheduleFreeAdamW: ScheduleFreeRule, AdamFamilyRule {
    public let hyperparameters: AdamHyperparameters
    public let averaging: ScheduleFreeAveraging

    public var name: String { "ScheduleFreeAdamW" }
    public var interpolationMomentum: Double { beta1 }
    public static var keepsSecondMoment: Bool { true }

    /// - Throws: `OptimizerError.invalidHyperparameter` for betas outside [0, 1) (β₁ must be > 0), ε ≤ 0,
    ///   negative warmup or r.
    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, warmupSteps: Int = 0, r: Double = 0,
                weightLearningRatePower: Double = 2) throws {
        try ScheduleFreeAveraging.checkMomentum(beta1, "beta1")
        hyperparameters = try AdamHyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon)
        averaging = try ScheduleFreeAveraging(warmupSteps: warmupSteps, r: r, weightLearningRatePower: weightLearningRatePower)
    }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout ScheduleFreeState, shared: NoSharedState,
                       context: UpdateContext) {
        let step = advance(&state, context: context)
        let biasCorrection2 = Float(AdamHyperparameters.biasCorrection(beta2, step: Double(context.step)))
        let b2 = Float(beta2), ob2 = Float(1 - beta2), eps = Float(epsilon), wd = Float(context.weightDecay)
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeMutableBufferPointer { y in
        state.z.withUnsafeMutableBufferPointer { z in
        state.exponentialAverageOfSquares.withUnsafeMutableBufferPointer { v in
            FusedLoop.run(count: y.count) { range in
                for i in range {
                    v[i] = v[i] * b2 + ob2 * g[i] * g[i]
                    let denom = (v[i] / biasCorrection2).squareRoot() + eps
                    var normalized = g[i] / denom
                    if wd != 0 { normalized += wd * y[i] }
                    step.move(&y[i], &z[i], along: normalized)
                }
            }
        }}}}
    }
}
