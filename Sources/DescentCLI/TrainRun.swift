import ArgumentParser
import Descent
import Foundation

/// One `descent train` run once its settings are checked: the trainer, the model and data, the
/// schedule, where checkpoints go, and how events are shown. `fit` is generic over the optimizer's
/// rule, so the checkpoint it writes and resumes holds that rule's state.
struct TrainRun {
    let command: TrainCommand
    let trainer: Trainer
    let model: Sequential
    let split: DatasetSplit
    /// The base (peak) rate: `--learning-rate`, or the one `auto` chose.
    let learningRate: Double
    let schedule: AnySchedule
    let checkpointPath: String?
    let stopRequest: StopRequest
    let description: [String: String]
    /// The progress line, the `--log` and the `--tensorboard` files.
    let observers: TrainingObservers

    /// `fit` with the rule the user chose, built by `OptimizerChoice` (the one factory `train` and `range-test` share).
    func fit(_ choice: OptimizerChoice, momentum: Double, _ curves: inout TrainingCurves) throws -> TrainingOutcome {
        struct Fit: OptimizerRuleTask {
            let run: TrainRun, curves: Box<TrainingCurves>
            func run<Rule: OptimizerRule>(_ rule: Rule) throws -> TrainingOutcome { try run.fit(rule, &curves.value) }
        }
        let task = Fit(run: self, curves: Box(curves))
        defer { curves = task.curves.value }
        return try choice.withRule(task, momentum: momentum)
    }

    func fit<Rule: OptimizerRule>(_ rule: Rule, _ curves: inout TrainingCurves) throws -> TrainingOutcome {
        var optimizer = try Optimizer(rule, learningRate: learningRate, weightDecay: command.weightDecay,
                                      schedule: .schedule(schedule))
        if command.reduceOnPlateau {
            optimizer.controllers.append(try ReduceOnPlateau(factor: command.plateauFactor, patience: command.plateauPatience))
        }
        var checkpoint: TrainingCheckpoint<Rule>?
        if command.resume, let checkpointPath {
            let bytes: Data
            do {
                bytes = try Data(contentsOf: URL(fileURLWithPath: checkpointPath))
            } catch {
                throw TrainingError.invalidCheckpoint("\(checkpointPath) cannot be read: \(error.localizedDescription)")
            }
            checkpoint = try TrainingCheckpoint<Rule>.decode(bytes, source: checkpointPath)
            // The diagnosis and the report see the whole run, not only the part after the resume.
            curves.epochs = checkpoint?.progress.history ?? []
            if !command.json { print("Resuming from \(checkpointPath) after epoch \(checkpoint?.progress.epoch ?? 0)") }
        }
        try observers.start(resumedFromEpoch: checkpoint?.progress.epoch ?? 0, resumedAtStep: checkpoint?.optimizer.step ?? 0,
                            rollbacks: checkpoint?.progress.guardState.rollbacks ?? 0)
        let save: ((TrainingCheckpoint<Rule>) throws -> Void)? = checkpointPath.map { path in
            { checkpoint in try AtomicFile.write([UInt8](try checkpoint.encoded()), to: path) }
        }
        var recovering: Double?
        let (json, epochs, metricName) = (command.json, command.epochs, Objective(for: split.train).metricName)
        var recorded = curves
        defer { curves = recorded }
        return try trainer.run(model, optimizer: &optimizer, training: split.train, validation: split.validation,
                               resumingFrom: checkpoint, description: description, stopRequest: stopRequest,
                               saveCheckpoint: save) { [observers] event in
            try observers.record(event)
            recorded.record(event)
            guard !json else { return }
            switch event {
            case let .epochEnded(record):
                if let scale = recovering {
                    print(String(format: "recovered: training goes on at rate scale %.4g (learning rate %.3e)", scale, record.learningRate))
                    recovering = nil
                }
                // %ld: Swift's Int is 64-bit, and %d would print only its low 32 bits.
                print(String(format: "epoch %3ld/%ld  lr %.3e  loss %.4f  validation loss %.4f  %@ %.4f",
                             record.epoch, epochs, record.learningRate, record.trainingLoss,
                             record.validationLoss ?? .nan, metricName, record.validationMetric ?? .nan))
            case let .rolledBack(step, loss, scale):
                recovering = scale
                // Rounded: a blown-up loss is 3.196e27, not 3.1962348793820843e+27.
                print("step \(step): loss \(ChartNumberFormat.value(loss)) diverged; rolled back to a good state, "
                      + "rate scale now \(ChartNumberFormat.value(scale))")
            case let .stoppedEarly(epoch, bestEpoch):
                print("stopped early after epoch \(epoch): no better validation loss since epoch \(bestEpoch) (weights restored)")
            case .stepEnded:
                break
            }
        }
    }
}
