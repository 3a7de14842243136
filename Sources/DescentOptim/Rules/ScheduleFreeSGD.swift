import DescentTensor
import Foundation

/// Schedule-free SGD (facebookresearch/schedule_free `SGDScheduleFree`).
///
/// Gradients are taken at y; the parameters hold y while training. With c the averaging weight,
/// k the 0-based step, lrₖ = lr·min(1, (k+1)/warmup), and w = (k+1)^r · (max lr so far)^weightLRPower:
///
///     c = w / Σw
///     g ← g + λ·y
///     y ← lerp(y, z, c) + lrₖ·(β·(1 − c) − 1)·g
///     z ← z − lrₖ·g
///
/// The point to evaluate is x = lerp(y, z, 1 − 1/β); `Optimizer.setEvaluationMode(true, parameters:)`
/// moves the parameters to x and `false` back to y (the reference's `eval()`/`train()`).
/// Paper: Defazio et al., "The Road Less Scheduled" (2024). Defaults (reference): lr 1.0, β (momentum) 0.9,
/// warmup 0 steps, r 0, weight_lr_power 2.
///
/// ```swift
/// var optimizer = try Optimizer(ScheduleFreeSGD(momentum: 0.9, warmupSteps: 5), learningRate: 0.1)
/// // … train …; then optimizer.setEvaluationMode(true, parameters: &parameters) before evaluating.
/// ```
public struct ScheduleFreeSGD: ScheduleFreeRule {
    public let momentum: Double
    public let averaging: ScheduleFreeAveraging

    public var name: String { "ScheduleFreeSGD" }
    public var interpolationMomentum: Double { momentum }
    public static var keepsSecondMoment: Bool { false }

    /// - Throws: `OptimizerError.invalidHyperparameter` for momentum outside (0, 1), negative warmup or r.
    public init(momentum: Double = 0.9, warmupSteps: Int = 0, r: Double = 0, weightLearningRatePower: Double = 2) throws {
        try ScheduleFreeAveraging.checkMomentum(momentum, "momentum")
        self.momentum = momentum
        averaging = try ScheduleFreeAveraging(warmupSteps: warmupSteps, r: r, weightLearningRatePower: weightLearningRatePower)
    }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout ScheduleFreeState, shared: NoSharedState,
                       context: UpdateContext) {
        let step = advance(&state, context: context), wd = Float(context.weightDecay)
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeMutableBufferPointer { y in
        state.z.withUnsafeMutableBufferPointer { z in
            FusedLoop.run(count: y.count) { range in
                for i in range {
                    step.move(&y[i], &z[i], along: g[i] + wd * y[i])
                }
            }
        }}}
    }
}
