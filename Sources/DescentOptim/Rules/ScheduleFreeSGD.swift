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
public struct ScheduleFreeSGD: OptimizerRule {
    public let momentum: Double
    public let warmupSteps: Int
    public let r: Double
    public let weightLearningRatePower: Double

    /// - Throws: `OptimizerError.invalidHyperparameter` for momentum outside (0, 1), negative warmup or r.
    public init(momentum: Double = 0.9, warmupSteps: Int = 0, r: Double = 0, weightLearningRatePower: Double = 2) throws {
        try Check.unitInterval(momentum, "momentum")
        try Check.positive(momentum, "momentum")
        try Check.nonNegative(Double(warmupSteps), "warmupSteps")
        try Check.nonNegative(r, "r")
        self.momentum = momentum
        self.warmupSteps = warmupSteps
        self.r = r
        self.weightLearningRatePower = weightLearningRatePower
    }

    public var name: String { "ScheduleFreeSGD" }

    public func makeState(for parameter: Tensor) -> ScheduleFreeState { ScheduleFreeState(parameter: parameter, squares: false) }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout ScheduleFreeState, shared: NoSharedState,
                       context: UpdateContext) {
        let (lr, c) = state.advance(context: context, warmupSteps: warmupSteps, r: r, power: weightLearningRatePower)
        let ckp1 = Float(c), yScale = Float(lr * (momentum * (1 - c) - 1)), zScale = Float(lr)
        let wd = Float(context.weightDecay)
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeMutableBufferPointer { y in
        state.z.withUnsafeMutableBufferPointer { z in
            FusedLoop.run(count: y.count) { range in
                for i in range {
                    let grad = g[i] + wd * y[i]
                    y[i] = TorchArithmetic.lerp(y[i], z[i], ckp1) + yScale * grad
                    z[i] -= zScale * grad
                }
            }
        }}}
    }

    public func switchMode(_ parameter: inout Tensor, toEvaluation: Bool, state: ScheduleFreeState, shared: NoSharedState) {
        state.switchMode(&parameter, toEvaluation: toEvaluation, beta: momentum)
    }
}

/// The state of the schedule-free rules: the base sequence z, Adam's second moment (AdamW only),
/// and the running averaging weights.
public struct ScheduleFreeState: OptimizerTensorState {
    /// z, the SGD/Adam sequence the averages are taken of.
    public var z: [Float]
    /// The second moment (schedule-free AdamW; empty for SGD).
    public var exponentialAverageOfSquares: [Float]
    /// Σ of the averaging weights so far.
    public var weightSum: Double
    /// The largest warmed-up rate so far (−1 before the first step, as the reference).
    public var learningRateMax: Double

    public var bufferCounts: [Int] { [z.count] + (exponentialAverageOfSquares.isEmpty ? [] : [exponentialAverageOfSquares.count]) }

    init(parameter: Tensor, squares: Bool) {
        z = parameter.scalars
        exponentialAverageOfSquares = squares ? .init(repeating: 0, count: parameter.count) : []
        weightSum = 0
        learningRateMax = -1
    }

    /// Advances the averaging weights; returns the warmed-up rate and c = w/Σw.
    mutating func advance(context: UpdateContext, warmupSteps: Int, r: Double, power: Double) -> (Double, Double) {
        let k = Double(context.step - 1)
        let warmup = context.step - 1 < warmupSteps ? (k + 1) / Double(warmupSteps) : 1
        let lr = context.learningRate * warmup
        learningRateMax = max(lr, learningRateMax)
        let weight = pow(k + 1, r) * pow(learningRateMax, power)
        weightSum += weight
        return (lr, weightSum == 0 ? 0 : weight / weightSum)
    }

    func switchMode(_ parameter: inout Tensor, toEvaluation: Bool, beta: Double) {
        let weight = Float(toEvaluation ? 1 - 1 / beta : 1 - beta)
        parameter.withUnsafeMutableBufferPointer { p in
            z.withUnsafeBufferPointer { z in
                for i in 0..<p.count { p[i] = TorchArithmetic.lerp(p[i], z[i], weight) }
            }
        }
    }
}
