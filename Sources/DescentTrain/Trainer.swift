import DescentData
import DescentDistributed
import DescentNN
import DescentOptim
import DescentTensor

/// The training loop: minibatch gradient descent over epochs, with validation, rate
/// controllers, early stopping, the divergence guard, checkpoints and exact resume.
///
/// Each step computes the objective's loss and its gradients by backpropagation
/// (`valueWithGradient(at: model)`) and lets the optimizer move the trainable parameters; the
/// rate is the optimizer's schedule(step) × its controllers' scale. After each epoch the model
/// is evaluated on the validation set (in evaluation mode, and at the averaged point for
/// schedule-free optimizers), and every controller observes the validation loss (the training
/// loss without validation) — so `ReduceOnPlateau` composes with any schedule.
///
/// ```swift
/// let split = try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 1).standardized().split
/// let model = Sequential { Linear(4, 16, using: &generator); ReLU(); Linear(16, 3, using: &generator) }
/// var optimizer = try Optimizer(Adam(), learningRate: 0.01)
/// let history = try Trainer(configuration: TrainingConfiguration(epochs: 30, batchSize: 16))
///     .fit(model, optimizer: &optimizer, training: split.train, validation: split.validation)
/// history.last?.validationMetric   // ≈ 0.97 accuracy
/// ```
///
/// **Data-parallel training.** With a `communicator` of N processes (`MPICommunicator` under
/// `mpirun -np N`), `configuration.batchSize` is each process's batch B and a step takes a global
/// batch of N·B rows of the epoch's seeded order, each process its shard (`DataParallelStep`);
/// the gradients (each weighted by its process's share of the global batch, class weights included),
/// the loss and the stop requests are all-reduced, so every process
/// applies the same averaged gradient and the guard, the controllers and early stopping decide on
/// the same global losses at the same step. Rank 0's initial weights and reference loss are
/// broadcast; each process evaluates its shard of the validation set and the sums are all-reduced
/// (`evaluateInShards`; rank 0 alone for a model with buffers, its numbers broadcast). Each
/// process must be given the same checkpoint to resume from (the CLI broadcasts rank 0's).
/// Batch-norm statistics stay per process. Up to float rounding in the sums, N processes with
/// batch B follow one process with batch N·B step for step.
public struct Trainer: Sendable {
    public var configuration: TrainingConfiguration
    /// The processes of a data-parallel job (one by default).
    public var communicator: any Communicator
    /// With N processes, a barrier before each step's all-reduce, so that `TrainingOutcome.stepTimes` tells the wait
    /// for the slowest process (`wait`) from the transfer (`allReduce`); it costs one more collective per step.
    public var separatesWaitFromTransfer = false

    public init(configuration: TrainingConfiguration, communicator: any Communicator = SingleProcessCommunicator()) {
        self.configuration = configuration
        self.communicator = communicator
    }

    /// Trains `model` in place and returns one record per epoch (see `run` for the whole outcome).
    /// - Parameter observe: called for each event as it happens (progress display, logs, a tuner's
    ///   pruner). An error it throws ends training and propagates out of `fit` (a pruned trial, a stop request).
    public func fit<Model: Module, Rule: OptimizerRule>(
        _ model: Model, optimizer: inout Optimizer<Rule>, training: Dataset, validation: Dataset? = nil,
        observe: (TrainingEvent) throws -> Void = { _ in }
    ) throws -> [TrainingRecord] {
        try run(model, optimizer: &optimizer, training: training, validation: validation, observe: observe).history
    }

