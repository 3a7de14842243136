import DescentNN
import DescentOptim
import DescentTensor

/// The trainer's bookkeeping between steps: where the run stands (`TrainingProgress`), the states
/// the divergence guard can roll back to, and early stopping's best weights. `Trainer.run` drives
/// it; it turns into a `TrainingCheckpoint` and back.
struct TrainingLoop<Rule: OptimizerRule> {
    /// A state the guard can roll back to.
    struct RollbackPoint {
        var model: [String: Tensor]
        var optimizer: OptimizerState<Rule.State, Rule.SharedState>
        var guardState: DivergenceGuardState
    }

    var progress = TrainingProgress()
    /// The start and the ends of the last two epochs. A loss that is already diverged at a restored
    /// state, before any update, shows that state was not good (no rate can change it), so the next
    /// rollback goes one state further back.
    var points: [RollbackPoint]
    var bestWeights: [String: Tensor]?

    /// - Parameter keepsBest: track the best epoch's weights even without a patience (a patience that never runs out).
    init(model: some Module, optimizer: Optimizer<Rule>, patience: Int?, keepsBest: Bool = false, referenceLoss: Double?) {
        // "Never runs out": the largest patience a checkpoint holds (TrainingCheckpoint.maximumCount), more epochs than a run has.
        progress.earlyStopping = (patience ?? (keepsBest ? TrainingCheckpoint<Rule>.maximumCount : nil)).map(EarlyStopping.init)
        progress.guardState.reference = referenceLoss
        points = [RollbackPoint(model: model.stateDictionary, optimizer: optimizer.savedState(), guardState: progress.guardState)]
    }

    /// Restores the last good state after a divergence and backs the rate off; returns the new back-off scale.
    /// - Throws: `TrainingError.diverged` when the scale would fall below the guard's floor or the rollbacks
    ///   exceed its bound.
    mutating func rollBack(model: some Module, optimizer: inout Optimizer<Rule>, settings: DivergenceGuard,
                           at divergence: (step: Int, loss: Double)) throws -> Double {
        var guardState = progress.guardState
        guardState.consecutive += 1
        let factor = settings.backoff(consecutive: guardState.consecutive)
        let current = optimizer.controllers.compactMap { $0 as? DivergenceBackoff }.first ?? DivergenceBackoff()
        guard current.scale * factor >= settings.minimumScale, guardState.rollbacks < settings.maximumRollbacks else {
            throw TrainingError.diverged(step: divergence.step, loss: divergence.loss, rollbacks: guardState.rollbacks)
        }
        guardState.rollbacks += 1
        // A state that diverges again before any update, or again and again at ever lower rates (a third
        // time in one epoch), was not good: go one state further back.
        if (guardState.restoredWithoutUpdate || guardState.consecutive >= 3) && points.count > 1 { points.removeLast() }
        let point = points[points.count - 1]
        try model.load(parameters: point.model)
        // The optimizer goes back to the point's state; the controllers keep what they reached
        // (the back-off scale so far), then the guard backs off once more.
        try model.withTrainableTensorsTaken { parameters in
            try optimizer.restore(point.optimizer, matching: parameters, allowingMissing: true)
        }
        progress.guardState = guardState.restoring(point.guardState)
        progress.batchIndex = 0
        progress.lossTotal = 0
        progress.exampleCount = 0
        var backoff = current
        backoff.backOff(by: factor)
        if let index = optimizer.controllers.firstIndex(where: { $0 is DivergenceBackoff }) {
            optimizer.controllers[index] = backoff
        } else {
            optimizer.controllers.append(backoff)
        }
        return backoff.scale
    }

    /// Records a completed epoch: history, a new rollback point (only if the guard finds the state
    /// healthy: a loss that blew up within the grace period must not become a state to go back to),
    /// early stopping's verdict.
    mutating func endEpoch(_ record: TrainingRecord, model: some Module, optimizer: Optimizer<Rule>,
                           guardSettings: DivergenceGuard?) -> EarlyStopping.Decision {
        progress.history.append(record)
        progress.epoch += 1
        progress.batchIndex = 0
        progress.lossTotal = 0
        progress.exampleCount = 0
        progress.guardState.consecutive = 0
        if let guardSettings, progress.guardState.isHealthy(settings: guardSettings, validationLoss: record.validationLoss) {
            points.append(RollbackPoint(model: model.stateDictionary, optimizer: optimizer.savedState(), guardState: progress.guardState))
            if points.count > 3 { points.remove(at: 1) }   // keep the start and the last two epochs
        }
        guard var stopping = progress.earlyStopping, let loss = record.validationLoss else { return .waiting }
        let decision = stopping.observe(validationLoss: loss, epoch: record.epoch)
        progress.earlyStopping = stopping
        if decision == .improved { bestWeights = model.stateDictionary }
        return decision
    }

