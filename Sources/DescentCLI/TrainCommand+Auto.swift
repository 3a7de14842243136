import ArgumentParser
import Descent
import Foundation

/// `descent train --learning-rate auto`: a range test on the training part, weighed by the run's
/// budget (`AutomaticLearningRate`), picks the peak rate; the run then uses one-cycle peaking there
/// (or the `--schedule` given, scaled to peak there). What it saw and why it chose is printed, and the
/// JSON summary carries it as `"automatic_learning_rate"`.
///
/// ```
/// $ descent train --dataset iris --hidden 32 --epochs 30 --optimizer adam --learning-rate auto
/// Automatic learning rate: 0.0453 (range-test): 0.453 × 0.1 = 0.0453
///   - the sweep's smoothed loss was lowest at rate 0.453 (the edge) and fell fastest … at 0.0063 (fastai's valley) …
///   - budget: 120 steps of 32 examples; …
/// ```
extension TrainCommand {
    static let learningRateHelp = "The base (peak) learning rate, or auto: a range test on the training part picks it, "
        + "weighing the run's length, batch size and optimizer, and the run uses one-cycle peaking there unless --schedule is given."

    /// The schedule text: `--schedule`, else one-cycle for `auto` and constant for a fixed rate.
    var scheduleText: String { schedule ?? (learningRate == .automatic && !optimizer.isLearningRateFree ? "onecycle" : "constant") }

    /// The base rate of the run and, for `auto`, how it was chosen (printed here unless --json).
    func resolveLearningRate(setup: TrainingSetup, totalSteps: Int, job: DataParallelJob? = nil)
        throws -> (rate: Double, choice: AutomaticLearningRate.Choice?) {
        guard learningRate == .automatic else { return (learningRate.fixedValue ?? 3e-3, nil) }
        // Under mpirun every process searches at the global batch, and all take rank 0's choice.
        var choice = try chooseAutomatically(setup: setup, totalSteps: totalSteps, batchSize: data.batchSize * (job?.size ?? 1))
        if let job, job.size > 1 {
            var rate = [choice.learningRate]
            try job.communicator.broadcast(&rate, from: 0)
            choice.learningRate = rate[0]
        }
        if choice.source == .fallback {
            // Never a silent default: say it on stderr even with --json.
            StandardOutput.error(("note: --learning-rate auto: " + choice.reasons.joined(separator: "; ") + "\n"))
        }
        if !json {
            print(String(format: "Automatic learning rate: %.3g (%@): %@", choice.learningRate, choice.source.rawValue, choice.rule))
            for reason in choice.reasons { print("  - \(reason)") }
        }
        return (choice.learningRate, choice)
    }

    private func chooseAutomatically(setup: TrainingSetup, totalSteps: Int, batchSize: Int) throws -> AutomaticLearningRate.Choice {
        let budget = AutomaticLearningRate.Budget(totalSteps: totalSteps, batchSize: batchSize, family: optimizer.family,
                                                  momentum: momentum)
        // The rate-free optimizers are built at their reference default, which `find` keeps.
        let rate = optimizer.referenceLearningRate ?? AutomaticLearningRate.fallbackLearningRate(for: optimizer.family)
        return try optimizer.perform(FindTask(model: setup.model, data: setup.split.train, budget: budget, seed: data.seed),
                                     with: OptimizerSettings(learningRate: rate, weightDecay: weightDecay, momentum: momentum))
    }

    /// `AutomaticLearningRate.find` with the optimizer the user chose.
    private struct FindTask: OptimizerTask {
        let model: Sequential, data: Dataset, budget: AutomaticLearningRate.Budget, seed: UInt64
        func run<Rule: OptimizerRule>(_ optimizer: Optimizer<Rule>) throws -> AutomaticLearningRate.Choice {
            try AutomaticLearningRate.find(model: model, optimizer: optimizer, data: data, budget: budget, seed: seed)
        }
    }

}

/// The choice as the JSON summary's `"automatic_learning_rate"` object: `learning_rate`, `source`
/// (range-test, ceiling, optimizer-default, fallback), `rule`, `reasons`, and the curve's numbers `edge`,
/// `valley`, `factor`, `ceiling` (null where they do not apply).
struct AutomaticChoiceObject: Encodable {
    let choice: AutomaticLearningRate.Choice

    init(_ choice: AutomaticLearningRate.Choice) { self.choice = choice }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TrainSummary.Key.self)
        try container.encodeNumber(choice.learningRate, forKey: .init("learning_rate"))
        try container.encode(choice.source.rawValue, forKey: .init("source"))
        try container.encode(choice.rule, forKey: .init("rule"))
        try container.encode(choice.reasons, forKey: .init("reasons"))
        try container.encodeNumber(choice.edge, forKey: .init("edge"))
        try container.encodeNumber(choice.valley, forKey: .init("valley"))
        try container.encodeNumber(choice.factor, forKey: .init("factor"))
        try container.encodeNumber(choice.ceiling, forKey: .init("ceiling"))
    }
}

/// A value shared by reference, so a task that cannot take `inout` can still hand it back.
final class Box<Value> {
    var value: Value
    init(_ value: Value) { self.value = value }
}
