import DescentData
import DescentNN
import DescentOptim
import Foundation

extension AutomaticLearningRate {
    /// Fewest validation rows for which auto decides on validation loss: below it, one example moves the
    /// loss by more than the candidates differ, so the range-test rule decides (said, named).
    public static let minimumRaceValidationRows = 20

    /// The race's candidates around the range test's rate r: r·10^0.5, r, r·10^−0.5, r·10^−1 (the grid's
    /// half-decade spacing), dropping those above the sweep's edge (where its loss stopped falling: the run
    /// would blow up) and replacing them below (r·10^−1.5), so there are always `count` candidates.
    ///
    /// ```swift
    /// AutomaticLearningRate.raceRates(around: 0.01, edge: 0.3)    // [0.0316, 0.01, 0.00316, 0.001]
    /// AutomaticLearningRate.raceRates(around: 0.01, edge: 0.02)   // [0.01, 0.00316, 0.001, 0.000316]
    /// ```
    public static func raceRates(around rate: Double, edge: Double?, count: Int = 4) -> [Double] {
        let exponents = [0.5, 0, -0.5, -1, -1.5, -2]
        let rates = exponents.map { rate * Foundation.pow(10, $0) }.filter { $0 <= (edge ?? .infinity) * 1.000001 || $0 <= rate }
        return Array(rates.prefix(count))
    }

    /// Decides the run's peak rate on validation loss after the range test's first look (`choice`):
    /// a `LearningRateRace` among `raceRates(around:edge:)`, over the run's own schedule, with the best
    /// epoch's weights kept. Returns the choice with the race's candidates and reasons added, and the
    /// winner's checkpoint to go on from (nil when no race ran, said in the reasons):
    ///
    /// * a learning-rate-free optimizer's default: kept, no race.
    /// * no validation data, or fewer than `minimumRaceValidationRows` rows: the range-test rule decides.
    /// * `configuration.earlyStoppingPatience` given: it wins — candidates and the run stop on it (restoring
    ///   the best epoch) instead of training on while keeping the best epoch.
    ///
    /// ```swift
    /// var configuration = TrainingConfiguration(epochs: 30, batchSize: 32)
    /// let first = try AutomaticLearningRate.find(model: model, optimizer: adam, data: split.train, budget: budget, sweepRepeats: 1)
    /// let (choice, checkpoint) = try AutomaticLearningRate.race(after: first, model: model, configuration: configuration,
    ///     training: split.train, validation: split.validation) { rate in try Optimizer(Adam(), learningRate: rate) }
    /// choice.learningRate, choice.candidates   // the winner, and every candidate's validation losses
    /// ```
    public static func race<Model: Module, Rule: OptimizerRule>(
        after choice: Choice, model: Model, configuration: TrainingConfiguration, training: Dataset, validation: Dataset?,
        description: [String: String] = [:], makeOptimizer: (Double) throws -> Optimizer<Rule>
    ) throws -> (choice: Choice, checkpoint: TrainingCheckpoint<Rule>?) {
        var decided = choice
        guard choice.source != .optimizerDefault else { return (decided, nil) }
        let rows = validation?.count ?? 0
        guard let validation, rows >= minimumRaceValidationRows else {
            decided.reasons.append(rows == 0
                ? "no validation data: nothing to race on, so the range-test rule decides (\(choice.source.rawValue))"
                : "the validation part has \(rows) rows, fewer than \(minimumRaceValidationRows): its loss is too noisy to race "
                    + "on, so the range-test rule decides (\(choice.source.rawValue))")
            return (decided, nil)
        }
        let rungs = LearningRateRace.rungs(epochs: configuration.epochs)
        guard !rungs.isEmpty else {
            decided.reasons.append("a 1-epoch run has no room for a race, so the range-test rule decides (\(choice.source.rawValue))")
            return (decided, nil)
        }
        let rates = raceRates(around: choice.learningRate, edge: choice.edge)
        var settings = configuration
        if let patience = configuration.earlyStoppingPatience {
            decided.reasons.append("the patience given (\(patience) epochs) wins: candidates and the run stop after \(patience) "
                + "epochs without a better validation loss, keeping the best epoch")
        } else {
            settings.keepsBestWeights = true
        }
        let result = try LearningRateRace(rates: rates, rungs: rungs).run(
            model: model, configuration: settings, training: training, validation: validation, description: description,
            makeOptimizer: makeOptimizer)
        let winner = result.candidates[result.winner]
        decided.rangeTestRate = choice.learningRate
        decided.learningRate = winner.learningRate
        decided.source = .validationRace
        decided.candidates = result.candidates
        decided.keepsBestEpoch = true
        decided.rule = String(format: "race on validation loss among %@ → %.3g", rates.map { String(format: "%.3g", $0) }
            .joined(separator: ", "), winner.learningRate)
        decided.reasons.append(String(format: "the range test's rate %.3g is the first look; %ld candidates around it (half-decade "
            + "steps%@) raced on validation loss over the run's own schedule, the better half kept after epoch%@ %@",
            choice.learningRate, rates.count, choice.edge.map { String(format: ", none above the edge %.3g", $0) } ?? "",
            rungs.count > 1 ? "s" : "", rungs.map(String.init).joined(separator: " and ")))
        for candidate in result.candidates {
            let best = candidate.bestValidationLoss.map { String(format: "%.4g", $0) } ?? "none"
            let fate = candidate.eliminatedAfterEpoch.map { "dropped after epoch \($0)" } ?? "kept"
            decided.reasons.append(String(format: "rate %.3g: best validation loss %@ in %ld epochs, %@%@", candidate.learningRate,
                                          best, candidate.epochsTrained, fate, candidate.note.map { " (\($0))" } ?? ""))
        }
        decided.reasons.append(String(format: "kept %.3g (the lowest validation loss); the run goes on from its epoch %ld and keeps "
            + "its best epoch's weights, so late overfitting does not decide", winner.learningRate, winner.epochsTrained))
        return (decided, result.checkpoint)
    }
}
