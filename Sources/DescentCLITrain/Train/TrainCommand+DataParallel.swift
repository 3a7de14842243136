import ArgumentParser
import DescentDistributed
import DescentTrain
import Foundation

extension RateScaling: ExpressibleByArgument {}

/// `mpirun -np N descent train …`: the job's processes (`DataParallelLaunch`, `MPICommunicator`),
/// each process's threads, what only rank 0 writes, and how the rate follows the global batch.
///
/// Rank 0 prints, writes the checkpoints, `--log`, `--tensorboard`, `--report`, `--save-weights`
/// and the `--json` line; the other ranks' standard output goes to /dev/null (their errors still
/// reach standard error, prefixed by their rank). A process that succeeds finalises MPI; one that
/// fails on its own (a file it cannot read) aborts the job, so no rank waits alone in a collective.
///
/// ```
/// $ mpirun -np 4 descent train --dataset digits --optimizer sgd --learning-rate 0.1 --batch-size 32
/// 4 processes × batch 32 = 128: rate 0.1 → 0.4 (linear), warmup 5 epochs added
/// ```
package struct DataParallelJob {
    package let launch: DataParallelLaunch
    package let communicator: any Communicator

    /// The job this process belongs to; a launch that cannot be served is a failure (exit 1) in words.
    package static func start() throws -> DataParallelJob {
        let launch = DataParallelLaunch.detect()
        return DataParallelJob(launch: launch, communicator: try launch.communicator())
    }

    package var size: Int { communicator.size }

    /// Sends this process's standard output to /dev/null (ranks other than 0).
    package static func silenceStandardOutput() {
        fflush(nil)   // every output stream (stdout is a C global Swift 6 will not touch)
        let null = open("/dev/null", O_WRONLY)
        guard null >= 0 else { return }
        dup2(null, STDOUT_FILENO)
        close(null)
    }

    /// Ends this process's part of the job: MPI finalised after success or a failure every rank shares
    /// (divergence is decided on reduced losses, so all ranks fail together); otherwise the job is aborted.
    package func end(after error: Error?) {
        guard MPICommunicator.isActive else { return }
        if let error, !Self.isShared(error) {
            fflush(nil)   // every output stream (stdout is a C global Swift 6 will not touch)
            MPICommunicator.abort(code: 1)
        }
        MPICommunicator.finalize()
    }

    /// Whether every rank meets `error` at the same point.
    static func isShared(_ error: Error) -> Bool {
        if let error = error as? TrainingError, case .diverged = error { return true }
        if let code = error as? ExitCode, code != .failure { return true }   // usage errors, the signals' 130/143
        return error is ValidationError
    }
}

/// The learning rate of a data-parallel run: the base rate scaled to the global batch, and the warmup
/// added to reach it (JSON: `rate_scaling`).
struct RateScalingPlan: Encodable {
    var rule: RateScaling
    var processes: Int
    var batchSize: Int
    var baseLearningRate: Double
    var learningRate: Double
    var warmupSteps: Int?
    var warmupEpochs: Double?
    var reason: String?

    var globalBatchSize: Int { processes * batchSize }

    /// The plan for `processes` × `batchSize`; `hasWarmup`: the schedule already starts with one.
    static func make(rule: RateScaling, processes: Int, batchSize: Int, baseLearningRate: Double, hasWarmup: Bool,
                     stepsPerEpoch: Int, epochs: Int, reason: String? = nil) -> RateScalingPlan {
        let rate = baseLearningRate * rule.factor(processes: processes)
        var plan = RateScalingPlan(rule: rule, processes: processes, batchSize: batchSize, baseLearningRate: baseLearningRate,
                                   learningRate: rate, reason: reason)
        if !hasWarmup, RateScaling.needsWarmup(base: baseLearningRate, scaled: rate) {
            let warmup = RateScaling.warmupSteps(stepsPerEpoch: stepsPerEpoch, epochs: epochs)
            plan.warmupSteps = warmup.steps
            plan.warmupEpochs = warmup.epochs
        }
        return plan
    }

    /// `4 processes × batch 32 = 128: rate 0.1 → 0.4 (linear), warmup 5 epochs added`.
    var line: String {
        var text = "\(processes) processes × batch \(batchSize) = \(globalBatchSize): rate "
            + String(format: "%.4g → %.4g", baseLearningRate, learningRate) + " (\(rule.rawValue)\(reason.map { ": \($0)" } ?? ""))"
        if let warmupSteps, let warmupEpochs {
            let epochs = warmupEpochs == warmupEpochs.rounded() ? String(format: "%.0f", warmupEpochs) : String(format: "%.2g", warmupEpochs)
            text += ", warmup \(epochs) epoch\(warmupEpochs == 1 ? "" : "s") added"
                + (warmupEpochs < 5 ? " (\(warmupSteps) steps: a fifth of this short run; Goyal et al. use 5)" : "")
        }
        return text
    }

    enum CodingKeys: String, CodingKey {
        case rule, processes, batchSize = "batch_size", baseLearningRate = "base_learning_rate", learningRate = "learning_rate"
        case warmupSteps = "warmup_steps", warmupEpochs = "warmup_epochs", reason
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rule.rawValue, forKey: .rule)
        try container.encode(processes, forKey: .processes)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(baseLearningRate, forKey: .baseLearningRate)
        try container.encode(learningRate, forKey: .learningRate)
        try container.encode(warmupSteps, forKey: .warmupSteps)
        try container.encode(warmupEpochs, forKey: .warmupEpochs)
        try container.encode(reason, forKey: .reason)
    }
}

extension TrainCommand {
    /// Whether the schedule text starts with a warmup of its own (warmup, one-cycle, warmup-stable-decay, scaled with warmup).
    static func scheduleHasWarmup(_ text: String) -> Bool {
        let compact = text.lowercased().replacingOccurrences(of: " ", with: "")
        return compact.hasPrefix("warmup") || compact.hasPrefix("onecycle") || compact.hasPrefix("wsd")
            || (compact.hasPrefix("scaled(") && compact.contains("warmup:") && !compact.contains("warmup:0)"))
    }

    /// A copy that writes nothing: the outputs of ranks other than 0.
    func withoutOutputs() -> TrainCommand {
        var copy = self
        copy.json = false
        copy.saveWeights = nil
        copy.reportPath = nil
        copy.outputs.logPath = nil
        copy.outputs.tensorboardDirectory = nil
        return copy
    }
}
