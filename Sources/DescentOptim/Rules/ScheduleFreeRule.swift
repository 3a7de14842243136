import DescentTensor

/// How the schedule-free rules average (Defazio et al., "The Road Less Scheduled", 2024): the rate's
/// linear warmup and the weights of the running average, as facebookresearch/schedule_free computes them.
///
/// With k the 0-based step: lrₖ = lr·min(1, (k+1)/warmup), w = (k+1)^r · (max lrₖ so far)^weightLRPower, c = w/Σw.
/// Defaults (reference): warmup 0 steps, r 0, weight_lr_power 2.
///
/// ```swift
/// // lr 0.1, warmup 4: the first step trains at lrₖ 0.025 (c = 1: y moves to z); the fifth at 0.1.
/// let averaging = try ScheduleFreeAveraging(warmupSteps: 4)
/// ```
public struct ScheduleFreeAveraging: Sendable, Equatable {
    /// Steps over which the rate rises linearly to lr.
    public let warmupSteps: Int
    /// The exponent of (k+1) in the averaging weight.
    public let r: Double
    /// The exponent of the largest rate so far in the averaging weight.
    public let weightLearningRatePower: Double

    /// - Throws: `OptimizerError.invalidHyperparameter` for a negative warmup or r.
    public init(warmupSteps: Int = 0, r: Double = 0, weightLearningRatePower: Double = 2) throws {
        try HyperparameterCheck.nonNegative(Double(warmupSteps), "warmupSteps")
        try HyperparameterCheck.nonNegative(r, "r")
        self.warmupSteps = warmupSteps
        self.r = r
        self.weightLearningRatePower = weightLearningRatePower
    }

    /// Checks β of the interpolation x = lerp(y, z, 1 − 1/β) (SGD's momentum, AdamW's β₁): it must lie in
    /// (0, 1), since the evaluation point divides by it.
    ///
    /// - Throws: `OptimizerError.invalidHyperparameter` naming `name` for β outside [0, 1), then for β = 0.
    static func checkMomentum(_ beta: Double, _ name: String) throws {
        try HyperparameterCheck.unitInterval(beta, name)
        try HyperparameterCheck.positive(beta, name)
    }
}

/// A schedule-free rule (`ScheduleFreeSGD`, `ScheduleFreeAdamW`): gradients are taken at y, the base
/// sequence z moves by plain steps, and the point to evaluate is x = lerp(y, z, 1 − 1/β).
///
/// A conforming rule says how it averages and its interpolation momentum β; the state, the accessors
/// of the averaging and the move between the training point y and the evaluation point x
/// (`Optimizer.setEvaluationMode`) are written here once.
///
/// ```swift
/// let rule = try ScheduleFreeSGD(momentum: 0.9, warmupSteps: 5)
/// rule.warmupSteps            // 5, from rule.averaging
/// rule.interpolationMomentum  // 0.9: x = lerp(y, z, 1 − 1/0.9)
/// ```
public protocol ScheduleFreeRule: OptimizerRule where State == ScheduleFreeState, SharedState == NoSharedState {
    /// The warmup and the averaging weights.
    var averaging: ScheduleFreeAveraging { get }
    /// β of the interpolation between y and z (SGD's momentum, AdamW's β₁).
    var interpolationMomentum: Double { get }
    /// Whether the state keeps Adam's second moment (AdamW).
    static var keepsSecondMoment: Bool { get }
}

extension ScheduleFreeRule {
    /// Steps over which the rate rises linearly to lr.
    public var warmupSteps: Int { averaging.warmupSteps }
    /// The exponent of (k+1) in the averaging weight.
    public var r: Double { averaging.r }
    /// The exponent of the largest rate so far in the averaging weight.
    public var weightLearningRatePower: Double { averaging.weightLearningRatePower }

    public func makeState(for parameter: Tensor) -> ScheduleFreeState {
        ScheduleFreeState(parameter: parameter, squares: Self.keepsSecondMoment)
    }

    /// Advances the averaging weights of `state` for this step; returns the step's coefficients.
    func advance(_ state: inout ScheduleFreeState, context: UpdateContext) -> ScheduleFreeState.Step {
        state.advance(context: context, averaging: averaging, momentum: interpolationMomentum)
    }

    public func switchMode(_ parameter: inout Tensor, toEvaluation: Bool, state: ScheduleFreeState, shared: NoSharedState) {
        state.switchMode(&parameter, toEvaluation: toEvaluation, beta: interpolationMomentum)
    }
}
