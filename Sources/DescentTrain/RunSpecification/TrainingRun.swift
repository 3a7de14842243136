import DescentData
import DescentNN
import DescentOptim
import DescentSchedules
import DescentTensor
import Foundation

/// A whole run from its specification, for Swift programs: the data loaded, split and standardised,
/// the model built from the seed, the rate chosen as `descent train` chooses it when it is `auto`, the schedule's
/// span bound to epochs × batches, the plateau controller and the divergence guard attached, and the
/// result ready to save and to predict with — what `descent train` does, without the command line.
///
/// ```swift
/// var spec = RunSpecification(dataset: "iris")
/// spec.learningRate = .automatic(chosen: nil)   // a range test, then a race on validation loss, picks it
/// spec.schedule = "warmup(20) >> cosine"        // the span is bound from epochs × batches
/// spec.epochs = 30
/// let trained = try TrainingRun(spec).train { event in
///     if case let .epochEnded(record) = event { print(record.epoch, record.validationLoss ?? .nan) }
/// }
/// try trained.save(to: "iris.safetensors")
/// let classes = try trained.predictor.labels(try trained.predictor.outputs(Tensor([[5.1, 3.5, 1.4, 0.2]])))
/// ```
///
/// A CSV file is read as `descent train --csv` reads it (`RunData`): a raw table (text categories, missing cells, a
/// row-number column, or any raw-table field set) goes through the preprocessing fitted on the training part, which
/// the model card carries, so `trained.predictor.predict(rows:)` takes raw cells as `descent predict` does.
///
/// On a table (`csv`) of fewer than 1,000 training rows the run trains `SmallTableEnsemble`'s five models (the field
/// `ensemble` sets the number; 1 trains one) and `trained.predictor` averages them, as `descent train --save-weights` does.
///
/// A run is deterministic, and at a fixed rate it trains the same weights, bit for bit, as `descent train` with the
/// same flags; an automatic rate is chosen as `descent train` chooses it (`AutomaticLearningRate.choose`: the range
/// test's first look, then a race of candidates on validation loss, the run going on from the winner), so it is
/// the same rate on the same data and seed.
public struct TrainingRun: Sendable {
    /// The run, validated.
    public let specification: RunSpecification
    /// A card whose fitted preprocessing (or standardisation) the run applies as it is instead of fitting its own:
    /// an ensemble member's (`SmallTableEnsemble.trainMember`), so every member reads rows as the first one does.
    var sharing: ModelCard?

    /// - Throws: `RunSpecificationError` naming the first field out of range.
    public init(_ specification: RunSpecification) throws {
        try specification.validate()
        self.specification = specification
    }

