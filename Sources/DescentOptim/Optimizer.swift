import CDescentOptimKernels
import DescentSchedules
import DescentTensor

/// An optimizer: a per-tensor `OptimizerRule` plus everything written once around it.
///
/// Each call to `update(_:along:)` takes the gradients of named parameters
/// (`layers.0.weight`, ...), checks them (known names, shapes, finite values),
/// accumulates them over `accumulationSteps` calls, negates them when maximizing,
/// clips them, and lets the rule move every parameter that has a gradient
/// (parameters without a gradient are left alone, as in PyTorch).
///
/// The rate of step t (t = updates already taken) for a parameter is
///
///     rate = controllers(schedule(t, base rate of its group))
///
/// where each controller (plateau, guard, tuner) multiplies by its `scale` in turn
/// (`LearningRateControllers.rate`); without a schedule the group's base rate is used.
/// `currentLearningRate` is that rate for the default group at the next step.
///
/// Parameters are updated in place when the dictionary holds the only reference to their
/// storage; a tensor shared elsewhere (e.g. still held by a model) is copied once on write.
///
/// ```swift
/// var optimizer = try Optimizer(SGD(momentum: 0.9), learningRate: 0.1)
/// var parameters = ["w": Tensor([1.0])]
/// try optimizer.update(&parameters, along: ["w": Tensor([2.0])])   // w = 1 - 0.1 × 2 = 0.8
/// try optimizer.update(&parameters, along: ["w": Tensor([2.0])])   // buffer 3.8: w = 0.8 - 0.38 = 0.42
/// ```
public struct Optimizer<Rule: OptimizerRule>: Sendable {
    /// The per-tensor update rule and its hyperparameters.
    public var rule: Rule
    /// The base learning rate (of parameters outside any group): the rate with no schedule, the rate a multiplier
    /// schedule scales, and for a rate-free rule the multiplier of the step size it learns.
    ///
    /// With a schedule of DescentSchedules attached (`.schedule(_:)`) the schedule *is* the rate —
    /// `rate(t) = schedule(t) × controllers' scale` — and this value is not read: the rate has one home. A rate
    /// that multiplies the base rate (PyTorch's `LambdaLR`) is a multiplier schedule:
    ///
    /// ```swift
    /// // LambdaLR(lr_lambda=lambda epoch: 0.95 ** epoch), one epoch = 100 steps: 0.1 × 0.95^⌊t/100⌋.
    /// var optimizer = try Optimizer(SGD(), learningRate: 0.1,
    ///                               schedule: .multiplier { step in pow(0.95, Double(step / 100)) })
    /// optimizer.currentLearningRate   // 0.1 at step 0; 0.095 from step 100
    /// ```
    public var baseLearningRate: Double
    /// The base learning rate under its old name: a second source of the rate, ignored once a schedule of
    /// DescentSchedules is attached. Read and set `baseLearningRate`, or give the rate to the schedule.
    @available(*, deprecated, renamed: "baseLearningRate",
               message: "ignored once a schedule is attached (.schedule(_:) is the rate); use baseLearningRate, or a multiplier schedule (.multiplier { step in factor(step) }, PyTorch's LambdaLR) to scale it")
    public var learningRate: Double {
        get { baseLearningRate }
        set { baseLearningRate = newValue }
    }
    /// The weight-decay coefficient (of parameters outside any group); each rule applies it as its reference does.
    public var weightDecay: Double
    /// How the rate moves with the step; `nil` keeps it constant.
    public var schedule: ScheduledRate?
    /// Controllers whose scales multiply the scheduled rate (reduce-on-plateau, the divergence guard's back-off).
    /// They are not part of `savedState()`: whoever owns them (the training loop's checkpoint) saves them.
    public var controllers: [any LearningRateController] = []
    /// Parameter groups with their own rate, schedule or weight decay (first match wins).
    public var groups: [ParameterGroup]
    /// Clipping applied, in order, to the (accumulated) gradients before each update.
    public var clipping: [GradientClipping]
    /// Number of `update` calls whose gradients are averaged into one step (1: every call steps).
    public internal(set) var accumulationSteps: Int
    /// Ascend instead of descend (the gradients are negated), as PyTorch's `maximize`.
    public var maximize: Bool
    /// Whether gradients are checked for NaN and infinity before anything is written.
    public var checksFiniteGradients: Bool = true

