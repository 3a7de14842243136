import ArgumentParser
import DescentCLIShared
import DescentData
import DescentDiagnosis
import DescentFiles
import DescentNN
import DescentOptim
import DescentReport
import DescentSchedules
import DescentTrain
import Foundation

/// One `descent train` run once its settings are checked: the trainer, the model and data, the
/// schedule, where checkpoints go, and how events are shown. `fit` is generic over the optimizer's
/// rule, so the checkpoint it writes and resumes holds that rule's state.
struct TrainRun {
    let command: TrainCommand
    /// The run: every setting that decides it (the command's flags mapped onto it).
    package let specification: RunSpecification
    let trainer: Trainer
    let model: Sequential
    let split: DatasetSplit
    /// The base (peak) rate: `--learning-rate`, or the one `auto` chose.
    let learningRate: Double
    let schedule: AnySchedule
    let checkpointPath: String?
    let stopRequest: StopRequest
    let description: [String: String]
    /// What the checkpoint knows the data by (its shape and digest), checked before the rest of the description.
    let dataIdentity: CheckpointDataIdentity
    /// The progress line, the `--log` and the `--tensorboard` files.
    let observers: TrainingObservers
    /// The automatic rate's race winner (a `TrainingCheckpoint` of the chosen optimizer's rule): the run goes on
    /// from it instead of training its first epochs again (nil: a fresh start; `--resume` takes precedence).
    var raceCheckpoint: (any Sendable)? = nil

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

    /// The run's optimizer for `rule` at peak `learningRate` with `schedule` (the race builds its candidates with it too).
    static func makeOptimizer<Rule: OptimizerRule>(_ rule: Rule, learningRate: Double, schedule: AnySchedule,
                                                    command: TrainCommand) throws -> Optimizer<Rule> {
        var optimizer = try Optimizer(rule, learningRate: learningRate, weightDecay: command.weightDecay,
                                      schedule: .schedule(schedule))
        if command.reduceOnPlateau {
            optimizer.controllers.append(try ReduceOnPlateau(factor: command.plateauFactor, patience: command.plateauPatience))
        }
        return optimizer
    }

