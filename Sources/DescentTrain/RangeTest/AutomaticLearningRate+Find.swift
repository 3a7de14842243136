import DescentData
import DescentNN
import DescentOptim

extension AutomaticLearningRate {
    /// The whole of `--learning-rate auto` in one call: the sweep(s) on `data` (the training part) with a
    /// copy of `optimizer`, the stability ceiling for the SGD family, and the budget rule — or a named
    /// fallback when the test cannot run. `model` and `optimizer` are left exactly as they were.
    ///
    /// * `family == .learningRateFree`: no sweep; the optimizer's own rate (`optimizer.learningRate`, which the
    ///   caller sets to the rule's reference default, e.g. Prodigy 1.0) is kept, said so.
    /// * `sweepRepeats`: how many sweeps (nil: as many as the budget affords, at most 3; 1 when a race decides after).
    /// * fewer than `minimumSweepRows` examples and fewer than two batches: too few batches for the sweep → fallback.
    /// * a loss that is not finite before any step (`TrainingError.nonFiniteInitialLoss`) → fallback.
    /// * a sweep with no usable suggestion (blew up at once, or flat) → fallback (`choose`).
    ///
    /// ```swift
    /// let budget = AutomaticLearningRate.Budget(totalSteps: 30 * 4, batchSize: 32, family: .adaptive)
    /// let choice = try AutomaticLearningRate.find(model: model, optimizer: try Optimizer(Adam(), learningRate: 1e-3),
    ///                                             data: split.train, budget: budget, seed: 0)
    /// choice.learningRate   // iris, MLP 4-32-3: 0.0331
    /// ```
    /// * `stopRequest` set (before or during the sweeps, or before the ceiling): returns at once, the model restored,
    ///   with `Choice.interruption` saying where (no rate: `learningRate` is NaN).
    /// - Throws: model and optimizer errors other than a non-finite starting loss (shape mismatches).
    public static func find<Model: Module, Rule: OptimizerRule>(model: Model, optimizer: Optimizer<Rule>, data: Dataset,
                                                                budget: Budget, seed: UInt64 = 0, sweepRepeats: Int? = nil,
                                                                stopRequest: StopRequest? = nil) throws -> Choice {
        if budget.family == .learningRateFree {
            return optimizerDefault(optimizer.baseLearningRate, optimizer: optimizer.ruleName)
        }
        let fallbackRate = fallbackLearningRate(for: budget.family)
        guard data.count / 2 >= budget.batchSize || data.count >= minimumSweepRows else {
            return fallback(fallbackRate, because: "the training part has \(data.count) examples, fewer than two batches of "
                + "\(budget.batchSize) and fewer than \(minimumSweepRows): the range test would see the same few examples at "
                + "every step, too few batches for the sweep")
        }
        let sweep = try sweep(for: budget, trainingExamples: data.count, seed: seed, repeats: sweepRepeats)
        let repeated: RepeatedRangeTestResult
        do {
            repeated = try sweep.run(model, optimizer: optimizer, data: data, stopRequest: stopRequest)
        } catch let error as TrainingError {
            if let stopRequest, stopRequest.isRequested {
                return interrupted(Interruption(stage: .rangeTest, sweepIterations: 0, reason: stopRequest.reason))
            }
            return fallback(fallbackRate, because: "the range test could not run: \(error)")
        }
        let swept = repeated.results.reduce(0) { $0 + $1.iterationsRun }
        if let stopRequest, stopRequest.isRequested {
            return interrupted(Interruption(stage: .rangeTest, sweepIterations: swept, reason: stopRequest.reason))
        }
        // The ceiling bounds plain and heavy-ball gradient descent only; adaptive rules rescale the gradient.
        let ceiling = budget.family == .momentumSGD ? try? StabilityCeiling.estimate(model: model, data: data, seed: seed,
                                                                                             stopRequest: stopRequest) : nil
        if let stopRequest, stopRequest.isRequested, budget.family == .momentumSGD {
            return interrupted(Interruption(stage: .stabilityCeiling, sweepIterations: swept, reason: stopRequest.reason))
        }
        return choose(from: repeated, budget: budget, ceiling: ceiling)
    }
}
