import DescentData
import DescentNN
import DescentOptim
import Foundation

extension AutomaticLearningRate {
    /// Fewest validation rows for which auto decides on validation loss: below it, one example moves the
    /// loss by more than the candidates differ, so the range-test rule decides (said, named).
    public static let minimumRaceValidationRows = 20

    /// Most candidates a race runs (the span from a decade below the rule's rate up to half a decade below the
    /// edge is at most 2.3 decades, as the rule's factor is at least 0.005: six half-decade steps).
    public static let maximumRaceCandidates = 6

    /// The highest candidate sits at most 10^`raceTopExponent` × the sweep's edge (half a decade below it).
    public static let raceTopExponent = -0.5

    /// The race's candidates around the range test's rate r, in half-decade steps (the grid's spacing): from
    /// r·10^−1 up to half a decade below the sweep's edge (where its smoothed loss was lowest; at the edge runs
    /// blow up), at most `maximumRaceCandidates` (the highest dropped first) and at least `minimumCount` (steps
    /// below r·10^−1 added when the edge is close to r). Without an edge the span is r·10^0.5 … r·10^−1.
    ///
    /// The span grows with the run's length: the budget rule puts r a factor 0.1 below the edge for runs of up
    /// to 150 steps (four candidates, r·10^0.5 … r·10^−1, as before) and further below for longer ones (down to
    /// 0.005), while with the best epoch kept the best rate of a long run can still be near the edge: wine at
    /// 200 epochs (1,000 steps) had the rule's rate 0.0139 and edge 0.575, the candidates stopped at 0.044 and
    /// kept 0.058 on seed 0, where 0.1 reaches 2.5e-5 at epoch 11 (`benchmarks/auto_lr_results.md`). So a long
    /// run races five or six candidates, the race's cost held near 1.6 runs by `LearningRateRace.rungs(epochs:candidates:)`.
    ///
    /// ```swift
    /// AutomaticLearningRate.raceRates(around: 0.01, edge: 0.1)      // [0.0316, 0.01, 0.00316, 0.001]
    /// AutomaticLearningRate.raceRates(around: 0.01, edge: 0.02)     // [0.01, 0.00316, 0.001, 0.000316]
    /// AutomaticLearningRate.raceRates(around: 0.0139, edge: 0.575)  // [0.139, 0.0439, 0.0139, 0.00439, 0.00139]
    /// ```
    public static func raceRates(around rate: Double, edge: Double?, minimumCount: Int = 4,
                                 maximumCount: Int = maximumRaceCandidates) -> [Double] {
        let top = edge.map { $0 * Foundation.pow(10, raceTopExponent) } ?? rate * Foundation.pow(10, 0.5)
        // Half-decade steps up from r·10^−1, r always in, none above the top (a relative tolerance for rounding).
        var exponents = (-2...12).map { Double($0) / 2 }.filter { $0 <= 0 || rate * Foundation.pow(10, $0) <= top * 1.000001 }
        exponents = Array(exponents.prefix(Swift.max(maximumCount, 1)))
        var below = -1.5
        while exponents.count < minimumCount {
            exponents.insert(below, at: 0)
            below -= 0.5
        }
        return exponents.reversed().map { rate * Foundation.pow(10, $0) }
    }

    /// Decides the run's peak rate on validation loss after the range test's first look (`choice`):
    /// a `LearningRateRace` among `raceRates(around:edge:)`, over the run's own schedule, with the best
    /// epoch's weights kept. Returns the choice with the race's candidates and reasons added, and the
    /// winner's checkpoint to go on from (nil when no race ran, said in the reasons):
    ///
    /// * a learning-rate-free optimizer's default: kept, no race.
    /// * no validation data, or fewer than `minimumRaceValidationRows` rows: the range-test rule decides.
    /// * `stopRequest` set during the race: returns within a step with `interruption` (stage `.race`, the epochs
    ///   trained), the candidates as far as they got, no checkpoint, and `model` holding the weights it started with.
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
        description: [String: String] = [:], stopRequest: StopRequest? = nil, makeOptimizer: (Double) throws -> Optimizer<Rule>
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
        let rates = raceRates(around: choice.learningRate, edge: choice.edge)
        let rungs = LearningRateRace.rungs(epochs: configuration.epochs, candidates: rates.count)
        guard !rungs.isEmpty else {
            decided.reasons.append("a 1-epoch run has no room for a race, so the range-test rule decides (\(choice.source.rawValue))")
            return (decided, nil)
        }
        var settings = configuration
        if let patience = configuration.earlyStoppingPatience {
            decided.reasons.append("the patience given (\(patience) epochs) wins: candidates and the run stop after \(patience) "
                + "epochs without a better validation loss, keeping the best epoch")
        } else {
            settings.keepsBestWeights = true
        }
        let result: LearningRateRace.Result<Rule>
        do {
            result = try LearningRateRace(rates: rates, rungs: rungs).run(
                model: model, configuration: settings, training: training, validation: validation, description: description,
                stopRequest: stopRequest, makeOptimizer: makeOptimizer)
        } catch let stopped as LearningRateRace.Interrupted {
            decided.rangeTestRate = choice.learningRate
            decided.candidates = stopped.candidates
            decided.interruption = Interruption(stage: .race, sweepIterations: nil, raceEpochs: stopped.epochsTrained,
                                                reason: stopRequest?.reason)
            decided.reasons.append(String(format: "stopped by %@ during the race on validation loss among %@ after %ld epochs of "
                + "its candidates together: no rate was chosen (the range test's was %.3g) and nothing of the run was trained",
                stopRequest?.reason ?? "a stop request", rates.map { String(format: "%.3g", $0) }.joined(separator: ", "),
                stopped.epochsTrained, choice.learningRate))
            return (decided, nil)
        }
        let winner = result.candidates[result.winner]
        decided.rangeTestRate = choice.learningRate
        decided.learningRate = winner.learningRate
        decided.source = .validationRace
        decided.candidates = result.candidates
        decided.keepsBestEpoch = true
        decided.rule = String(format: "race on validation loss among %@ → %.3g", rates.map { String(format: "%.3g", $0) }
            .joined(separator: ", "), winner.learningRate)
        decided.reasons.append(String(format: "the range test's rate %.3g is the first look; %ld candidates around it (half-decade "
            + "steps from a decade below it%@) raced on validation loss over the run's own schedule, the better half kept after epoch%@ %@",
            choice.learningRate, rates.count, choice.edge.map { String(format: " up to the edge %.3g", $0) } ?? "",
            rungs.count > 1 ? "s" : "", rungs.dropLast().map(String.init).joined(separator: ", ")
                + (rungs.count > 1 ? " and " : "") + (rungs.last.map(String.init) ?? "")))
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