    func fit<Rule: OptimizerRule>(_ rule: Rule, _ curves: inout TrainingCurves) throws -> TrainingOutcome {
        var optimizer = try Self.makeOptimizer(rule, learningRate: learningRate, schedule: schedule, command: command)
        var checkpoint: TrainingCheckpoint<Rule>?
        let communicator = trainer.communicator
        var fromRace = false
        if !command.resume, let raceCheckpoint {
            guard var start = raceCheckpoint as? TrainingCheckpoint<Rule> else {
                throw TrainingError.invalidCheckpoint("the automatic rate's race ran another optimizer than \(Rule.self)")
            }
            start.run = description
            checkpoint = start
            fromRace = true
            curves.epochs = start.progress.history
            if !command.json {
                for record in start.progress.history { printEpoch(record, metricName: Objective(for: split.train).metricName) }
                print("(epochs 1–\(start.progress.epoch) were the race's; the run goes on from there)")
            }
        }
        if command.resume, let checkpointPath {
            // Rank 0 reads the checkpoint and broadcasts it: every process resumes from the same state.
            var bytes: [UInt8] = []
            if communicator.isPrimary {
                do {
                    // A regular file only: a FIFO there was waited on for ever, /dev/zero read without end (a first
                    // Ctrl-C could not stop either), and a checkpoint is always written as a regular file.
                    bytes = [UInt8](try FileContents.read(checkpointPath, regularFileOnly: true))
                } catch let error as FileReadError {
                    throw TrainingError.invalidCheckpoint("\(checkpointPath) cannot be read: \(error.reason)")
                }
            }
            try communicator.broadcast(&bytes, from: 0)
            let read = try TrainingCheckpoint<Rule>.read(Data(bytes), source: checkpointPath, optimizer: rule.name)
            checkpoint = read.checkpoint
            if !read.contentVerified, communicator.isPrimary {
                StandardOutput.error("note: \(checkpointPath) records no checksum of its contents (written by an older descent): "
                    + "a damaged number in it could not be found\n")
            }
            let saved = checkpoint?.run[TrainCommand.worldSizeKey] ?? "1"
            if saved != "\(communicator.size)" {
                throw ValidationError("--resume: the checkpoint in \(checkpointPath) was written by a job of world_size \(saved) "
                    + "(processes), this one has \(communicator.size); the data order depends on the global batch, so resume "
                    + "with mpirun -np \(saved)" + (saved == "1" ? " or without mpirun" : ""))
            }
            // The data by content (under mpirun every rank decodes the same bytes; rank 0 says the note), then the
            // specification field by field (the data's paths are left to the content check).
            if var resumed = checkpoint {
                let note = try dataIdentity.adopt(into: &resumed.run, checkpoint: checkpointPath)
                if let note, communicator.isPrimary { StandardOutput.error(note + "\n") }
                try compare(with: &resumed, source: checkpointPath)
                checkpoint = resumed
            }
            // The diagnosis and the report see the whole run, not only the part after the resume: the curves saved
            // beside the checkpoint (every step, rollback and sharpness measurement), else the epochs it holds.
            let history = checkpoint?.progress.history ?? []
            if communicator.isPrimary, let saved = try Self.savedCurves(beside: checkpointPath), saved.epochs == history {
                curves.steps = saved.steps
                curves.rollbacks = saved.rollbacks
                curves.sharpness = saved.sharpness
                curves.earlyStop = saved.earlyStop
            }
            curves.epochs = history
            if !command.json { print("Resuming from \(checkpointPath) after epoch \(checkpoint?.progress.epoch ?? 0)") }
        }
        try observers.start(resumedFromEpoch: fromRace ? 0 : checkpoint?.progress.epoch ?? 0,
                            resumedAtStep: fromRace ? 0 : checkpoint?.optimizer.step ?? 0,
                            rollbacks: checkpoint?.progress.guardState.rollbacks ?? 0)
        let recorded = Box(curves)
        defer { curves = recorded.value }
        // The race's epochs of the winner go into the log and TensorBoard too (their epoch records; the race's steps are not kept).
        if fromRace, let start = checkpoint { for record in start.progress.history { try observers.record(.epochEnded(record)) } }
        // Only rank 0 writes checkpoints.
        let save: ((TrainingCheckpoint<Rule>) throws -> Void)? = (communicator.isPrimary ? checkpointPath : nil).map { path in
            { checkpoint in
                try AtomicFile.write([UInt8](try checkpoint.encoded()), to: path)
                try Self.saveCurves(recorded.value, beside: path)
            }
        }
        var recovering: Double?
        let (json, metricName) = (command.json, Objective(for: split.train).metricName)
        // --validation-fraction 0: no validation part, so none is evaluated (the controllers watch the training loss).
        return try trainer.run(model, optimizer: &optimizer, training: split.train,
                               validation: split.validation.count > 0 ? split.validation : nil,
                               resumingFrom: checkpoint, description: description, specification: specification,
                               stopRequest: stopRequest,
                               saveCheckpoint: save) { [observers] event in
            try observers.record(event)
            recorded.value.record(event)
            guard !json else { return }
            switch event {
            case let .epochEnded(record):
                if let scale = recovering {
                    print(String(format: "recovered: training goes on at rate scale %.4g (learning rate %.3e)", scale, record.learningRate))
                    recovering = nil
                }
                printEpoch(record, metricName: metricName)
            case let .rolledBack(step, loss, scale):
                recovering = scale
                // Rounded: a blown-up loss is 3.196e27, not 3.1962348793820843e+27.
                print("step \(step): loss \(ChartNumberFormat.value(loss)) diverged; rolled back to a good state, "
                      + "rate scale now \(ChartNumberFormat.value(scale))")
            case let .stoppedEarly(epoch, bestEpoch):
                print("stopped early after epoch \(epoch): no better validation loss since epoch \(bestEpoch) (weights restored)")
            case .stepEnded, .sharpnessMeasured:
                break
            }
        }
    }

