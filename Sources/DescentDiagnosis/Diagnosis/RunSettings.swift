import DescentSchedules
import DescentTrain

/// The settings of a run that the diagnosis needs to give advice that fits it: the optimizer and its
/// momentum, the base rate, the schedule (and whether it already decays the rate, and whether it depends
/// on the run's length), the epochs planned and whether the divergence guard was on.
///
/// With settings, advice names values instead of factors ("train at 3.9e-02, the rate the guard settled
/// on", "lower the rate to 1.0e-03"), does not suggest a decaying schedule to a run already on cosine or
/// one-cycle, and counts the epochs to add from the epochs run.
///
/// ```swift
/// let schedule = try ScheduleParser.parse("cosine", totalSteps: 400, baseLearningRate: 0.01)
/// let settings = RunSettings(optimizer: "adamw", family: .adaptive, momentum: 0.9, learningRate: 0.01,
///                            schedule: schedule, totalSteps: 400, lengthIndependent: false, epochs: 20, stepsPerEpoch: 20)
/// settings.scheduleDecays    // true: cosine ends at a small fraction of its peak
/// ```
public struct RunSettings: Codable, Sendable, Equatable {
    /// The optimizer's name as the user gave it ("adamw", "sgd").
    public var optimizer: String
    /// How the rate scales the step (plain or momentum SGD, adaptive, learning-rate-free).
    public var family: AutomaticLearningRate.OptimizerFamily
    /// SGD's heavy-ball momentum β or the Adam family's β₁ (nil: none).
    public var momentum: Double?
    /// The base (peak) learning rate.
    public var learningRate: Double
    /// The schedule's text form ("constant", "onecycle(…)").
    public var schedule: String
    /// Whether the schedule ends at less than half its peak (cosine, one-cycle, step decay): a run already on
    /// such a schedule is not told to try one.
    public var scheduleDecays: Bool
    /// Whether the schedule is the same whatever the run's length (constant, warm-up then constant): then
    /// more epochs continue this run exactly (resume with more epochs); otherwise a longer run stretches it.
    public var scheduleIndependentOfLength: Bool
    /// Epochs the run was asked for.
    public var epochs: Int
    /// Optimizer steps per epoch.
    public var stepsPerEpoch: Int
    /// Whether the divergence guard was on.
    public var guardOn: Bool
    /// Whether the rate was chosen automatically (measured on this run) rather than given; nil: not known (given).
    public var learningRateChosenAutomatically: Bool?
    /// The weight decay (nil: not known, as in settings saved before it was recorded; 0: none).
    public var weightDecay: Double?

    public init(optimizer: String, family: AutomaticLearningRate.OptimizerFamily, momentum: Double?, learningRate: Double,
                schedule: String, scheduleDecays: Bool, scheduleIndependentOfLength: Bool, epochs: Int, stepsPerEpoch: Int,
                guardOn: Bool = true) {
        self.optimizer = optimizer
        self.family = family
        self.momentum = momentum
        self.learningRate = learningRate
        self.schedule = schedule
        self.scheduleDecays = scheduleDecays
        self.scheduleIndependentOfLength = scheduleIndependentOfLength
        self.epochs = epochs
        self.stepsPerEpoch = stepsPerEpoch
        self.guardOn = guardOn
    }

    private enum CodingKeys: String, CodingKey {
        case optimizer, family, momentum, schedule, epochs
        case learningRate = "learning_rate"
        case scheduleDecays = "schedule_decays"
        case scheduleIndependentOfLength = "schedule_independent_of_length"
        case stepsPerEpoch = "steps_per_epoch"
        case guardOn = "guard"
        case learningRateChosenAutomatically = "learning_rate_chosen_automatically"
        case weightDecay = "weight_decay"
    }

    /// Settings with `scheduleDecays` read off `schedule` over `totalSteps`: the rate at the last step is
    /// below half the largest rate of 200 evenly spaced steps.
    public init(optimizer: String, family: AutomaticLearningRate.OptimizerFamily, momentum: Double?, learningRate: Double,
                schedule: AnySchedule, totalSteps: Int, lengthIndependent: Bool, epochs: Int, stepsPerEpoch: Int,
                guardOn: Bool = true) {
        self.init(optimizer: optimizer, family: family, momentum: momentum, learningRate: learningRate,
                  schedule: "\(schedule)", scheduleDecays: Self.decays(schedule, totalSteps: totalSteps),
                  scheduleIndependentOfLength: lengthIndependent, epochs: epochs, stepsPerEpoch: stepsPerEpoch, guardOn: guardOn)
    }

    /// Whether `schedule` ends below half of its peak over `totalSteps` steps.
    public static func decays(_ schedule: AnySchedule, totalSteps: Int) -> Bool {
        guard totalSteps > 1 else { return false }
        let samples = Swift.min(200, totalSteps)
        // Typed step by step: as one chained expression this took the type checker 2 s of every build.
        let spacing: Int = Swift.max(1, samples - 1)
        let rates: [Double] = (0..<samples).map { (sample: Int) -> Double in schedule(sample * (totalSteps - 1) / spacing) }
        let peak: Double = rates.filter { $0.isFinite }.max() ?? 0
        let end: Double = schedule(totalSteps - 1)
        return peak > 0 && end.isFinite && end < 0.5 * peak
    }

    /// The largest weight decay at which the decay alone is stable at the base rate η, or nil where the decay cannot make
    /// a run diverge by itself (Adam and RMSprop add it to the gradient they normalise; the rate-free optimizers set their
    /// own step). SGD adds λ·w to the gradient, a quadratic of curvature λ, which heavy-ball momentum β follows stably
    /// only while η·λ < 2(1 + β) — the edge of stability of ``edgeOfStability(lambdaMax:)`` with λ for λmax; AdamW
    /// multiplies the weights by 1 − η·λ each step (Loshchilov & Hutter 2019), which grows them in alternating sign once
    /// η·λ > 2. Example: SGD at η = 0.01 with β = 0.9 → 380; AdamW at η = 1e-3 → 2000.
    public var weightDecayLimit: Double? {
        guard learningRate > 0, learningRate.isFinite else { return nil }
        switch optimizer {
        case "sgd": return 2 * (1 + (momentum ?? 0)) / learningRate
        case "adamw": return 2 / learningRate
        default: return nil
        }
    }

    /// The largest stable rate along a curvature λ for this optimizer: 2(1 + β)/λ for SGD with momentum β (2/λ
    /// without); nil for the others, whose raw rate no λmax bounds (for the Adam family the preconditioned edge applies).
    public func edgeOfStability(lambdaMax: Double) -> Double? {
        guard family == .momentumSGD, lambdaMax > 0, lambdaMax.isFinite else { return nil }
        return 2 * (1 + (momentum ?? 0)) / lambdaMax
    }
}
