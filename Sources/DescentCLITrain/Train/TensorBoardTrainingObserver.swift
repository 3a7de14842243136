import DescentReport
import DescentTrain
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
/// | `training/gradient_norm` | every step | the global L2 norm of the step's gradients, before clipping |
/// | `epoch/training_loss` | every epoch | the epoch's mean training loss |
/// | `epoch/validation_loss`, `epoch/validation_accuracy` (or `_r2`) | every epoch, with validation | |
/// | `epoch/learning_rate` | every epoch | the rate in force at the epoch's end |
/// | `guard/rate_scale` | the first step after each rollback | the divergence guard's rate scale after backing off |
/// | `sharpness/lambda_max`, `sharpness/edge` | every N steps with `--track-sharpness N` | λmax of the training loss's Hessian and 2(1 + β)/η(t) |
/// | `sharpness/preconditioned_lambda_max`, `sharpness/preconditioned_edge` | the same, Adam and AdamW | λmax(P⁻¹H) and (2 + 2β₁)/(η(t)(1 − β₁)) |
///
/// The file is flushed at each epoch's end. When the divergence guard rolls back, the steps it
/// went back over are replaced: the next step's event is preceded by a `SessionLog` START at that
/// step, so TensorBoard drops what it read from there on (as after a restart) and the charts show
/// the run as it went on, with `guard/rate_scale` at the step it restarted from; the JSON Lines
/// log keeps every step. A resumed run (`resumedAtStep`) starts its file the same way.
/// (The writer, `TensorBoardWriter`, lives in DescentReport and knows nothing of training; this
/// adapter from `TrainingEvent`s to tagged scalars is the CLI's.)
final class TensorBoardTrainingObserver {
    let writer: TensorBoardWriter
    private let metricName: String
    private var lastStep = 0
    private var pendingScale: Double?

    init(directory: String, metricName: String, resumedAtStep: Int? = nil) throws {
        writer = try TensorBoardWriter(directory: directory)
        self.metricName = metricName
        if let resumedAtStep {
            try writer.restart(at: resumedAtStep + 1)
            lastStep = resumedAtStep
        }
    }

    func record(_ event: TrainingEvent) throws {
        switch event {
        case let .stepEnded(step, loss, learningRate, gradientNorm):
            if step <= lastStep { try writer.restart(at: step) }   // after a rollback
            lastStep = step
            var scalars: [TensorBoardEvent.Scalar] = [.init(tag: "training/loss", value: Float(loss)),
                                                      .init(tag: "training/learning_rate", value: Float(learningRate))]
            if let gradientNorm { scalars.append(.init(tag: "training/gradient_norm", value: Float(gradientNorm))) }
            if let scale = pendingScale { scalars.append(.init(tag: "guard/rate_scale", value: Float(scale))) }
            pendingScale = nil
            try writer.add(scalars, step: step)
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
        case let .rolledBack(_, _, rateScale):
            pendingScale = rateScale   // written with the first step after the rollback
        case .stoppedEarly:
            try writer.flush()
        case let .sharpnessMeasured(measurement):
            var scalars: [TensorBoardEvent.Scalar] = [.init(tag: "sharpness/lambda_max", value: Float(measurement.lambdaMax)),
                                                      .init(tag: "sharpness/edge", value: Float(measurement.edge))]
            if let value = measurement.preconditionedLambdaMax, let edge = measurement.preconditionedEdge {
                scalars += [.init(tag: "sharpness/preconditioned_lambda_max", value: Float(value)),
                            .init(tag: "sharpness/preconditioned_edge", value: Float(edge))]
            }
            try writer.add(scalars, step: measurement.step)
        }
    }

    func finish() throws { try writer.finish() }
}
