/// A controller: a small `Codable` state machine that reacts to what happens during training and
/// multiplies the schedule's rate by its `scale`.
///
/// The rate in force is `schedule(step)` passed through every controller in turn
/// (``LearningRateController/apply(to:)``, by default `rate × scale`), so a controller composes
/// with any schedule, including warmup and cosine (which PyTorch's ReduceLROnPlateau cannot:
/// pytorch/pytorch#68978). A checkpoint stores the step and the controllers; a resumed run gets
/// exactly the rate it had.
///
///     var plateau = try ReduceOnPlateau(factor: 0.5, patience: 2)
///     let schedule = try CosineDecaySchedule(from: 0.1, steps: 1000)
///     let rate = LearningRateControllers.rate(schedule(step), controllers: [plateau])
///     plateau.observe(metric: validationLoss, learningRate: rate)
public protocol LearningRateController: Codable, Sendable {
    /// The multiplier this controller applies to the schedule's rate (1 when it has done nothing).
    var scale: Double { get }

    /// Reacts to a metric reported after a step; `learningRate` is the final rate that was in
    /// force (schedule × all controllers), which some controllers need (PyTorch's `eps`, `min_lr`).
    mutating func observe(metric: Double, learningRate: Double)

    /// The rate after this controller: `rate × scale` unless the controller says otherwise
    /// (``ReduceOnPlateau`` never takes the rate below its `minimumLearningRate`).
    func apply(to rate: Double) -> Double
}

extension LearningRateController {
    public func apply(to rate: Double) -> Double { rate * scale }
}

/// Composition of a schedule's rate with controllers.
public enum LearningRateControllers {
    /// `scheduled` passed through each controller in order.
    ///
    /// Example: a schedule rate 0.1 with a plateau controller that has halved twice (scale 0.25)
    /// gives 0.025.
    public static func rate(_ scheduled: Double, controllers: [any LearningRateController]) -> Double {
        controllers.reduce(scheduled) { rate, controller in controller.apply(to: rate) }
    }
}
