import ArgumentParser
import DescentOptim

/// The optimizers the commands offer: the one registry of DescentOptim (`OptimizerRegistry`), which carries
/// each rule's family, reference rate and whether it is learning-rate-free; here it only becomes a flag value.
package typealias OptimizerChoice = OptimizerRegistry

extension OptimizerRegistry: ExpressibleByArgument {}

extension OptimizerRegistry {
    /// Builds the chosen optimizer from `settings` and runs `task` with it.
    /// - Throws: `OptimizerError` for a hyperparameter out of range, and whatever `task` throws.
    package func perform<Task: OptimizerTask>(_ task: Task, with settings: OptimizerSettings) throws -> Task.Output {
        try withRule(BuildOptimizer(task: task, settings: settings), momentum: settings.momentum)
    }
}

/// The hyperparameters the commands set on every optimizer (the rest are each rule's defaults).
package struct OptimizerSettings: Sendable {
    var learningRate: Double
    var weightDecay: Double = 0
    /// SGD's momentum (ignored by the other rules).
    var momentum: Double = 0.9
    /// The schedule and momentum schedule (nil: a constant rate).
    var schedule: ScheduledRate?

    package init(learningRate: Double, weightDecay: Double = 0, momentum: Double = 0.9, schedule: ScheduledRate? = nil) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.schedule = schedule
    }
}

/// Builds the optimizer of a rule from `settings` and hands it to `task` (how `perform` goes through `withRule`).
struct BuildOptimizer<Task: OptimizerTask>: OptimizerRuleTask {
    let task: Task, settings: OptimizerSettings
    func run<Rule: OptimizerRule>(_ rule: Rule) throws -> Task.Output {
        try task.run(try Optimizer(rule, learningRate: settings.learningRate, weightDecay: settings.weightDecay,
                                   schedule: settings.schedule))
    }
}

/// Work done with an optimizer whose rule is chosen at run time (see `OptimizerRegistry.perform`).
package protocol OptimizerTask {
    associatedtype Output
    func run<Rule: OptimizerRule>(_ optimizer: Optimizer<Rule>) throws -> Output
}