    /// Trains `model` in place.
    ///
    /// - Parameters:
    ///   - checkpoint: where the run resumes from (nil: a fresh start). Its `run` description must equal
    ///     `description`; the model's tensors and the optimizer's state must match by name and shape.
    ///   - description: what this run is (data shape, model, optimizer, schedule, seed ...), stored in
    ///     every checkpoint written and compared with a checkpoint resumed from.
    ///   - specification: the run as a value, stored in every checkpoint written (so a resume can compare it field by field).
    ///   - stopRequest: checked before each step; when set, the run writes a checkpoint (if `saveCheckpoint`
    ///     is given) and returns with status `.interrupted`.
    ///   - saveCheckpoint: called with a checkpoint at each epoch's end and on interruption.
    ///   - observe: called for each event as it happens; an error it throws ends training.
    /// - Throws: `TrainingError.diverged` when the guard backed the rate off to its floor and the loss still
    ///   blew up; `.invalidCheckpoint` for a checkpoint of another run; the errors of the model, optimizer and data.
    public func run<Model: Module, Rule: OptimizerRule>(
        _ model: Model, optimizer: inout Optimizer<Rule>, training: Dataset, validation: Dataset? = nil,
        resumingFrom checkpoint: TrainingCheckpoint<Rule>? = nil, description: [String: String] = [:],
        specification: RunSpecification? = nil, stopRequest: StopRequest? = nil, saveCheckpoint: ((TrainingCheckpoint<Rule>) throws -> Void)? = nil,
        observe: (TrainingEvent) throws -> Void = { _ in }
    ) throws -> TrainingOutcome {
        try configuration.validate()
        let objective = try checkInputs(training: training, validation: validation)
        let parallel = communicator.size > 1
        if parallel && checkpoint == nil {
            // Every process starts from rank 0's weights, whatever each drew or loaded.
            try model.load(parameters: try communicator.broadcastTensors(model.stateDictionary))
        }
        var reference = checkpoint == nil && configuration.divergenceGuard != nil
            ? try initialLoss(of: model, on: training, objective: objective) : nil
        if parallel, let measured = reference {
            var value = [measured]
            try communicator.broadcast(&value, from: 0)
            reference = value[0]
        }
        var loop = TrainingLoop(model: model, optimizer: optimizer, patience: configuration.earlyStoppingPatience,
                                keepsBest: configuration.keepsBestWeights, referenceLoss: reference)
        if let checkpoint {
            // The checkpoint counts global batches (each process's batch × the processes).
            let (product, overflow) = configuration.batchSize.multipliedReportingOverflow(by: communicator.size)
            let globalBatch = Swift.max(overflow ? Int.max : product, 1)
            let batches = training.count / globalBatch + (training.count % globalBatch == 0 ? 0 : 1)
            try loop.resume(from: checkpoint, model: model, optimizer: &optimizer, description: description,
                            batchesPerEpoch: batches, batchSize: globalBatch)
        }
        let resumedFromEpoch = loop.progress.epoch
        var sharpness = configuration.sharpnessTracking.map { SharpnessTracker(settings: $0, training: training) }
        func checkpointNow() throws {
            guard let saveCheckpoint else { return }
            try saveCheckpoint(try loop.checkpoint(model: model, optimizer: optimizer, description: description,
                                                   specification: specification))
        }
        var dataParallel: DataParallelStep?
        let validatesInShards = validation != nil && shardsEvaluation(of: model)
        var stepTimes = StepTimes()
        func outcome(_ status: TrainingStatus) -> TrainingOutcome {
            let kept = status == .stoppedEarly || (status == .completed && configuration.keepsBestWeights)
                ? loop.progress.earlyStopping?.bestEpoch : nil
            var result = TrainingOutcome(history: loop.progress.history, status: status, rollbacks: loop.progress.guardState.rollbacks,
                                         resumedFromEpoch: resumedFromEpoch, rateScale: optimizer.controllers.reduce(1) { $0 * $1.scale },
                                         keptEpoch: kept)
            result.communicationSeconds = stepTimes.communication
            result.stepTimes = stepTimes
            result.gradientReduction = dataParallel?.reduction
            result.noiseScaleTrack = loop.progress.noiseScaleTrack?.finished(epoch: loop.progress.epoch, step: optimizer.step) ?? []
            return result
        }
        // A checkpoint of a run that early stopping had already ended (a race's candidate): nothing more to train.
        if let stopping = loop.progress.earlyStopping, let best = stopping.bestEpoch, loop.progress.batchIndex == 0,
           loop.progress.epoch - best >= stopping.patience {
            if let weights = loop.bestWeights { try model.load(parameters: weights) }
            return outcome(.stoppedEarly)
        }

        // A run that early stopping ended is the same run when resumed: nothing more happens.
        if loop.progress.stoppedEarly == true { return outcome(.stoppedEarly) }
        let classWeights = try configuration.classWeights.map { weights -> Tensor in
            guard weights.count == objective.outputSize, weights.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw TrainingError.invalidConfiguration("classWeights: \(weights.count) positive weights needed for \(objective.outputSize) outputs")
            }
            return Tensor(weights)
        }
        while loop.progress.epoch < configuration.epochs {
            let epochStart = monotonicNanoseconds()
            let epoch = loop.progress.epoch
            // The global batch: each process's batch × the processes (one process: the batch itself).
            let (product, overflow) = configuration.batchSize.multipliedReportingOverflow(by: communicator.size)
            let globalBatch = overflow ? Int.max : product
            let batches = try MiniBatches(dataset: training, batchSize: globalBatch, shuffle: true,
                                          seed: configuration.seed &+ UInt64(epoch))
            model.train()
            let trainable = model.trainableParameters   // once per epoch: discovery walks the tree by reflection
            if parallel, dataParallel == nil {
                dataParallel = try DataParallelStep(communicator: communicator, trainable: trainable, separatesWait: separatesWaitFromTransfer)
            }
            var divergence: (step: Int, loss: Double)?
            let stepsStart = monotonicNanoseconds(), phasesBefore = stepTimes.total
            stepTimes.epochWork += seconds(from: epochStart, to: stepsStart)
            var stepsEnd = stepsStart
            defer {
                // The epoch's work after its last step: from here to the end of this pass of the loop.
                let end = monotonicNanoseconds()
                stepTimes.epochWork += seconds(from: stepsEnd, to: end)
            }
            for index in stride(from: loop.progress.batchIndex, to: batches.count, by: 1) {
                let value: Double, gradients: [String: Tensor], exampleCount: Int
                stepTimes.steps += 1
                if let step = dataParallel {
                    // The stop request travels with the step's sums, so every process stops at the same step.
                    let start = index * globalBatch   // < training.count: index < batches.count
                    let rows = batches.order[start..<(start + Swift.min(globalBatch, training.count - start))]
                    let result = try step.run(model: model, trainable: trainable, objective: objective, classWeights: classWeights,
                                              training: training, rows: rows, stopRequested: stopRequest?.isRequested == true,
                                              times: &stepTimes)
                    if result.stop {
                        try checkpointNow()
                        return outcome(.interrupted)
                    }
                    (value, gradients, exampleCount) = (result.loss, result.gradients, result.globalCount)
                    if result.globalCount == globalBatch,
                       configuration.noiseScaleInterval.map({ optimizer.step % $0 == 0 }) ?? true {
                        loop.progress.noiseScaleTrack = loop.progress.noiseScaleTrack ?? NoiseScaleTrack()
                        loop.progress.noiseScaleTrack?.add(smallBatch: configuration.batchSize, small: result.meanLocalNormSquared,
                                                           bigBatch: globalBatch, big: result.globalNormSquared)
                    }
                } else {
                    if stopRequest?.isRequested == true {
                        try checkpointNow()
                        return outcome(.interrupted)
                    }
                    var clock = monotonicNanoseconds()
                    let batch = batches.batch(at: index)
                    let now = monotonicNanoseconds()
                    stepTimes.batch += seconds(from: clock, to: now)
                    clock = now
                    var forwardEnd = clock
                    let (loss, localGradients) = try valueWithGradient(at: model, parameters: trainable) { model in
                        defer { forwardEnd = monotonicNanoseconds() }
                        return try objective.loss(model(batch.features), batch.targets, classWeights: classWeights)
                    }
                    stepTimes.forward += seconds(from: clock, to: forwardEnd)
                    stepTimes.backward += seconds(from: forwardEnd, to: monotonicNanoseconds())
                    (value, gradients, exampleCount) = (Double(loss.item), localGradients, batch.count)
                    if let interval = configuration.noiseScaleInterval, optimizer.step % interval == 0,
                       batch.count == configuration.batchSize, batch.count >= 2 {
                        // The pair of norms: this batch's gradient and that of its first half (one more backward pass).
                        let half = training.subset(Array(batch.indices.prefix(batch.count / 2)))
                        let (_, halfGradients) = try valueWithGradient(at: model, parameters: trainable) { model in
                            try objective.loss(model(half.features), half.targets)
                        }
                        loop.progress.noiseScaleTrack = loop.progress.noiseScaleTrack ?? NoiseScaleTrack()
                        loop.progress.noiseScaleTrack?.add(smallBatch: half.count, small: squaredNorm(halfGradients),
                                                           bigBatch: batch.count, big: squaredNorm(localGradients))
                    }
                }
                if let settings = configuration.divergenceGuard, loop.progress.guardState.observe(value, settings: settings) {
                    // Rolling back and slowing down cannot change a loss measured before the first update.
                    if !value.isFinite && optimizer.step == 0 { throw TrainingError.nonFiniteInitialLoss(loss: value) }
                    divergence = (optimizer.step, value)
                    break
                }
                let rate = optimizer.currentLearningRate
                do {
                    let clock = monotonicNanoseconds()
                    try optimizer.update(trainable, along: gradients)
                    stepTimes.optimizer += seconds(from: clock, to: monotonicNanoseconds())
                } catch OptimizerError.nonFiniteGradient {
                    // Without a guard nothing can be rolled back: the run ends as diverged, with its history.
                    guard configuration.divergenceGuard != nil else {
                        throw TrainingError.diverged(step: optimizer.step, loss: value, rollbacks: 0)
                    }
                    divergence = (optimizer.step, .nan)
                    break
                }
                loop.progress.guardState.restoredWithoutUpdate = false
                loop.progress.batchIndex = index + 1
                loop.progress.lossTotal += value * Double(exampleCount)
                loop.progress.exampleCount += exampleCount
                let gradientNorm = configuration.measuresGradientNorm ? globalGradientNorm(gradients) : nil
                try observe(.stepEnded(step: optimizer.step, loss: value, learningRate: rate, gradientNorm: gradientNorm))
                if var tracker = sharpness, tracker.isDue(afterStep: optimizer.step) {
                    let measurement: SharpnessMeasurement
                    do {
                        // A stop part-way through a measurement (one process: under mpirun the step carries the stop).
                        measurement = try tracker.measure(model, optimizer: optimizer, stopRequest: parallel ? nil : stopRequest)
                    } catch is StopRequest.Stopped {
                        model.train()
                        try checkpointNow()
                        return outcome(.interrupted)
                    }
                    sharpness = tracker
                    try observe(.sharpnessMeasured(measurement))
                    model.train()
                }
            }
            stepsEnd = monotonicNanoseconds()
            stepTimes.betweenPhases += seconds(from: stepsStart, to: stepsEnd) - (stepTimes.total - phasesBefore)
            if let divergence, let settings = configuration.divergenceGuard {
                let scale = try loop.rollBack(model: model, optimizer: &optimizer, settings: settings, at: divergence)
                try observe(.rolledBack(step: divergence.step, loss: divergence.loss, rateScale: scale))
                continue  // the same epoch again, slower
            }
            loop.progress.noiseScaleTrack?.endEpoch(epoch + 1, step: optimizer.step)
            var record = TrainingRecord(epoch: epoch + 1, step: optimizer.step, learningRate: optimizer.currentLearningRate,
                                        trainingLoss: loop.progress.lossTotal / Double(Swift.max(loop.progress.exampleCount, 1)))
            if let validation, validatesInShards {
                // Each process evaluates its shard; the sums are all-reduced and rank 0's numbers broadcast.
                let (loss, metric) = try evaluateInShards(model, optimizer: &optimizer, on: validation, objective: objective)
                record.validationLoss = loss
                record.validationMetric = metric
            } else if let validation {
                // Only rank 0 evaluates (a model with per-process buffers); every process takes its numbers, so all decide alike.
                var numbers = [Double.nan, .nan]
                if communicator.isPrimary {
                    let (loss, metric) = try evaluate(model, optimizer: &optimizer, on: validation, objective: objective)
                    numbers = [loss, metric]
                }
                try communicator.broadcast(&numbers, from: 0)
                record.validationLoss = numbers[0]
                record.validationMetric = numbers[1]
            }
            // Every controller sees the epoch's validation loss (the training loss without validation);
            // the record then holds the rate the next step will use, a plateau's reduction included.
            let metric = record.validationLoss ?? record.trainingLoss
            let rateInForce = optimizer.currentLearningRate
            for index in optimizer.controllers.indices {
                optimizer.controllers[index].observe(metric: metric, learningRate: rateInForce)
            }
            record.learningRate = optimizer.currentLearningRate
            let decision = loop.endEpoch(record, model: model, optimizer: optimizer, guardSettings: configuration.divergenceGuard)
            try observe(.epochEnded(record))
            if case let .stop(bestEpoch) = decision {
                if let best = loop.bestWeights { try model.load(parameters: best) }
                loop.progress.stoppedEarly = true
                try observe(.stoppedEarly(epoch: record.epoch, bestEpoch: bestEpoch))
                try checkpointNow()
                return outcome(.stoppedEarly)
            }
            if configuration.checkpointsEachEpoch || loop.progress.epoch >= configuration.epochs { try checkpointNow() }
        }
        // Keep the best epoch: the model ends with the weights of the lowest validation loss.
        if configuration.keepsBestWeights, let best = loop.bestWeights { try model.load(parameters: best) }
        return outcome(.completed)
    }

    /// Checks the data before the first epoch, so a run is not lost to a failing evaluation at its end.
    private func checkInputs(training: Dataset, validation: Dataset?) throws -> Objective {
        let objective = Objective(for: training)
        guard training.count > 0 else {
            throw TrainingError.invalidConfiguration("the training set (\(training.source)) has no rows")
        }
        if let validation, validation.count == 0 {
            throw TrainingError.invalidConfiguration(
                "the validation set (\(validation.source)) has no rows; pass nil to train without validation")
        }
        if let validation, validation.featureCount != training.featureCount {
            throw TrainingError.invalidConfiguration(
                "the validation set has \(validation.featureCount) features, the training set \(training.featureCount)")
        }
        if let validation, Objective(for: validation) != objective {
            throw TrainingError.invalidConfiguration("the validation set's targets do not match the training set's")
        }
        return objective
    }

    /// The loss of the model as it starts, on the training set (evenly spaced rows, at most 8,192, so a huge
    /// set costs no more than a few minibatches), in evaluation mode: the divergence guard's reference.
    /// - Throws: `TrainingError.nonFiniteInitialLoss` when it is not finite: no rate can help.
    func initialLoss(of model: some Module, on training: Dataset, objective: Objective) throws -> Double {
        let limit = 8_192
        let rows = training.count <= limit ? training
            : training.subset(Array(stride(from: 0, to: training.count, by: (training.count + limit - 1) / limit)))
        model.eval()
        defer { model.train() }
        let loss = Double(try objective.loss(try outputsInChunks(of: model, rows.features), rows.targets).item)
        guard loss.isFinite else { throw TrainingError.nonFiniteInitialLoss(loss: loss) }
        return loss
    }

    /// The objective's loss and metric on `dataset`, in evaluation mode, computed `evaluationRowsAtATime`
    /// rows at a time (a large validation set costs the memory of one chunk's activations).
    public func evaluate<Model: Module, Rule: OptimizerRule>(
        _ model: Model, optimizer: inout Optimizer<Rule>, on dataset: Dataset, objective: Objective
    ) throws -> (loss: Double, metric: Double) {
        let outputs = try evaluationOutputs(of: model, optimizer: &optimizer, features: dataset.features)
        return (Double(try objective.loss(outputs, dataset.targets).item), try objective.metric(outputs, dataset.targets))
    }

    /// The model's outputs for `features` in evaluation mode (the model's `eval()`, and the optimizer's evaluation
    /// weights, e.g. Schedule-Free's averaged point), `evaluationRowsAtATime` rows at a time; training mode after.
    func evaluationOutputs<Model: Module, Rule: OptimizerRule>(
        of model: Model, optimizer: inout Optimizer<Rule>, features: Tensor
    ) throws -> Tensor {
        model.eval()
        defer { model.train() }
        model.withTrainableTensorsTaken { parameters in optimizer.setEvaluationMode(true, parameters: &parameters) }
        defer {
            model.withTrainableTensorsTaken { parameters in optimizer.setEvaluationMode(false, parameters: &parameters) }
        }
        return try outputsInChunks(of: model, features)
    }
}

/// Σ over tensors of Σ g², in Double.
func squaredNorm(_ gradients: [String: Tensor]) -> Double {
    gradients.keys.sorted().reduce(0) { total, name in
        total + (gradients[name]?.withUnsafeBufferPointer { $0.reduce(0.0) { $0 + Double($1) * Double($1) } } ?? 0)
    }
}
