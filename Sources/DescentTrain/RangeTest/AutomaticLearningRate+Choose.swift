import DescentData
import DescentNN
import DescentOptim
import Foundation

extension AutomaticLearningRate {
    /// The automatic rate of a run, as `descent train --learning-rate auto` and `TrainingRun` both choose it: a range
    /// test on the training part weighed by the run's budget (`find`, one sweep when a race follows) gives the first
    /// look, then a race on validation loss among four candidates around it (`race`) decides; the run goes on from
    /// the winner's checkpoint (nil when no race ran: a learning-rate-free rule, fewer than
    /// `minimumRaceValidationRows` validation rows, or a 1-epoch run — said in the reasons).
    ///
    /// - Parameters:
    ///   - probe: the run's optimizer at the rule's reference rate (the sweep moves its rate).
    ///   - configuration: the run's trainer settings (epochs, batch size, seed, patience, guard, class weights).
    ///   - totalSteps: the run's steps (epochs × batches), for the budget.
    ///   - stopRequest: checked between the sweep's steps and the race's steps; once set, `choose` returns within a
    ///     step with `Choice.interruption` set (the stage reached, the work done, the race's candidates so far), no
    ///     checkpoint, and `model` holding the weights it started with. Give the same request to `Trainer.run`.
    ///   - makeOptimizer: the run's optimizer at peak rate r (its schedule, weight decay and controllers).
    ///
    /// ```swift
    /// let configuration = TrainingConfiguration(epochs: 30, batchSize: 32, seed: 0)
    /// let (choice, checkpoint) = try AutomaticLearningRate.choose(
    ///     model: model, probe: try Optimizer(AdamW(), learningRate: 1e-3), training: split.train, validation: split.validation,
    ///     configuration: configuration, totalSteps: 30 * 4, family: .adaptive, momentum: 0.9) { rate in
    ///         try Optimizer(AdamW(), learningRate: rate, schedule: .schedule(try ScheduleParser.parse("cosine", totalSteps: 120, baseLearningRate: rate)))
    ///     }
    /// choice.learningRate      // the race's winner, e.g. 0.0105
    /// ```
    public static func choose<Model: Module, Rule: OptimizerRule>(
        model: Model, probe: Optimizer<Rule>, training: Dataset, validation: Dataset?, configuration: TrainingConfiguration,
        totalSteps: Int, family: OptimizerFamily, momentum: Double, description: [String: String] = [:],
        stopRequest: StopRequest? = nil, makeOptimizer: (Double) throws -> Optimizer<Rule>
    ) throws -> (choice: Choice, checkpoint: TrainingCheckpoint<Rule>?) {
        let budget = Budget(totalSteps: totalSteps, batchSize: configuration.batchSize, family: family, momentum: momentum)
        let races = (validation?.count ?? 0) >= minimumRaceValidationRows && configuration.epochs > 1
        let first = try find(model: model, optimizer: probe, data: training, budget: budget, seed: configuration.seed,
                             sweepRepeats: races ? 1 : nil, stopRequest: stopRequest)
        if first.interruption != nil { return (first, nil) }
        return try race(after: first, model: model, configuration: configuration, training: training, validation: validation,
                        description: description, stopRequest: stopRequest, makeOptimizer: makeOptimizer)
    }
}