    /// Compares this run with the checkpoint's, field by field: any difference but the number of epochs is
    /// refused naming the field; more epochs than done extends the run, with the schedule's span re-fitted
    /// to the new length (said, unless --json).
    /// - Throws: `TrainingError.invalidCheckpoint` naming the field that differs, or epochs not above those done.
    func compare<Rule: OptimizerRule>(with checkpoint: inout TrainingCheckpoint<Rule>, source: String) throws {
        guard let saved = checkpoint.specification else { return }   // written before runs were specified: the description decides
        // A difference the run's description shows (the data, the model's tensors, …) is worded by the trainer's check.
        let described = Set(description.keys).union(checkpoint.run.keys).subtracting(["schedule"])
        if described.contains(where: { description[$0] != checkpoint.run[$0] }) { return }
        // An automatic rate is compared as `auto` (the range test runs again, and chooses the same on the same build).
        var mine = specification, theirs = saved
        if mine.learningRate.isAutomatic && theirs.learningRate.isAutomatic {
            mine.learningRate = .automatic(chosen: nil)
            theirs.learningRate = .automatic(chosen: nil)
        }
        // The data is known by its contents (CheckpointDataIdentity, checked before): a renamed copy is the same data.
        (theirs.csv, theirs.idxImages, theirs.idxLabels) = (mine.csv, mine.idxImages, mine.idxLabels)
        if let field = mine.differences(from: theirs).first {
            let flag = "--" + field.replacingOccurrences(of: "_", with: "-")
            throw TrainingError.invalidCheckpoint("it belongs to another run: \(field) (\(flag)) is "
                + "\(theirs.value(of: field)?.description ?? "not set") there, \(mine.value(of: field)?.description ?? "not set") here; "
                + "a resume may change only --epochs")
        }
        let done = checkpoint.progress.epoch
        guard specification.epochs != saved.epochs else { return }
        let schedule = self.schedule.description
        if checkpoint.progress.stoppedEarly == true {
            if !command.json {
                print("--epochs \(specification.epochs): the run stopped early after epoch \(done); resumed, it is the same run and trains no further")
            }
        } else {
            guard specification.epochs > done else {
                throw TrainingError.invalidCheckpoint("--epochs \(specification.epochs): the run has done \(done) epochs already; "
                    + "a resume may extend it (--epochs above \(done)) but not shorten it")
            }
            if !command.json {
                print("--epochs \(specification.epochs): the run of \(saved.epochs) epochs is extended to \(specification.epochs)"
                    + (checkpoint.schedule == schedule ? "" : "; the schedule's span is re-fitted to the new length: \(schedule)"))
            }
        }
        // Only a schedule the checkpoint's own description agrees with is re-fitted (anything else is refused below, as it was).
        guard checkpoint.schedule == checkpoint.run["schedule"] else { return }
        checkpoint.schedule = schedule
        checkpoint.run["schedule"] = description["schedule"]
        checkpoint.specification = specification
    }

    /// The curves file beside a checkpoint: `DIR/curves.json` for `DIR/checkpoint.json`.
    static func curvesPath(beside checkpointPath: String) -> String {
        URL(fileURLWithPath: checkpointPath).deletingLastPathComponent().appendingPathComponent("curves.json").path
    }

    /// Writes the run's curves beside its checkpoint, so a resumed run diagnoses the whole run as the run itself did.
    static func saveCurves(_ curves: TrainingCurves, beside checkpointPath: String) throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try AtomicFile.write(ContentChecksum.seal([UInt8](try encoder.encode(curves))), to: curvesPath(beside: checkpointPath))
    }

    /// The curves saved beside a checkpoint, or nil when there are none (a checkpoint of an older descent) or they do not read.
    /// - Throws: `TrainingError.invalidCheckpoint` when they do not match the checksum saved with them (``ContentChecksum``):
    ///   a changed loss would change the diagnosis of the resumed run without a word.
    static func savedCurves(beside checkpointPath: String) throws -> TrainingCurves? {
        let path = curvesPath(beside: checkpointPath)
        // A regular file only (a FIFO there was waited on for ever): anything else reads as no curves.
        guard let data = try? FileContents.read(path, regularFileOnly: true) else { return nil }
        if ContentChecksum.open([UInt8](data)) == .damaged {
            throw TrainingError.invalidCheckpoint("\(path) is damaged: its contents do not match the checksum saved with it "
                + "(\(ContentChecksum.key)); the checkpoint cannot be resumed (nothing was overwritten): resume from a copy, or train afresh")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try? decoder.decode(TrainingCurves.self, from: data)
    }

    /// One epoch's line.
    func printEpoch(_ record: TrainingRecord, metricName: String) {
        // %ld: Swift's Int is 64-bit, and %d would print only its low 32 bits.
        guard let validationLoss = record.validationLoss else {
            // No validation part (--validation-fraction 0): the training loss alone.
            print(String(format: "epoch %3ld/%ld  lr %.3e  loss %.4f", record.epoch, command.epochs, record.learningRate, record.trainingLoss))
            return
        }
        print(String(format: "epoch %3ld/%ld  lr %.3e  loss %.4f  validation loss %.4f  %@ %.4f",
                     record.epoch, command.epochs, record.learningRate, record.trainingLoss,
                     validationLoss, metricName, record.validationMetric ?? .nan))
    }
}
