import ArgumentParser
import DescentCLIShared
import DescentFiles
import DescentOptim
import DescentTrain
import Foundation

/// `descent train --learning-rate auto` — the default when no `--learning-rate` is given: a range test on the
/// training part, weighed by the run's budget (`AutomaticLearningRate`), gives the first look (the rate of its
/// rule and the edge above which nothing is tried); a race on validation loss among four to six candidates around
/// it (`AutomaticLearningRate.race`, successive halving over the run's own schedule; more candidates when the run is
/// long) decides, and the run goes on
/// from the winner, keeping its best epoch's weights. The run is cosine-annealed from the chosen peak (or uses
/// the `--schedule` given, scaled to peak there). What it saw and why it chose is printed, and the JSON summary
/// carries it as `"automatic_learning_rate"`.
///
/// ```
/// $ descent train --dataset iris --hidden 32 --epochs 30 --optimizer adam
/// Automatic learning rate (no --learning-rate given; give one, e.g. --learning-rate 3e-3, for a fixed rate):
/// Automatic learning rate: 0.105 (validation-race): race on validation loss among 0.105, 0.0331, 0.0105, 0.00331 → 0.105
///   - the sweep's smoothed loss was lowest at rate 0.331 (the edge) …
///   - rate 0.105: best validation loss 0.0594 in 8 epochs, kept …
/// ```
extension TrainCommand {
    static let learningRateHelp = "The base (peak) learning rate, or auto (the default when none is given): a range test on the "
        + "training part gives candidates, a short race on validation loss picks among them, the run keeps its best epoch "
        + "and is cosine-annealed from there unless --schedule is given."

    /// The schedule text: `--schedule`, else cosine for `auto` (the grid's schedule: one-cycle's warm-up made the race's
    /// early rungs favour too high a rate in 5-epoch runs) and constant for a fixed rate.
    package var scheduleText: String { schedule ?? (learningRate == .automatic && !optimizer.isLearningRateFree ? "cosine" : "constant") }

    /// What `auto` decided: the base rate, how (printed here unless --json), and the race winner's run to go on from.
    package struct AutomaticDecision {
        package var rate: Double
        package var choice: AutomaticLearningRate.Choice?
        /// The race winner's `TrainingCheckpoint` (nil: no race ran, or a fixed rate).
        package var raceCheckpoint: (any Sendable)?
    }

    /// The base rate of the run and, for `auto`, how it was chosen: the range test's first look, then a race on
    /// validation loss (`AutomaticLearningRate.race`) whose winner the run goes on from. A `stopRequest` set while it
    /// runs (SIGINT, SIGTERM) ends it within a step: the decision's `choice.interruption` then says where, no rate was
    /// chosen and nothing is printed (the caller words it).
    package func resolveLearningRate(setup: TrainingSetup, totalSteps: Int, configuration: TrainingConfiguration,
                             stopRequest: StopRequest? = nil) throws -> AutomaticDecision {
        guard learningRate == .automatic else { return AutomaticDecision(rate: learningRate.fixedValue ?? 3e-3, choice: nil) }
        let task = AutoTask(command: self, setup: setup, totalSteps: totalSteps, configuration: configuration, stopRequest: stopRequest)
        let rate = optimizer.referenceLearningRate ?? AutomaticLearningRate.fallbackLearningRate(for: optimizer.family)
        var decision = try optimizer.perform(task, with: OptimizerSettings(learningRate: rate, weightDecay: weightDecay, momentum: momentum))
        if decision.choice?.interruption != nil { return decision }
        if learningRateOption == nil {
            if data.validationFraction == 0, decision.choice?.source != .optimizerDefault {
                // Said once, naming the flag (the race's own "no validation data" line would repeat it).
                decision.choice?.reasons.removeAll { $0.hasPrefix("no validation data:") }
                decision.choice?.reasons.insert("--validation-fraction 0 leaves no validation data to race the candidates on, so "
                    + "auto falls back to the range-test rule (the sweep's rate, weighed by the run's budget)", at: 0)
            }
            decision.choice?.reasons.insert("no --learning-rate was given, so auto chose it (the default); give one, e.g. "
                + "--learning-rate 3e-3, to train at exactly that rate", at: 0)
        }
        let choice = decision.choice
        if choice?.source == .fallback {
            // Never a silent default: say it on stderr even with --json.
            StandardOutput.error("note: --learning-rate auto: " + (choice?.reasons ?? []).joined(separator: "; ") + "\n")
        }
        if let choice, !json {
            print(String(format: "Automatic learning rate: %.3g (%@): %@", choice.learningRate, choice.source.rawValue, choice.rule))
            for reason in choice.reasons { print("  - \(reason)") }
        }
        return decision
    }