    /// Number of steps taken (updates applied, not counting accumulation-only calls).
    public internal(set) var step: Int = 0
    /// Whether the parameters are at the evaluation point (schedule-free rules); see `setEvaluationMode`.
    public internal(set) var isEvaluating = false

    var states: [String: Rule.State] = [:]
    var shared: Rule.SharedState
    var accumulated: [String: Tensor] = [:]
    var accumulatedCalls = 0

    /// - Throws: `OptimizerError.invalidHyperparameter` for a negative rate or weight decay,
    ///   `accumulationSteps` below 1 or a non-positive clipping limit.
    public init(_ rule: Rule, learningRate: Double, weightDecay: Double = 0, schedule: ScheduledRate? = nil,
                groups: [ParameterGroup] = [], clipping: [GradientClipping] = [], accumulationSteps: Int = 1,
                maximize: Bool = false) throws {
        try HyperparameterCheck.nonNegative(learningRate, "learningRate")
        try HyperparameterCheck.nonNegative(weightDecay, "weightDecay")
        guard accumulationSteps >= 1 else {
            throw OptimizerError.invalidHyperparameter(name: "accumulationSteps", value: Double(accumulationSteps),
                                                       requirement: "≥ 1")
        }
        for group in groups {
            if let rate = group.learningRate { try HyperparameterCheck.nonNegative(rate, "groups[\(group.name)].learningRate") }
            if let decay = group.weightDecay { try HyperparameterCheck.nonNegative(decay, "groups[\(group.name)].weightDecay") }
        }
        for limit in clipping { try limit.validate() }
        self.rule = rule
        self.baseLearningRate = learningRate
        self.weightDecay = weightDecay
        self.schedule = schedule
        self.groups = groups
        self.clipping = clipping
        self.accumulationSteps = accumulationSteps
        self.maximize = maximize
        self.shared = rule.makeSharedState()
    }

    /// The group a parameter belongs to (`nil`: the optimizer's defaults).
    public func group(of parameterName: String) -> ParameterGroup? {
        groups.first { $0.selects(parameterName) }
    }

    /// The rate of the next step for a parameter, schedule and controllers included.
    public func learningRate(for parameterName: String) -> Double {
        rate(group: group(of: parameterName), at: step)
    }

    /// The rate of the next step for parameters outside any group: the one answer to "what is the rate now?".
    public var currentLearningRate: Double { rate(group: nil, at: step) }

    /// The scheduled momentum (or beta1) of the next step, if the schedule cycles it.
    public var currentMomentum: Double? { scheduledMomentum(group: nil, at: step) }

    func scheduledMomentum(group: ParameterGroup?, at step: Int) -> Double? {
        guard let value = (group?.schedule ?? schedule)?.momentum?(step) ?? nil, !value.isNaN else { return nil }
        return value
    }

    func rate(group: ParameterGroup?, at step: Int) -> Double {
        let base = group?.learningRate ?? baseLearningRate
        let scheduled = (group?.schedule ?? schedule).map { $0.rate(step, base) } ?? base
        return LearningRateControllers.rate(scheduled, controllers: controllers)
    }

    func context(for name: String, step: Int) -> UpdateContext {
        let group = group(of: name)
        return UpdateContext(learningRate: rate(group: group, at: step - 1), step: step,
                             weightDecay: group?.weightDecay ?? weightDecay,
                             momentum: scheduledMomentum(group: group, at: step - 1), parameterName: name)
    }

    /// Changes the number of calls averaged into one step; pending accumulated gradients are dropped.
    public mutating func setAccumulationSteps(_ steps: Int) throws {
        guard steps >= 1 else {
            throw OptimizerError.invalidHyperparameter(name: "accumulationSteps", value: Double(steps), requirement: "≥ 1")
        }
        accumulationSteps = steps
        accumulated = [:]
        accumulatedCalls = 0
    }
}

/// What an `update` call did.
public enum StepOutcome: Sendable, Equatable {
    /// The parameters moved; `step` is the number of steps taken so far.
    case applied(step: Int)
    /// The gradients were added to the accumulation (`calls` of `of`); the parameters did not move.
    case accumulated(calls: Int, of: Int)
}