    /// The checkpoint of where the run stands.
    func checkpoint(model: some Module, optimizer: Optimizer<Rule>, description: [String: String]) throws -> TrainingCheckpoint<Rule> {
        TrainingCheckpoint(
            formatVersion: TrainingCheckpoint<Rule>.currentFormatVersion, run: description,
            model: SavedTensors(model.stateDictionary), optimizer: optimizer.savedState(),
            controllers: try optimizer.controllers.map(SavedController.init),
            schedule: optimizer.schedule?.schedule?.description, progress: progress,
            rollbackPoints: points.map { SavedRollbackPoint(model: SavedTensors($0.model), optimizer: $0.optimizer, guardState: $0.guardState) },
            bestWeights: bestWeights.map(SavedTensors.init))
    }

    /// Puts the model, the optimizer and this loop where the checkpoint says.
    /// - Throws: `TrainingError.invalidCheckpoint` naming the first difference in the run's description,
    ///   the model's or optimizer's mismatch (tensor names and shapes). Nothing is changed when it throws.
    mutating func resume(from checkpoint: TrainingCheckpoint<Rule>, model: some Module, optimizer: inout Optimizer<Rule>,
                         description: [String: String], batchesPerEpoch: Int, batchSize: Int) throws {
        let cut = TrainingCheckpoint<Rule>.cut
        for key in Set(description.keys).union(checkpoint.run.keys).sorted() where description[key] != checkpoint.run[key] {
            let (there, here) = TrainingCheckpoint<Rule>.aroundDifference(checkpoint.run[key] ?? "not set", description[key] ?? "not set")
            throw TrainingError.invalidCheckpoint("it belongs to another run: \(cut(key)) is \(there) there, \(here) here")
        }
        let schedule = optimizer.schedule?.schedule?.description
        guard checkpoint.schedule == schedule else {
            throw TrainingError.invalidCheckpoint(
                "its schedule is \(cut(checkpoint.schedule ?? "none")), this run's \(cut(schedule ?? "none"))")
        }
        // The position within the epoch must be one this data's minibatches have.
        try checkpoint.checkRanges(source: "its progress")
        guard checkpoint.progress.batchIndex <= batchesPerEpoch else {
            throw TrainingError.invalidCheckpoint("its progress.batchIndex is \(checkpoint.progress.batchIndex); "
                + "an epoch of this data has \(batchesPerEpoch) minibatches")
        }
        let (most, overflow) = checkpoint.progress.batchIndex.multipliedReportingOverflow(by: batchSize)
        guard overflow || checkpoint.progress.exampleCount <= most else {
            throw TrainingError.invalidCheckpoint("its progress.exampleCount is \(checkpoint.progress.exampleCount); "
                + "\(checkpoint.progress.batchIndex) minibatches of \(batchSize) hold at most \(most)")
        }
        let tensors = try checkpoint.model.tensors()
        let current = model.stateDictionary
        for (name, tensor) in current.sorted(by: { $0.key < $1.key }) {
            guard let saved = tensors[name] else { throw TrainingError.invalidCheckpoint("it has no tensor \(name)") }
            guard saved.shape == tensor.shape else {
                throw TrainingError.invalidCheckpoint("its tensor \(name) has shape \(saved.shape), the model's \(tensor.shape)")
            }
        }
        if let extra = tensors.keys.sorted().first(where: { current[$0] == nil }) {
            throw TrainingError.invalidCheckpoint("it has a tensor \(extra) that the model does not")
        }
        let restoredPoints = try checkpoint.rollbackPoints.map {
            RollbackPoint(model: try $0.model.tensors(), optimizer: $0.optimizer, guardState: $0.guardState)
        }
        let best = try checkpoint.bestWeights?.tensors()
        var restored = optimizer
        do {
            try model.withTrainableTensorsTaken { parameters in
                try restored.restore(checkpoint.optimizer, matching: parameters, allowingMissing: true)
            }
        } catch {
            throw TrainingError.invalidCheckpoint("its optimizer state does not fit: \(error)")
        }
        restored.controllers = checkpoint.controllers.map(\.controller)
        try model.load(parameters: tensors)
        optimizer = restored
        progress = checkpoint.progress
        points = restoredPoints.isEmpty ? points : restoredPoints
        bestWeights = best
    }
}