    /// The file a run stopped while its automatic rate was chosen leaves in its checkpoint directory (it has no
    /// checkpoint yet): `--resume` then starts the run from the beginning instead of failing for want of one.
    static let interruptedBeforeTrainingFileName = "interrupted-before-training.json"

    /// Ends a run whose automatic rate a signal stopped before it was chosen: nothing was trained, so no model,
    /// report, settings or checkpoint is written (a checkpoint would hold a rate never chosen), and the summary says
    /// where it stopped (`automatic_learning_rate.interruption`). With `--checkpoint-dir` the directory gets
    /// `interrupted-before-training.json` (the stage, the reason), so the same command with `--resume` starts over.
    func endBeforeTraining(_ choice: AutomaticLearningRate.Choice, summary: inout TrainSummary, checkpointPath: String?,
                           stopRequest: StopRequest) throws {
        let reason = stopRequest.reason ?? "stop requested"
        let stage = choice.interruption?.stage.rawValue ?? "range-test"
        summary.status = .interrupted
        summary.automaticLearningRate = choice
        summary.learningRate = nil
        summary.message = "interrupted (\(reason)) during the automatic learning rate's \(stage): no rate was chosen and "
            + "nothing was trained or saved"
        if let checkpointPath, !FileManager.default.fileExists(atPath: checkpointPath) {
            let marker = URL(fileURLWithPath: checkpointPath).deletingLastPathComponent()
                .appendingPathComponent(Self.interruptedBeforeTrainingFileName).path
            let record: [String: Any] = ["status": "interrupted", "stage": stage, "reason": reason,
                                         "note": "stopped while the automatic learning rate was chosen; nothing was trained. "
                                             + "--resume starts the run from the beginning"]
            try AtomicFile.write([UInt8](try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])), to: marker)
        }
        if !json {
            print("Interrupted (\(reason)) while the automatic learning rate was chosen (\(stage)): no rate was chosen and "
                + "nothing was trained or saved" + (checkpointPath == nil ? "" : "; --resume starts the run from the beginning"))
        }
    }

    /// This command, or with `--resume` on a checkpoint directory that holds no checkpoint but the record of a run stopped
    /// before it trained (`interrupted-before-training.json`), the same command without `--resume`: the run starts over
    /// (said on standard error). One process only: under mpirun a missing checkpoint stays an error.
    func startingOverIfNothingWasTrained(job: DataParallelJob) -> TrainCommand {
        guard resume, job.size == 1, let directory = checkpointDirectory else { return self }
        let folder = URL(fileURLWithPath: directory)
        guard !FileManager.default.fileExists(atPath: folder.appendingPathComponent("checkpoint.json").path),
              FileManager.default.fileExists(atPath: folder.appendingPathComponent(Self.interruptedBeforeTrainingFileName).path)
        else { return self }
        StandardOutput.error("note: --resume: the run in \(directory) was stopped before it trained (while its automatic learning "
            + "rate was chosen), so there is no checkpoint; it starts from the beginning\n")
        var fresh = self
        fresh.resume = false
        return fresh
    }

    /// `AutomaticLearningRate.choose` (the range test's first look, then the race) with the optimizer the user chose:
    /// the same call `TrainingRun` makes.
    private struct AutoTask: OptimizerTask {
        let command: TrainCommand, setup: TrainingSetup, totalSteps: Int, configuration: TrainingConfiguration
        let stopRequest: StopRequest?
        func run<Rule: OptimizerRule>(_ optimizer: Optimizer<Rule>) throws -> AutomaticDecision {
            let (choice, checkpoint) = try AutomaticLearningRate.choose(
                model: setup.model, probe: optimizer, training: setup.split.train, validation: setup.split.validation,
                configuration: configuration, totalSteps: totalSteps, family: command.optimizer.family, momentum: command.momentum,
                stopRequest: stopRequest, makeOptimizer: { rate in
                    let schedule = try TrainCommand.parseSchedule(command.scheduleText, totalSteps: totalSteps, baseLearningRate: rate)
                    return try TrainRun.makeOptimizer(optimizer.rule, learningRate: rate, schedule: schedule, command: command)
                })
            return AutomaticDecision(rate: choice.learningRate, choice: choice, raceCheckpoint: checkpoint)
        }
    }

}

