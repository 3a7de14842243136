import DescentData
import DescentNN
import DescentOptim
import DescentTensor

/// The training loop: minibatch gradient descent over epochs, with validation,
/// early stopping and the divergence guard.
///
/// Each step computes the objective's loss and its gradients by backpropagation
/// (`valueWithGradient(at: model)`) and lets the optimizer move the trainable
/// parameters; the rate is the optimizer's schedule(step) × scale. After each
/// epoch the model is evaluated on the validation set (in evaluation mode, and at
/// the averaged point for schedule-free optimizers).
///
/// ```swift
/// let split = try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 1).standardized().split
/// let model = Sequential { Linear(4, 16, using: &generator); ReLU(); Linear(16, 3, using: &generator) }
/// var optimizer = try Optimizer(Adam(), learningRate: 0.01)
/// let history = try Trainer(configuration: TrainingConfiguration(epochs: 30, batchSize: 16))
///     .fit(model, optimizer: &optimizer, training: split.train, validation: split.validation)
/// history.last?.validationMetric   // ≈ 0.97 accuracy
/// ```
public struct Trainer: Sendable {
    public var configuration: TrainingConfiguration

    public init(configuration: TrainingConfiguration) {
        self.configuration = configuration
    }

    /// Trains `model` in place and returns one record per epoch.
    /// - Parameter observe: called for each event as it happens (progress display, logs, a tuner's
    ///   pruner). An error it throws ends training and propagates out of `fit` (a pruned trial, a stop request).
    public func fit<Model: Module, Rule: OptimizerRule>(
        _ model: Model, optimizer: inout Optimizer<Rule>, training: Dataset, validation: Dataset? = nil,
        observe: (TrainingEvent) throws -> Void = { _ in }
    ) throws -> [TrainingRecord] {
        try configuration.validate()
        let objective = Objective(for: training)
        guard training.count > 0 else {
            throw TrainingError.invalidConfiguration("the training set (\(training.source)) has no rows")
        }
        if let validation, validation.count == 0 {
            // Checked before the first epoch, so a run is not lost to a failing evaluation at its end.
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
        var history: [TrainingRecord] = []
        var smoothed = SmoothedLoss()
        // The lowest smoothed loss after the guard's grace period: the early smoothed values are
        // single noisy batches and would make a fair later loss look like a 4× blow-up.
        var guardMinimum: Double?
        // Good states to roll back to: the start and the ends of the last two epochs. A loss that is
        // already diverged at a restored state, before any update, shows that state was not good
        // (no rate can change it), so the next rollback goes one state further back.
        var goodStates = [GoodState(model: model.stateDictionary, optimizer: optimizer, smoothed: smoothed, guardMinimum: guardMinimum)]
        var restoredWithoutUpdate = false
        var rollbacks = 0
        var best: (loss: Double, epoch: Int, state: [String: Tensor])?
        var epoch = 0
        while epoch < configuration.epochs {
            let batches = try MiniBatches(dataset: training, batchSize: configuration.batchSize, shuffle: true,
                                          seed: configuration.seed &+ UInt64(epoch))
            model.train()
            // Listed once per epoch: finding parameters walks the module tree by reflection.
            let trainable = model.trainableParameters
            var lossTotal = 0.0, exampleCount = 0
            var divergence: (step: Int, loss: Double)?
            for batch in batches {
                let (loss, gradients) = try valueWithGradient(at: model, parameters: trainable) { model in
                    try objective.loss(model(batch.features), batch.targets)
                }
                let value = Double(loss.item)
                let minimum = guardMinimum
                let current = smoothed.add(value)
                if let guardSettings = configuration.divergenceGuard, smoothed.count > guardSettings.graceSteps, current.isFinite {
                    guardMinimum = Swift.min(guardMinimum ?? current, current)
                }
                if let guardSettings = configuration.divergenceGuard,
                   !value.isFinite || guardSettings.isDiverged(loss: current, best: minimum, observedSteps: smoothed.count) {
                    // Rolling back and slowing down cannot change a loss measured before the first update.
                    if !value.isFinite && optimizer.step == 0 { throw TrainingError.nonFiniteInitialLoss(loss: value) }
                    divergence = (optimizer.step, value)
                    break
                }
                let rate = optimizer.currentLearningRate
                do {
                    try step(trainable, &optimizer, gradients)
                } catch OptimizerError.nonFiniteGradient(let parameter) {
                    guard configuration.divergenceGuard != nil else { throw OptimizerError.nonFiniteGradient(parameter: parameter) }
                    divergence = (optimizer.step, .nan)
                    break
                }
                restoredWithoutUpdate = false
                try observe(.stepEnded(step: optimizer.step, loss: value, learningRate: rate))
                lossTotal += value * Double(batch.count)
                exampleCount += batch.count
            }
            if let divergence, let guardSettings = configuration.divergenceGuard {
                rollbacks += 1
                guard rollbacks <= guardSettings.maximumRollbacks else {
                    throw TrainingError.diverged(step: divergence.step, loss: divergence.loss, rollbacks: rollbacks - 1)
                }
                if restoredWithoutUpdate && goodStates.count > 1 { goodStates.removeLast() }
                let goodState = goodStates[goodStates.count - 1]
                try model.load(parameters: goodState.model)
                // The restored optimizer keeps the back-off scale reached so far, then backs off once more.
                let controllers = optimizer.controllers
                optimizer = goodState.optimizer
                optimizer.controllers = controllers
                smoothed = goodState.smoothed
                guardMinimum = goodState.guardMinimum
                let scale = backOff(&optimizer, by: guardSettings.backoff)
                restoredWithoutUpdate = true
                try observe(.rolledBack(step: divergence.step, loss: divergence.loss, rateScale: scale))
                continue  // the same epoch again, slower
            }
            let trainingLoss = lossTotal / Double(Swift.max(exampleCount, 1))
            var record = TrainingRecord(epoch: epoch + 1, step: optimizer.step, learningRate: optimizer.currentLearningRate,
                                        trainingLoss: trainingLoss)
            if let validation {
                let (loss, metric) = try evaluate(model, optimizer: &optimizer, on: validation, objective: objective)
                record.validationLoss = loss
                record.validationMetric = metric
            }
            history.append(record)
            try observe(.epochEnded(record))
            goodStates.append(GoodState(model: model.stateDictionary, optimizer: optimizer, smoothed: smoothed, guardMinimum: guardMinimum))
            if goodStates.count > 3 { goodStates.remove(at: 1) }   // keep the start and the last two epochs
            epoch += 1
            if let patience = configuration.earlyStoppingPatience, let loss = record.validationLoss {
                // A non-finite validation loss is never the best: a NaN best could never be beaten
                // (x < NaN is false), so training would stop and restore the NaN epoch's weights.
                if let current = best, !(loss.isFinite && loss < current.loss) {
                    if record.epoch - current.epoch >= patience {
                        try model.load(parameters: current.state)
                        try observe(.stoppedEarly(epoch: record.epoch, bestEpoch: current.epoch))
                        break
                    }
                } else if loss.isFinite {
                    best = (loss, record.epoch, model.stateDictionary)
                }
            }
        }
        return history
    }

    /// A state the divergence guard can roll back to.
    private struct GoodState<Rule: OptimizerRule> {
        var model: [String: Tensor]
        var optimizer: Optimizer<Rule>
        var smoothed: SmoothedLoss
        var guardMinimum: Double?
    }

    /// Multiplies the optimizer's `DivergenceBackoff` controller (added if absent) by `factor`; returns its new scale.
    private func backOff<Rule: OptimizerRule>(_ optimizer: inout Optimizer<Rule>, by factor: Double) -> Double {
        var backoff = DivergenceBackoff()
        let index = optimizer.controllers.firstIndex { $0 is DivergenceBackoff }
        if let index, let existing = optimizer.controllers[index] as? DivergenceBackoff { backoff = existing }
        backoff.backOff(by: factor)
        if let index { optimizer.controllers[index] = backoff } else { optimizer.controllers.append(backoff) }
        return backoff.scale
    }

    /// The objective's loss and metric on `dataset`, in evaluation mode.
    public func evaluate<Model: Module, Rule: OptimizerRule>(
        _ model: Model, optimizer: inout Optimizer<Rule>, on dataset: Dataset, objective: Objective
    ) throws -> (loss: Double, metric: Double) {
        model.eval()
        defer { model.train() }
        var parameters = takeParameters(of: model)
        optimizer.setEvaluationMode(true, parameters: &parameters)
        putParameters(parameters, into: model)
        defer {
            var parameters = takeParameters(of: model)
            optimizer.setEvaluationMode(false, parameters: &parameters)
            putParameters(parameters, into: model)
        }
        let outputs = try model(dataset.features)
        return (Double(try objective.loss(outputs, dataset.targets).item), try objective.metric(outputs, dataset.targets))
    }

    /// One optimizer step on the model's trainable parameters.
    func step<Model: Module, Rule: OptimizerRule>(_ model: Model, _ optimizer: inout Optimizer<Rule>,
                                                  _ gradients: [String: Tensor]) throws {
        try step(model.trainableParameters, &optimizer, gradients)
    }

    /// One optimizer step on the listed parameters (`model.trainableParameters`).
    func step<Rule: OptimizerRule>(_ trainable: [(name: String, parameter: Parameter)], _ optimizer: inout Optimizer<Rule>,
                                   _ gradients: [String: Tensor]) throws {
        var parameters = takeParameters(trainable)
        defer { putParameters(parameters, into: trainable) }
        _ = try optimizer.update(&parameters, along: gradients)
    }

    /// Moves the trainable tensors out of the model (leaving it the only owner of
    /// nothing) so the optimizer writes them in place without a copy.
    private func takeParameters(of model: some Module) -> [String: Tensor] {
        takeParameters(model.trainableParameters)
    }

    private func takeParameters(_ trainable: [(name: String, parameter: Parameter)]) -> [String: Tensor] {
        var parameters: [String: Tensor] = [:]
        parameters.reserveCapacity(trainable.count)
        for (name, parameter) in trainable {
            parameters[name] = parameter.value
            parameter.value = Tensor(0)
        }
        return parameters
    }

    private func putParameters(_ parameters: [String: Tensor], into model: some Module) {
        putParameters(parameters, into: model.trainableParameters)
    }

    private func putParameters(_ parameters: [String: Tensor], into trainable: [(name: String, parameter: Parameter)]) {
        for (name, parameter) in trainable {
            if let value = parameters[name] { parameter.value = value }
        }
    }
}
