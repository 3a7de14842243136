import ArgumentParser
import DescentOptim
import DescentSchedules
import DescentTrain
import Foundation

/// The pieces of a run that `train` and each `tune` trial build the same way from a `RunSpecification`,
/// so that a trial is exactly the `train` run its reproduce line prints: the steps, the schedule fitted
/// to them, the optimizer with its controllers, and the trainer.
package enum RunAssembly {
    /// Steps per epoch and in the whole run; a run too long for a schedule to count is a usage error naming `--epochs`.
    package static func steps(_ spec: RunSpecification, trainingExamples: Int) throws -> (perEpoch: Int, total: Int) {
        // Written so that a huge batch size or number of epochs cannot overflow.
        let (fullBatches, remainder) = trainingExamples.quotientAndRemainder(dividingBy: spec.batchSize)
        let stepsPerEpoch = fullBatches + (remainder == 0 ? 0 : 1)
        let (totalSteps, overflow) = stepsPerEpoch.multipliedReportingOverflow(by: spec.epochs)
        guard !overflow, totalSteps <= ScheduleParser.maximumTotalSteps else {
            throw ValidationError("--epochs \(spec.epochs): \(spec.epochs) epochs of \(stepsPerEpoch) steps is more steps than a schedule can count (10^15)")
        }
        return (stepsPerEpoch, totalSteps)
    }

    /// The optimizer of `rule` at `rate` on `schedule`, with the specification's weight decay and, when asked, ReduceLROnPlateau.
    package static func optimizer<Rule: OptimizerRule>(_ rule: Rule, _ spec: RunSpecification, rate: Double,
                                               schedule: AnySchedule) throws -> Optimizer<Rule> {
        var optimizer = try Optimizer(rule, learningRate: rate, weightDecay: spec.weightDecay, schedule: .schedule(schedule))
        if spec.reduceOnPlateau {
            optimizer.controllers.append(try ReduceOnPlateau(factor: spec.plateauFactor, patience: spec.plateauPatience))
        }
        return optimizer
    }
}
