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
    func resolveLearningRate(setup: TrainingSetup, totalSteps: Int) throws -> (rate: Double, choice: AutomaticLearningRate.Choice?) {
        guard learningRate == .automatic else { return (learningRate.fixedValue ?? 3e-3, nil) }
        let choice = try chooseAutomatically(setup: setup, totalSteps: totalSteps)
        if choice.source == .fallback {
            // Never a silent default: say it on stderr even with --json.
            FileHandle.standardError.write(Data(("note: --learning-rate auto: " + choice.reasons.joined(separator: "; ") + "\n").utf8))
        }
        if !json {
            print(String(format: "Automatic learning rate: %.3g (%@): %@", choice.learningRate, choice.source.rawValue, choice.rule))
            for reason in choice.reasons { print("  - \(reason)") }
        }
        return (choice.learningRate, choice)
    }

    private func chooseAutomatically(setup: TrainingSetup, totalSteps: Int) throws -> AutomaticLearningRate.Choice {
        let family = optimizer.family
        if optimizer.isLearningRateFree, let rate = optimizer.referenceLearningRate {
            return AutomaticLearningRate.optimizerDefault(rate, optimizer: optimizer.rawValue)
        }
        let fallbackRate = AutomaticLearningRate.fallbackLearningRate(for: family)
        let train = setup.split.train
        guard train.count >= 2 * data.batchSize || train.count >= AutomaticLearningRate.minimumSweepRows else {
            return AutomaticLearningRate.fallback(fallbackRate, because: "the training part has \(train.count) examples, fewer than "
                + "two batches of \(data.batchSize): the range test would see the same examples at every step, too few batches for the sweep")
        }
        let budget = AutomaticLearningRate.Budget(totalSteps: totalSteps, batchSize: data.batchSize, family: family, momentum: momentum)
        let sweep = try AutomaticLearningRate.sweep(for: budget, trainingExamples: train.count, seed: data.seed)
        let repeated: RepeatedRangeTestResult
        do {
            repeated = try optimizer.perform(RangeTestCommand.RangeTestTask(test: sweep, model: setup.model, data: train),
                                             with: OptimizerSettings(learningRate: sweep.test.startLearningRate, weightDecay: weightDecay,
                                                                     momentum: momentum))
        } catch let error as TrainingError {
            return AutomaticLearningRate.fallback(fallbackRate, because: "the range test could not run: \(error)")
        }
        // The ceiling bounds plain and heavy-ball gradient descent only; adaptive rules rescale the gradient.
        var ceiling: StabilityCeiling?
        if family == .momentumSGD {
            ceiling = try? StabilityCeiling.estimate(model: setup.model, data: train, seed: data.seed)
        }
        return AutomaticLearningRate.choose(from: repeated, budget: budget, ceiling: ceiling)
    }

    /// The choice as a JSON object: rate, source, rule, reasons and the curve's numbers.
    static func automaticJSON(_ choice: AutomaticLearningRate.Choice) -> String {
        var object: [String: Any] = ["learning_rate": choice.learningRate, "source": choice.source.rawValue, "rule": choice.rule,
                                     "reasons": choice.reasons]
        object["edge"] = choice.edge ?? NSNull()
        object["valley"] = choice.valley ?? NSNull()
        object["factor"] = choice.factor ?? NSNull()
        object["ceiling"] = choice.ceiling ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// A value shared by reference, so a task that cannot take `inout` can still hand it back.
final class Box<Value> {
    var value: Value
    init(_ value: Value) { self.value = value }
}
