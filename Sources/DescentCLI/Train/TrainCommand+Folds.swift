import ArgumentParser
import Descent
import Foundation

/// `descent train --folds K`: K-fold cross-validation before the run. Each fold trains a fresh model with
/// everything as the command says (the rate chosen per fold with `--learning-rate auto`), fold k of
/// `Dataset.folds(K, seed:)` (stratified for classification) as its validation part and the preprocessing
/// fitted on the other folds; then the mean and spread of the final validation metric and of the rate are
/// reported, and the run itself trains (and saves) one model on the usual split at the median of the folds' rates.
///
/// `--json`: the summary's `cross_validation` object:
/// `{"folds":[{"fold":1,"learning_rate":0.003,"validation_loss":0.1,"validation_metric":0.96},…],"metric":"accuracy",
/// "mean":0.953,"standard_deviation":0.02,"learning_rate_median":0.003,"learning_rate_mean":0.003,"learning_rate_standard_deviation":0}`.
struct CrossValidationSummary: Encodable {
    struct Fold: Encodable {
        var fold: Int, learningRate: Double, validationLoss: Double?, validationMetric: Double?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: TrainSummary.Key.self)
            try container.encode(fold, forKey: .init("fold"))
            try container.encodeNumber(learningRate, forKey: .init("learning_rate"))
            try container.encodeNumber(validationLoss, forKey: .init("validation_loss"))
            try container.encodeNumber(validationMetric, forKey: .init("validation_metric"))
        }
    }
    var folds: [Fold] = []
    var metric: String
    /// The automatic rate's choice of the fold a signal stopped it in (nil: none was stopped there).
    var interruptedChoice: AutomaticLearningRate.Choice?

    /// Mean and sample standard deviation of the finite values (nil when there are none).
    static func spread(_ values: [Double]) -> (mean: Double, deviation: Double)? {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        let mean = finite.reduce(0, +) / Double(finite.count)
        let variance = finite.count > 1 ? finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count - 1) : 0
        return (mean, variance.squareRoot())
    }

    /// The median of the folds' rates (the mean of the middle two for an even count).
    var medianLearningRate: Double {
        let rates = folds.map(\.learningRate).sorted()
        guard !rates.isEmpty else { return .nan }
        let middle: Int = rates.count / 2
        if rates.count % 2 == 1 { return rates[middle] }
        let below: Double = rates[middle - 1], above: Double = rates[middle]
        return (below + above) / 2
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TrainSummary.Key.self)
        try container.encode(folds, forKey: .init("folds"))
        try container.encode(metric, forKey: .init("metric"))
        let metrics = Self.spread(folds.compactMap(\.validationMetric))
        try container.encodeNumber(metrics?.mean, forKey: .init("mean"))
        try container.encodeNumber(metrics?.deviation, forKey: .init("standard_deviation"))
        let rates = Self.spread(folds.map(\.learningRate))
        try container.encodeNumber(medianLearningRate, forKey: .init("learning_rate_median"))
        try container.encodeNumber(rates?.mean, forKey: .init("learning_rate_mean"))
        try container.encodeNumber(rates?.deviation, forKey: .init("learning_rate_standard_deviation"))
    }

    /// The lines printed after the folds.
    var lines: [String] {
        var lines = folds.map { fold in
            String(format: "  fold %ld: validation %@ %.4f, learning rate %.3g", fold.fold, metric, fold.validationMetric ?? Double.nan, fold.learningRate)
        }
        if let metrics = Self.spread(folds.compactMap(\.validationMetric)), let rates = Self.spread(folds.map(\.learningRate)) {
            lines.append(String(format: "Cross-validation (%ld folds): validation %@ %.4f ± %.4f (mean ± sd); learning rate median %.3g "
                                + "(mean %.3g ± %.2g)", folds.count, metric, metrics.mean, metrics.deviation, medianLearningRate,
                                rates.mean, rates.deviation))
        }
        return lines
    }
}

extension TrainCommand {
    /// Trains one model per fold and returns what each ended with.
    func crossValidate(folds count: Int, stopRequest: StopRequest) throws -> CrossValidationSummary {
        var summary: CrossValidationSummary?
        if !json { print("Cross-validation: \(count) folds\(data.task == .regression ? "" : " (stratified for classification)")") }
        let spec = try specification()
        for index in 0..<count {
            if stopRequest.isRequested { break }   // a signal between folds: no further fold starts
            var setup = try TrainingSetup(spec, fold: (index, count))
            if summary == nil { summary = CrossValidationSummary(metric: setup.objective.metricName) }
            let (fullBatches, remainder) = setup.split.train.count.quotientAndRemainder(dividingBy: data.batchSize)
            let stepsPerEpoch = fullBatches + (remainder == 0 ? 0 : 1)
            let totalSteps = stepsPerEpoch * epochs
            var configuration = TrainingConfiguration(epochs: epochs, batchSize: data.batchSize, seed: data.seed)
            configuration.earlyStoppingPatience = patience
            if noGuard { configuration.divergenceGuard = nil }
            configuration.classWeights = DataModelOptions<TrainCommand>.classWeights(spec, for: setup)
            let decision = try resolveLearningRate(setup: setup, totalSteps: totalSteps, configuration: configuration,
                                                   stopRequest: stopRequest)
            if let choice = decision.choice, choice.interruption != nil {
                summary?.interruptedChoice = choice   // stopped while this fold's rate was chosen: the fold is not trained
                break
            }
            let rate = decision.rate
            if learningRate == .automatic {
                // The choice may have trained the model (a race): the fold trains a fresh one at the chosen rate.
                setup = try TrainingSetup(spec, fold: (index, count))
            }
            let parsed = try Self.parseSchedule(scheduleText, totalSteps: totalSteps, baseLearningRate: rate)
            let baseline = TrivialBaseline(for: setup.split.validation)
            let observers = TrainingObservers(options: try TrainingOutputOptions.parse([]), json: true, baseline: baseline, epochs: epochs,
                                              stepsPerEpoch: stepsPerEpoch)
            let run = TrainRun(command: self, specification: spec, trainer: Trainer(configuration: configuration), model: setup.model,
                               split: setup.split, learningRate: rate, schedule: parsed, checkpointPath: nil, stopRequest: stopRequest,
                               description: [:], dataIdentity: CheckpointDataIdentity(setup: setup), observers: observers)
            var curves = TrainingCurves(baseline: baseline)
            let outcome = try run.fit(optimizer, momentum: momentum, &curves)
            try? observers.finish(status: outcome.status.rawValue)
            if outcome.status == .interrupted { break }   // a fold cut short is not counted among the folds
            let last = outcome.history.last
            let fold = CrossValidationSummary.Fold(fold: index + 1, learningRate: rate, validationLoss: last?.validationLoss,
                                                   validationMetric: last?.validationMetric)
            summary?.folds.append(fold)
            if !json { print(String(format: "  fold %ld/%ld: validation %@ %.4f, learning rate %.3g", index + 1, count,
                                    setup.objective.metricName, fold.validationMetric ?? Double.nan, rate)) }
        }
        guard let summary else {
            if stopRequest.isRequested { return CrossValidationSummary(metric: "") }   // stopped before the first fold's data was read
            throw ValidationError("--folds \(count): no fold was trained")
        }
        if !json, let last = summary.lines.last { print(last) }
        return summary
    }
}
