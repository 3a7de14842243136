import Descent
import Foundation

/// Writes the scalars of a training run to a TensorBoard event file (`descent train --tensorboard DIR`).
///
/// Every scalar's step is the optimizer step (the number of updates so far), so the per-step and
/// per-epoch charts share their x axis:
///
/// | tag | when | value |
/// | --- | --- | --- |
/// | `training/loss` | every step | the minibatch loss before the step |
/// | `training/learning_rate` | every step | the rate the step used |
/// | `epoch/training_loss` | every epoch | the epoch's mean training loss |
/// | `epoch/validation_loss`, `epoch/validation_accuracy` (or `_r2`) | every epoch, with validation | |
/// | `epoch/learning_rate` | every epoch | the rate in force at the epoch's end |
/// | `guard/rate_scale` | each rollback | the divergence guard's rate scale after backing off |
///
/// The file is flushed at each epoch's end. A resumed run (`resumedAtStep`) starts its file with
/// a `SessionLog` START, so TensorBoard drops what a killed run logged past the checkpoint.
/// (The writer, `TensorBoardWriter`, lives in DescentReport and knows nothing of training; this
/// adapter from `TrainingEvent`s to tagged scalars is the CLI's.)
final class TensorBoardTrainingObserver {
    let writer: TensorBoardWriter
    private let metricName: String

    init(directory: String, metricName: String, resumedAtStep: Int? = nil) throws {
        writer = try TensorBoardWriter(directory: directory)
        self.metricName = metricName
        if let resumedAtStep { try writer.restart(at: resumedAtStep + 1) }
    }

    func record(_ event: TrainingEvent) throws {
        switch event {
        case let .stepEnded(step, loss, learningRate):
            try writer.add([.init(tag: "training/loss", value: Float(loss)),
                            .init(tag: "training/learning_rate", value: Float(learningRate))], step: step)
        case let .epochEnded(record):
            var scalars: [TensorBoardEvent.Scalar] = [
                .init(tag: "epoch/training_loss", value: Float(record.trainingLoss)),
                .init(tag: "epoch/learning_rate", value: Float(record.learningRate)),
            ]
            if let loss = record.validationLoss { scalars.append(.init(tag: "epoch/validation_loss", value: Float(loss))) }
            if let metric = record.validationMetric {
                scalars.append(.init(tag: "epoch/validation_\(metricName)", value: Float(metric)))
            }
            try writer.add(scalars, step: record.step)
            try writer.flush()
        case let .rolledBack(step, _, rateScale):
            try writer.add("guard/rate_scale", rateScale, step: step)
        case .stoppedEarly:
            try writer.flush()
        }
    }

    func finish() throws { try writer.finish() }
}