    /// Loads the data, builds the model and trains it; `observe` sees every event as it happens (an error
    /// it throws ends the run).
    /// - Parameter stopRequest: checked between steps, those of an automatic rate's range test and race included:
    ///   once set the run ends within a step with `outcome.status == .interrupted` (stopped while the rate was being
    ///   chosen: no epochs, the model untrained, `automaticChoice?.interruption` saying where).
    /// - Throws: the data's errors (`DataError`), `RunSpecificationError` for a model that does not fit the data or
    ///   for `folds` or `init_weights` set (what `descent train` alone does),
    ///   `ScheduleError` for a schedule that does not parse, `TrainingError.diverged` when the guard gave up.
    public func train(stopRequest: StopRequest? = nil, observe: (TrainingEvent) throws -> Void = { _ in }) throws -> TrainedRun {
        var spec = specification
        // What only `descent train` does is refused by name rather than left out of a run that would differ.
        if spec.folds != nil {
            throw RunSpecificationError(field: "folds", reason: "is run by descent train --folds (cross-validation, then the run at the folds' median rate); TrainingRun trains the one run: leave folds unset")
        }
        if spec.initWeights != nil {
            throw RunSpecificationError(field: "init_weights", reason: "is read by descent train --init-weights; TrainingRun starts from the seed's weights: leave init_weights unset")
        }
        // The data as `descent train` reads it: a raw table through its fitted preprocessing, the split, the standardisation.
        let prepared = try RunData(spec, savedCard: sharing)
        let (data, split) = (prepared.data, prepared.split)
        guard split.train.count > 0, split.validation.count > 0 else {
            throw RunSpecificationError(field: "validation_fraction", reason: "\(spec.validationFraction) of \(data.count) rows leaves a part empty")
        }
        let objective = prepared.objective
        let architecture = try Self.architecture(spec, data: prepared)
        var generator = SeededGenerator(seed: spec.seed)
        let model = try architecture.makeModel(using: &generator)

        let (batches, remainder) = split.train.count.quotientAndRemainder(dividingBy: spec.batchSize)
        let (totalSteps, overflow) = (batches + (remainder == 0 ? 0 : 1)).multipliedReportingOverflow(by: spec.epochs)
        guard !overflow, totalSteps <= ScheduleParser.maximumTotalSteps else {
            throw RunSpecificationError(field: "epochs", reason: "\(spec.epochs) makes more steps than a schedule can count (10^15)")
        }
        let (outcome, rate, choice) = try withoutActuallyEscaping(observe) { observe in
            try spec.optimizer.withRule(Fit(spec: spec, model: model, split: split, totalSteps: totalSteps, stopRequest: stopRequest,
                                            observe: observe), momentum: spec.momentum)
        }
        if spec.learningRate.isAutomatic, choice?.interruption == nil { spec.learningRate = .automatic(chosen: rate) }

        let last = outcome.history.last
        let training = ModelCard.TrainingDescription(
            data: data.source, optimizer: spec.optimizer.rawValue, learningRate: rate, schedule: spec.scheduleText,
            epochsRun: outcome.history.count, status: outcome.status.rawValue, finalTrainingLoss: last?.trainingLoss,
            finalValidationLoss: last?.validationLoss, metricName: objective.metricName, finalValidationMetric: last?.validationMetric)
        var card = ModelCard(architecture: architecture, trainedOn: data, standardizer: prepared.standardizer, training: training)
        card.specification = spec.withoutOutputs
        card.preprocessing = prepared.preprocessing ?? sharing?.preprocessing
        // A small table (`SmallTableEnsemble`): the other members, as `descent train --save-weights` trains them.
        // A member that fails, or a stop request while they train, leaves the run's one model, as `descent train` does.
        var members: [Sequential] = []
        let count = SmallTableEnsemble.members(trainingRows: split.train.count, requested: spec.ensemble)
        if sharing == nil, spec.csv != nil, outcome.status != .interrupted, count > 1,
           case .trained(let trained) = SmallTableEnsemble.trainMembers(count, of: spec, sharing: card, stopRequest: stopRequest) {
            members = trained.map(\.model)
        }
        return TrainedRun(specification: spec, outcome: outcome, automaticChoice: choice,
                          predictor: ModelPredictor(card: card, model: model, members: members))
    }

    /// The network the specification describes for `data`: the MLP of `hidden` (after a raw table's embeddings), or
    /// the CNN of `channels` on square one-channel images (the digits' 64 features as 1×8×8).
    static func architecture(_ spec: RunSpecification, data: RunData) throws -> ModelArchitecture {
        guard spec.model == .cnn else { return data.multilayerPerceptron(hidden: spec.hidden) }
        let (features, outputs) = (data.data.featureCount, data.objective.outputSize)
        let side = Int(Double(features).squareRoot().rounded())
        guard side * side == features, side >= 2 else {
            throw RunSpecificationError(field: "model", reason: "cnn needs square images: \(features) features are not side × side pixels")
        }
        let architecture = ModelArchitecture(kind: .cnn, inputSize: features, hiddenSizes: [], outputSize: outputs,
                                             imageShape: [1, side, side], channels: spec.channels, kernelSize: 3)
        do { try architecture.validate() } catch { throw RunSpecificationError(field: "channels", reason: "\(error)") }
        return architecture
    }

