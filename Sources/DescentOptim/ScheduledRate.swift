import DescentSchedules

/// How the rate (and optionally the momentum) of an optimizer moves with the step.
///
/// The rate of step `t` (0-based: the number of updates already taken) is
/// `rate(t, baseRate)`; the optimizer then multiplies it by its controllers'
/// scale. A multiplier schedule (PyTorch's `LambdaLR`) scales the base rate; a schedule of
/// DescentSchedules (`.schedule(_:)`) is the rate itself and ignores it.
/// `momentum(t)`, when present and not nil at `t`, replaces SGD's momentum or Adam's beta1 at step
/// `t` (one-cycle and cyclic schedules move it inversely to the rate, as PyTorch does).
///
/// ```swift
/// // Halve the rate every 10 steps: with base rate 0.1, step 25 runs at 0.025.
/// let halving = ScheduledRate.multiplier { step in pow(0.5, Double(step / 10)) }
/// halving.rate(25, 0.1)   // 0.025
/// ```
public struct ScheduledRate: Sendable {
    /// The schedule as a value, when the rate was built from one of DescentSchedules' schedules:
    /// printable, comparable and saved in checkpoints as its text form (nil for closure-built rates).
    public let schedule: AnySchedule?
    /// The rate at a step given the base rate.
    public var rate: @Sendable (_ step: Int, _ baseRate: Double) -> Double
    /// The momentum (or beta1) at a step, if the schedule cycles it (nil at a step: keep the optimizer's own).
    public var momentum: (@Sendable (_ step: Int) -> Double?)?

    public init(rate: @escaping @Sendable (_ step: Int, _ baseRate: Double) -> Double,
                momentum: (@Sendable (_ step: Int) -> Double?)? = nil) {
        self.schedule = nil
        self.rate = rate
        self.momentum = momentum
    }

    init(schedule: AnySchedule?, rate: @escaping @Sendable (Int, Double) -> Double, momentum: (@Sendable (Int) -> Double?)?) {
        self.schedule = schedule
        self.rate = rate
        self.momentum = momentum
    }

    /// rate(t) = baseRate × multiplier(t).
    public static func multiplier(_ multiplier: @escaping @Sendable (Int) -> Double) -> ScheduledRate {
        ScheduledRate(rate: { step, base in base * multiplier(step) })
    }

    /// A schedule of DescentSchedules (its rate is absolute; the base rate is ignored), with the momentum it
    /// cycles (one-cycle, cyclic) unless `momentum` is given. A serializable schedule is kept as a value
    /// (`schedule`), so the rate at any step is schedule(step) × the controllers' scale, readable and saved.
    ///
    /// ```swift
    /// let cosine = try CosineDecaySchedule(from: 0.1, to: 0, steps: 100)
    /// var optimizer = try Optimizer(SGD(momentum: 0.9), learningRate: 0.1, schedule: .schedule(cosine))
    /// optimizer.schedule?.schedule?.description   // "cosine(from: 0.1, to: 0.0, steps: 100)"
    /// ```
    public static func schedule(_ schedule: some LearningRateSchedule,
                                momentum: (any MomentumSchedule)? = nil) -> ScheduledRate {
        let value = (schedule as? any SerializableSchedule).map { AnySchedule($0) }
        var cycled: (any MomentumSchedule)? = momentum
        if cycled == nil, let value, value.cyclesMomentum { cycled = ScheduledMomentum(value) }
        let rate: @Sendable (Int, Double) -> Double = { step, _ in schedule(step) }
        guard let momentumSchedule = cycled else { return ScheduledRate(schedule: value, rate: rate, momentum: nil) }
        return ScheduledRate(schedule: value, rate: rate, momentum: { step in momentumSchedule(step) })
    }
}
