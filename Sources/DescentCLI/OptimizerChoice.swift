import ArgumentParser
import Descent

/// The optimizers `descent train` and `descent range-test` offer, and the one place that builds them.
///
/// `Optimizer<Rule>` is generic over its rule, so code that works with "the optimizer the user
/// chose" is written once as an `OptimizerTask` (a generic method) and `perform(_:with:)` calls it
/// with the concrete optimizer. Both commands go through here, so a rule added to the list is
/// offered, built and range-tested the same way everywhere.
///
/// | choice | rule | default rate (reference) | rate-free |
/// | --- | --- | --- | --- |
/// | `sgd` | `SGD(momentum:)` | — | no |
/// | `adam` | `Adam()` | 1e-3 (PyTorch) | no |
/// | `adamw` | `AdamW()` | 1e-3 (PyTorch) | no |
/// | `rmsprop` | `RMSprop()` | 1e-2 (PyTorch) | no |
/// | `schedule-free-adamw` | `ScheduleFreeAdamW()` | 2.5e-3 (schedulefree) | yes: no schedule needed |
/// | `prodigy` | `Prodigy()` | 1.0 (prodigyopt; a multiplier of the step size it learns) | yes |
///
/// ```swift
/// struct Name: OptimizerTask { func run<Rule: OptimizerRule>(_ optimizer: Optimizer<Rule>) throws -> String { optimizer.ruleName } }
/// try OptimizerChoice.adamw.perform(Name(), with: OptimizerSettings(learningRate: 1e-3))   // "AdamW"
/// ```
enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    case sgd, adam, adamw, rmsprop, schedulefree = "schedule-free-adamw", prodigy

    /// The choices as the help text lists them.
    static var listed: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Whether the optimizer sets its own step size, so that `--learning-rate auto` means its reference
    /// default rather than a range test: Prodigy learns the step size d (lr only multiplies it), and
    /// Schedule-Free AdamW is designed to run at its default rate with no schedule.
    var isLearningRateFree: Bool { self == .prodigy || self == .schedulefree }

    /// The reference implementation's default rate, used by `auto` for the rate-free optimizers.
    var referenceLearningRate: Double? {
        switch self {
        case .sgd: return nil
        case .adam, .adamw: return 1e-3
        case .rmsprop: return 1e-2
        case .schedulefree: return 2.5e-3
        case .prodigy: return 1.0
        }
    }

    /// The library's family of the optimizer, as `AutomaticLearningRate` weighs it.
    var family: AutomaticLearningRate.OptimizerFamily {
        switch self {
        case .sgd: return .momentumSGD
        case .adam, .adamw, .rmsprop: return .adaptive
        case .schedulefree, .prodigy: return .learningRateFree
        }
    }

    /// Builds the chosen rule (SGD with `momentum`, the others at their reference defaults) and runs `task` with it.
    /// - Throws: `OptimizerError` for a hyperparameter out of range, and whatever `task` throws.
    func withRule<Task: OptimizerRuleTask>(_ task: Task, momentum: Double) throws -> Task.Output {
        switch self {
        case .sgd: return try task.run(try SGD(momentum: momentum))
        case .adam: return try task.run(try Adam())
        case .adamw: return try task.run(try AdamW())
        case .rmsprop: return try task.run(try RMSprop())
        case .schedulefree: return try task.run(try ScheduleFreeAdamW())
        case .prodigy: return try task.run(try Prodigy())
        }
    }

    /// Builds the chosen optimizer from `settings` and runs `task` with it.
    /// - Throws: `OptimizerError` for a hyperparameter out of range, and whatever `task` throws.
    func perform<Task: OptimizerTask>(_ task: Task, with settings: OptimizerSettings) throws -> Task.Output {
        try withRule(BuildOptimizer(task: task, settings: settings), momentum: settings.momentum)
    }

    /// A description for printing: `sgd (momentum 0.9)`, `adamw`.
    func described(momentum: Double) -> String { self == .sgd ? "sgd (momentum \(momentum))" : rawValue }
}

/// The hyperparameters the commands set on every optimizer (the rest are each rule's defaults).
struct OptimizerSettings: Sendable {
    var learningRate: Double
    var weightDecay: Double = 0
    /// SGD's momentum (ignored by the other rules).
    var momentum: Double = 0.9
    /// The schedule and momentum schedule (nil: a constant rate).
    var schedule: ScheduledRate?
}

/// Work done with a rule chosen at run time (see `OptimizerChoice.withRule`).
protocol OptimizerRuleTask {
    associatedtype Output
    func run<Rule: OptimizerRule>(_ rule: Rule) throws -> Output
}

/// Builds the optimizer of a rule from `settings` and hands it to `task` (how `perform` goes through `withRule`).
struct BuildOptimizer<Task: OptimizerTask>: OptimizerRuleTask {
    let task: Task, settings: OptimizerSettings
    func run<Rule: OptimizerRule>(_ rule: Rule) throws -> Task.Output {
        try task.run(try Optimizer(rule, learningRate: settings.learningRate, weightDecay: settings.weightDecay,
                                   schedule: settings.schedule))
    }
}

/// Work done with an optimizer whose rule is chosen at run time (see `OptimizerChoice.perform`).
protocol OptimizerTask {
    associatedtype Output
    func run<Rule: OptimizerRule>(_ optimizer: Optimizer<Rule>) throws -> Output
}