    /// The run with the rule the specification names: the rate (chosen when automatic), the schedule fitted to
    /// the run's steps, the controllers, the trainer.
    private struct Fit: OptimizerRuleTask {
        let spec: RunSpecification, model: Sequential, split: DatasetSplit, totalSteps: Int
        let stopRequest: StopRequest?
        let observe: (TrainingEvent) throws -> Void

        func run<Rule: OptimizerRule>(_ rule: Rule) throws -> (TrainingOutcome, Double, AutomaticLearningRate.Choice?) {
            var configuration = spec.trainingConfiguration
            if let labels = split.train.targets.classIndices {
                configuration.classWeights = spec.classWeights.weights(labels: labels, classes: Objective(for: split.train).outputSize)
            }
            func makeOptimizer(_ rate: Double) throws -> Optimizer<Rule> {
                let schedule = try ScheduleParser.parse(spec.scheduleText, totalSteps: totalSteps, baseLearningRate: rate)
                var optimizer = try Optimizer(rule, learningRate: rate, weightDecay: spec.weightDecay, schedule: .schedule(schedule))
                if spec.reduceOnPlateau {
                    optimizer.controllers.append(try ReduceOnPlateau(factor: spec.plateauFactor, patience: spec.plateauPatience))
                }
                return optimizer
            }
            var choice: AutomaticLearningRate.Choice?
            var start: TrainingCheckpoint<Rule>?
            let rate: Double
            if case let .fixed(value) = spec.learningRate {
                rate = value
            } else {
                // `descent train`'s automatic rate: the range test's first look, then the race on validation loss; the
                // run goes on from the winner, keeping its best epoch.
                let family = spec.optimizer.family
                let reference = spec.optimizer.referenceLearningRate ?? AutomaticLearningRate.fallbackLearningRate(for: family)
                let probe = try Optimizer(rule, learningRate: reference, weightDecay: spec.weightDecay)
                let found = try AutomaticLearningRate.choose(
                    model: model, probe: probe, training: split.train, validation: split.validation, configuration: configuration,
                    totalSteps: totalSteps, family: family, momentum: spec.momentum, stopRequest: stopRequest,
                    makeOptimizer: makeOptimizer)
                if found.choice.interruption != nil {
                    // Stopped before a rate was chosen: nothing trained (the card names the rule's reference rate).
                    let named = found.choice.learningRate.isFinite ? found.choice.learningRate : reference
                    return (TrainingOutcome(history: [], status: .interrupted, rollbacks: 0, resumedFromEpoch: 0, rateScale: 1),
                            named, found.choice)
                }
                (rate, choice, start) = (found.choice.learningRate, found.choice, found.checkpoint)
                if found.choice.keepsBestEpoch == true, spec.patience == nil { configuration.keepsBestWeights = true }
            }
            var optimizer = try makeOptimizer(rate)
            let outcome = try Trainer(configuration: configuration)
                .run(model, optimizer: &optimizer, training: split.train, validation: split.validation, resumingFrom: start,
                     stopRequest: stopRequest, observe: observe)
            return (outcome, rate, choice)
        }
    }
}

/// What a `TrainingRun` produced: the run as it went (with the rate `auto` chose), its outcome, and the
/// trained model with its card, ready to save or to predict with.
public struct TrainedRun {
    /// The run, with the rate an automatic one chose recorded.
    public let specification: RunSpecification
    /// The epochs' records, how the run ended, its rollbacks.
    public let outcome: TrainingOutcome
    /// What the range test saw and why it chose the rate (nil for a fixed rate).
    public let automaticChoice: AutomaticLearningRate.Choice?
    /// The trained model and its card: `outputs`, `labels`, `probabilities` on new rows (standardised as in training).
    public let predictor: ModelPredictor

    /// Writes the model file (`.safetensors`: the weights and the card, the run's specification included), atomically.
    public func save(to path: String) throws {
        try ModelFile.save(predictor.model, card: predictor.card, members: predictor.members, to: path)
    }
}