/// The choice as the JSON summary's `"automatic_learning_rate"` object: `learning_rate`, `source`
/// (range-test, ceiling, optimizer-default, fallback, validation-race), `rule`, `reasons`, the curve's numbers `edge`,
/// `valley`, `factor`, `ceiling` (null where they do not apply), and for the race `range_test_rate`, `keeps_best_epoch`
/// and `candidates` (each: `learning_rate`, `epochs_trained`, `validation_losses`, `best_validation_loss`,
/// `eliminated_after_epoch`, `kept`, `note`); `interrupted` (false, or true when SIGINT/SIGTERM stopped the choice)
/// and, when true, `interruption`: `stage` (range-test, stability-ceiling, race), `sweep_iterations` (null in the
/// race), `race_epochs`, `reason`. An interrupted choice chose no rate: `learning_rate` is null in the range test
/// and the range test's rate in the race, no candidate is `kept`.
struct AutomaticChoiceObject: Encodable {
    let choice: AutomaticLearningRate.Choice

    init(_ choice: AutomaticLearningRate.Choice) { self.choice = choice }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TrainSummary.Key.self)
        try container.encodeNumber(choice.learningRate, forKey: .init("learning_rate"))
        try container.encode(choice.source.rawValue, forKey: .init("source"))
        try container.encode(choice.rule, forKey: .init("rule"))
        try container.encode(choice.reasons, forKey: .init("reasons"))
        try container.encodeNumber(choice.edge, forKey: .init("edge"))
        try container.encodeNumber(choice.valley, forKey: .init("valley"))
        try container.encodeNumber(choice.factor, forKey: .init("factor"))
        try container.encodeNumber(choice.ceiling, forKey: .init("ceiling"))
        try container.encodeNumber(choice.rangeTestRate, forKey: .init("range_test_rate"))
        try container.encode(choice.keepsBestEpoch ?? false, forKey: .init("keeps_best_epoch"))
        let interrupted = choice.interruption != nil
        try container.encode(choice.candidates.map { $0.map { CandidateObject($0, interrupted: interrupted) } }, forKey: .init("candidates"))
        try container.encode(interrupted, forKey: .init("interrupted"))
        if let interruption = choice.interruption {
            try container.encode(InterruptionObject(interruption: interruption), forKey: .init("interruption"))
        }
    }

    /// Where SIGINT/SIGTERM stopped the choice: `stage`, `sweep_iterations`, `race_epochs`, `reason`.
    struct InterruptionObject: Encodable {
        let interruption: AutomaticLearningRate.Interruption
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: TrainSummary.Key.self)
            try container.encode(interruption.stage.rawValue, forKey: .init("stage"))
            try container.encode(interruption.sweepIterations, forKey: .init("sweep_iterations"))
            try container.encode(interruption.raceEpochs, forKey: .init("race_epochs"))
            try container.encode(interruption.reason, forKey: .init("reason"))
        }
    }

    /// One race candidate: `learning_rate`, `epochs_trained`, `validation_losses`, `best_validation_loss`,
    /// `eliminated_after_epoch` (null for the one kept), `kept`, `note`.
    struct CandidateObject: Encodable {
        let candidate: LearningRateRace.Candidate
        /// A race stopped before its winner: no candidate was kept.
        var interrupted = false
        init(_ candidate: LearningRateRace.Candidate, interrupted: Bool = false) {
            self.candidate = candidate
            self.interrupted = interrupted
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: TrainSummary.Key.self)
            try container.encodeNumber(candidate.learningRate, forKey: .init("learning_rate"))
            try container.encode(candidate.epochsTrained, forKey: .init("epochs_trained"))
            try container.encode(candidate.validationLosses.map { $0.flatMap { $0.isFinite ? $0 : nil } }, forKey: .init("validation_losses"))
            try container.encodeNumber(candidate.bestValidationLoss, forKey: .init("best_validation_loss"))
            try container.encode(candidate.eliminatedAfterEpoch, forKey: .init("eliminated_after_epoch"))
            try container.encode(!interrupted && candidate.eliminatedAfterEpoch == nil && candidate.bestValidationLoss != nil,
                                 forKey: .init("kept"))
            try container.encode(candidate.note, forKey: .init("note"))
        }
    }
}
