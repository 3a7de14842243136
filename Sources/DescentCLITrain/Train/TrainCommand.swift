import ArgumentParser
import DescentCLIShared
import DescentDiagnosis
import DescentDistributed
import DescentFiles
import DescentNN
import DescentOptim
import DescentReport
import DescentSchedules
import DescentTensor
import DescentTrain
import Foundation

/// `descent train`: train a perceptron (`--hidden`) or a convolutional network (`--model cnn`) on a bundled data set, a CSV or IDX files,
/// as the `RunSpecification` its flags map onto (`specification()`) describes, printing per epoch the learning rate in force,
/// the training loss and the validation
/// loss and metric, then a chart of the curves and what they show.
///
/// The rate is schedule(step) × controllers: `--reduce-on-plateau` adds PyTorch's
/// ReduceLROnPlateau as a controller that composes with any `--schedule`, and the divergence
/// guard (on unless `--no-guard`) rolls back and backs the rate off when the loss blows up.
/// `--checkpoint-dir` saves the whole run at each epoch's end and `--resume` goes on from there,
/// bit-identical to the run left alone; SIGINT or SIGTERM finish the step, save, and exit 130/143.
package struct TrainCommand: AsyncParsableCommand, DataModelOptionsWording {
    package static let csvHelp = "A CSV file with a header row to train on instead of a bundled data set."
    package static let validationFractionHelp = "Fraction of the data held out for validation."

    package static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a bundled or CSV data set.",
        discussion: """
        Features are standardised with the mean and standard deviation of the training \
        part only (turn off with --no-standardize). Classification data sets train with \
        softmax cross-entropy and report accuracy; regression with mean squared error and R². \
        With --json the last line is one JSON object whatever happens, with a "status" of \
        completed, stopped_early, diverged, interrupted or failed.
        """
    )

    @OptionGroup var data: DataModelOptions<TrainCommand>
    @Option(help: "The optimizer: \(OptimizerChoice.listed).")
    var optimizer: OptimizerChoice = .adamw
    @Option(name: .customLong("learning-rate"), help: ArgumentHelp(Self.learningRateHelp), transform: LearningRateArgument.parse)
    var learningRateOption: LearningRateArgument?
    /// `--learning-rate`, or `auto` when none is given.
    var learningRate: LearningRateArgument { learningRateOption ?? .automatic }
    @Option(name: .customLong("weight-decay"), help: "Weight decay (decoupled for AdamW).")
    var weightDecay: Double = 0
    @Option(help: "SGD momentum.")
    var momentum: Double = 0.9
    @Option(help: "The learning-rate schedule, e.g. constant, cosine, onecycle, \"warmup(50) >> cosine\" (default: constant with a fixed --learning-rate; cosine with auto).")
    var schedule: String?
    @Option(help: "Passes over the training data.")
    var epochs: Int = 20
    @Option(help: "Stop after this many epochs without a lower validation loss.")
    var patience: Int?
    @Flag(name: .customLong("reduce-on-plateau"),
          help: "Multiply the rate by --plateau-factor when the validation loss stops improving (composes with --schedule).")
    var reduceOnPlateau = false
    @Option(name: .customLong("plateau-patience"), help: "Epochs without improvement before the rate is reduced.")
    var plateauPatience: Int = 10
    @Option(name: .customLong("plateau-factor"), help: "The factor the rate is multiplied by on a plateau, in (0, 1).")
    var plateauFactor: Double = 0.1
    @Flag(name: .customLong("no-guard"), help: "Turn off the divergence guard (no rollback when the loss blows up).")
    var noGuard = false
    @Option(name: .customLong("checkpoint-dir"), help: "Save the whole run to DIR/checkpoint.json at each epoch's end.")
    var checkpointDirectory: String?
    @Flag(help: "Go on from the checkpoint in --checkpoint-dir.")
    var resume = false
    @Option(name: .customLong("save-weights"),
            help: "Write the trained model to this .safetensors file: the weights (PyTorch's names) and, in its metadata, the model, features, standardisation, classes and training summary (for descent predict/evaluate).")
    var saveWeights: String?
    @Option(name: .customLong("init-weights"), help: ArgumentHelp(Self.initWeightsHelp))
    var initWeights: String?
    @Option(name: .customLong("report"), help: "Write an HTML report of the run (summary, loss and learning-rate charts) to this file.")
    var reportPath: String?
    @Option(help: "Threads of this process (default: the cores, divided by the processes mpirun starts on this machine).")
    var threads: Int?
    @Option(name: .customLong("scale-rate"),
            help: "Under mpirun, how the rate follows the global batch (processes × --batch-size): linear, sqrt or none (default: linear for SGD, sqrt for the Adam family, none for the learning-rate-free optimizers).")
    var scaleRate: RateScaling?
    @Option(name: .customLong("track-noise-scale"),
            help: ArgumentHelp("Estimate the gradient noise scale (the critical batch size) every N steps.", valueName: "N"))
    var trackNoiseScale: Int?
    @OptionGroup var outputs: TrainingOutputOptions
    @Option(name: .customLong("track-sharpness"),
            help: ArgumentHelp("Every N steps, measure λmax of the training loss's Hessian (and Adam's preconditioned sharpness) on up to 1,024 training rows, against the edge of stability 2(1+β)/η; logged, charted in --report, read by the diagnosis.",
                               valueName: "N"))
    var trackSharpness: Int?
    @OptionGroup package var configurationFile: ConfigurationOption
    @Option(name: .customLong("save-config"),
            help: ArgumentHelp("Write the whole run (every setting; an automatic rate as auto with the rate it chose) to this "
                               + ".toml, .yaml or .json file; --config FILE runs it again.", valueName: "file"))
    var saveConfig: String?
    @Flag(help: "Print a JSON summary as the last line.")
    var json = false
    @Option(help: "Cross-validate first: train K models on K folds (stratified for classification), report the mean and spread of the validation metric and of the rate, then train the run at the median of the folds' rates.")
    var folds: Int?
    @Option(help: ArgumentHelp(TrainCommand.ensembleHelp, valueName: "models"))
    var ensemble: Int?

    /// The run these flags describe (after `validate()`, a `--config` file's run with the flags given on the command line over it).
    /// - Throws: `ValidationError` naming the flag of a list (`--hidden`, `--channels`) that cannot be read.
    package func specification() throws -> RunSpecification {
        var spec = RunSpecification()
        try data.apply(to: &spec)
        spec.optimizer = optimizer
        spec.learningRate = learningRate == .automatic ? .automatic(chosen: nil) : .fixed(learningRate.fixedValue ?? 3e-3)
        spec.weightDecay = weightDecay
        spec.momentum = momentum
        spec.schedule = schedule
        spec.epochs = epochs
        spec.patience = patience
        spec.reduceOnPlateau = reduceOnPlateau
        spec.plateauPatience = plateauPatience
        spec.plateauFactor = plateauFactor
        spec.divergenceGuard = !noGuard
        spec.initWeights = initWeights
        spec.checkpointDirectory = checkpointDirectory
        spec.saveWeights = saveWeights
        spec.report = reportPath
        spec.log = outputs.logPath
        spec.tensorboard = outputs.tensorboardDirectory
        spec.folds = folds
        spec.ensemble = ensemble
        spec.scaleRate = scaleRate
        spec.threads = threads
        spec.trackNoiseScale = trackNoiseScale
        spec.trackSharpness = trackSharpness
        return spec
    }

    package mutating func validate() throws {
        try adoptConfiguration()
        try data.validateSourceAndModel()
        guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
        guard data.batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        if learningRateOption == .automatic, data.validationFraction == 0 {
            throw ValidationError("--learning-rate auto decides on validation loss, and --validation-fraction 0 leaves no validation "
                + "data: give a fraction in (0, 1) (e.g. 0.2) or a fixed --learning-rate (without --learning-rate, auto falls back "
                + "to the range-test rule)")
        }
        // 0: no validation part (the run trains on every row; without --learning-rate auto falls back to the range-test rule, said).
        guard data.validationFraction >= 0, data.validationFraction < 1 else { throw ValidationError("--validation-fraction must be in [0, 1)") }
        if data.validationFraction == 0, let patience {
            throw ValidationError("--patience \(patience) stops on validation loss, and --validation-fraction 0 leaves no validation data")
        }
        // Every number is range-checked by the specification's one table of limits (`RunSpecification.validate`, below):
        // --patience, --weight-decay, --plateau-patience, --track-noise-scale, --track-sharpness.
        guard momentum >= 0, momentum < 1 else { throw ValidationError("--momentum must be in [0, 1)") }
        guard plateauFactor > 0, plateauFactor < 1 else { throw ValidationError("--plateau-factor must be in (0, 1), got \(plateauFactor)") }
        if resume && checkpointDirectory == nil { throw ValidationError("--resume needs --checkpoint-dir DIR (where the checkpoint is)") }
        if let folds {
            guard (2...100).contains(folds) else { throw ValidationError("--folds must be from 2 to 100, got \(folds)") }
            if resume || checkpointDirectory != nil || initWeights != nil {
                throw ValidationError("--folds trains fresh models: it does not go with --resume, --checkpoint-dir or --init-weights")
            }
        }
        if let ensemble, !SmallTableEnsemble.allowedMembers.contains(ensemble) {
            throw ValidationError("--ensemble must be from 1 to \(SmallTableEnsemble.allowedMembers.upperBound) models, got \(ensemble)")
        }
        if let ensemble, ensemble > 1, folds != nil || initWeights != nil {
            throw ValidationError("--ensemble \(ensemble) trains fresh models on the table: it does not go with \(folds != nil ? "--folds" : "--init-weights")")
        }
        if let threads, threads < 1 || threads > 4096 { throw ValidationError("--threads must be in 1...4096, got \(threads)") }
        _ = try hiddenSizes()
        do { try specification().validate() } catch let error as RunSpecificationError { throw ValidationError(error.flagDescription) }
        if let saveConfig { try SpecificationFile.checkPath(saveConfig, flag: "--save-config") }
        try validateOutputs()
        try outputs.check()
    }

    func hiddenSizes() throws -> [Int] { try TrainingSetup.hiddenSizes(data.hidden) }

    package func run() async throws {
        let job: DataParallelJob
        do {
            job = try DataParallelJob.start()
        } catch {
            if json { print(TrainSummary(status: .failed, message: "\(error)").line()) }
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        Parallel.threadCount = threads ?? job.launch.threadsPerProcess()
        if !job.communicator.isPrimary { DataParallelJob.silenceStandardOutput() }
        defer { job.end(after: nil) }
        try await (job.communicator.isPrimary ? self : withoutOutputs()).run(job)
    }

    /// The run of this process of the job (the whole run for one process).
    private func run(_ job: DataParallelJob) async throws {
        let started = Date()
        var summary = TrainSummary(status: .failed, learningRate: learningRate.fixedValue)
        let signals = SignalStop(json: json, watching: !MPICommunicator.isActive)
        defer { signals.restore() }
        if MPICommunicator.isActive { MPICommunicator.watchStopSignals { [request = signals.request] in request.request(reason: $0) } }
        do {
            if let folds {
                // Cross-validation, then the run itself at the median of the folds' rates (and their schedule).
                let crossValidation = try crossValidate(folds: folds, stopRequest: signals.request)
                summary.crossValidation = crossValidation
                if signals.request.isRequested {
                    // Stopped during the folds: the run itself does not start (its checkpoint would be a step-0 one).
                    summary.status = .interrupted
                    summary.automaticLearningRate = crossValidation.interruptedChoice
                    summary.message = "interrupted (\(signals.request.reason ?? "stop requested")) during cross-validation after "
                        + "\(crossValidation.folds.count) of \(folds) folds (a fold cut short is left out): the run itself was not trained"
                    if !json { print("Interrupted (\(signals.request.reason ?? "stop requested")) during cross-validation: the run itself was not trained") }
                } else {
                    var final = self
                    final.schedule = scheduleText
                    final.learningRateOption = .fixed(crossValidation.medianLearningRate)
                    summary.learningRate = crossValidation.medianLearningRate
                    if !json { print(String(format: "Training the model at the folds' median rate %.3g", crossValidation.medianLearningRate)) }
                    try final.train(&summary, stopRequest: signals.request, job: job)
                }
            } else {
                try startingOverIfNothingWasTrained(job: job).train(&summary, stopRequest: signals.request, job: job)
            }
        } catch {
            if let trainingError = error as? TrainingError, case .diverged = trainingError { summary.status = .diverged } else { summary.status = .failed }
            let error = Self.namingWeightDecay(error, diagnosis: summary.diagnosis, weightDecay: weightDecay)
            summary.message = CommandFailure.bounded((error as? ValidationError)?.message ?? "\(error)")
            summary.seconds = Date().timeIntervalSince(started)
            if json { StandardOutput.writeLast(summary.line() + "\n") }
            if error is ValidationError || error is ExitCode { throw error }
            let rank = job.size > 1 ? "rank \(job.communicator.rank): " : ""
            StandardOutput.error("error: \(rank)\(CommandFailure.bounded("\(error)"))\n")
            job.end(after: error)   // a failure of this process alone ends the whole job
            throw ExitCode(1)
        }
        summary.seconds = Date().timeIntervalSince(started)
        if json { StandardOutput.writeLast(summary.line() + "\n") }
        if summary.status == .interrupted, let status = signals.exitStatus { throw ExitCode(status) }
    }

    /// Everything `run` does but the summary's last line and the exit status; fills `summary` as it goes.
    private func train(_ summary: inout TrainSummary, stopRequest: StopRequest, job: DataParallelJob) throws {
        let checkpointPath = try checkpointDirectory.map(Self.prepareCheckpointDirectory)
        // One run at a time in a checkpoint directory: a second one fails here, naming the first. Under mpirun
        // the job's rank 0 holds it for the job (only it writes the checkpoint).
        let lock = try job.communicator.isPrimary ? checkpointDirectory.map(Self.lockCheckpointDirectory) : nil
        defer { lock?.release() }
        // Only rank 0 reads the checkpoint (and broadcasts it): the other hosts need no copy.
        if resume, job.communicator.isPrimary, let checkpointPath, !FileManager.default.fileExists(atPath: checkpointPath) {
            let before = FileManager.default.fileExists(atPath: URL(fileURLWithPath: checkpointPath).deletingLastPathComponent()
                .appendingPathComponent(Self.interruptedBeforeTrainingFileName).path)
            throw TrainingError.invalidCheckpoint("--resume: there is no checkpoint in \(checkpointDirectory ?? "") (no \(checkpointPath))"
                + (before ? "; the run there was stopped before it trained: run it again without --resume" : ""))
        }
        var spec = try specification()
        let initialFile = try initWeights.map { try ModelFile.loadVerified(path: $0) }
        let setup = try TrainingSetup(spec, savedCard: initialFile?.card)
        let (split, objective, model) = (setup.split, setup.objective, setup.model)
        summary.metricName = objective.metricName
        if let initialFile { try loadInitialWeights(initialFile, into: setup) }

        // Written so that a huge --batch-size or --epochs cannot overflow.
        let (globalBatch, batchOverflow) = data.batchSize.multipliedReportingOverflow(by: job.size)
        guard !batchOverflow else { throw ValidationError("--batch-size \(data.batchSize) × \(job.size) processes overflows") }
        let (fullBatches, remainder) = split.train.count.quotientAndRemainder(dividingBy: globalBatch)
        let stepsPerEpoch = fullBatches + (remainder == 0 ? 0 : 1)
        let (totalSteps, overflow) = stepsPerEpoch.multipliedReportingOverflow(by: epochs)
        guard !overflow, totalSteps <= ScheduleParser.maximumTotalSteps else {
            throw ValidationError("--epochs \(epochs): \(epochs) epochs of \(stepsPerEpoch) steps is more steps than a schedule can count (10^15)")
        }
        var trainingConfiguration = TrainingConfiguration(epochs: epochs, batchSize: data.batchSize, seed: data.seed)
        trainingConfiguration.noiseScaleInterval = trackNoiseScale
        trainingConfiguration.earlyStoppingPatience = patience
        trainingConfiguration.classWeights = DataModelOptions<Self>.classWeights(spec, for: setup)
        if noGuard { trainingConfiguration.divergenceGuard = nil }
        // --learning-rate auto: a range test on the training part, then a race on validation loss (TrainCommand+Auto).
        // Under mpirun it searches at the global batch (as one process with batch N·B), and every process takes rank 0's rate.
        var searchConfiguration = trainingConfiguration
        searchConfiguration.batchSize = globalBatch
        var decision = try resolveLearningRate(setup: setup, totalSteps: totalSteps, configuration: searchConfiguration,
                                               stopRequest: stopRequest)
        if job.size > 1 {
            // Rank 0's rate, and whether a signal stopped its choice (then every process ends here with it).
            var rate = [decision.rate, decision.choice?.interruption == nil ? 0 : 1]
            try job.communicator.broadcast(&rate, from: 0)
            decision.rate = rate[0]
            decision.choice?.learningRate = rate[0]
            let own = decision.choice?.interruption
            decision.choice?.interruption = rate[1] == 0 ? nil
                : own ?? .init(stage: .rangeTest, sweepIterations: nil, reason: stopRequest.reason)
        }
        if let choice = decision.choice, choice.interruption != nil {
            return try endBeforeTraining(choice, summary: &summary, checkpointPath: job.communicator.isPrimary ? checkpointPath : nil,
                                         stopRequest: stopRequest)
        }
        let (chosenRate, automatic) = (decision.rate, decision.choice)
        summary.automaticLearningRate = automatic
        summary.trivialValidationLoss = split.validation.count > 0 ? TrivialBaseline(for: split.validation).loss : nil
        if automatic?.keepsBestEpoch == true, patience == nil { trainingConfiguration.keepsBestWeights = true }
        if spec.learningRate.isAutomatic { spec.learningRate = .automatic(chosen: chosenRate) }
        if let saveConfig {
            try SpecificationFile.write(spec, to: saveConfig)
            if !json { print("Saved the run's settings to \(saveConfig) (run it again with descent train --config \(saveConfig))") }
        }
        // Under mpirun the rate follows the global batch (an automatic rate was searched at it already).
        var scheduleText = self.scheduleText
        var baseRate = chosenRate
        if job.size > 1 {
            let plan = RateScalingPlan.make(
                rule: automatic != nil ? .none : (scaleRate ?? RateScaling.standard(for: optimizer.family)), processes: job.size,
                batchSize: data.batchSize, baseLearningRate: chosenRate, hasWarmup: Self.scheduleHasWarmup(scheduleText),
                stepsPerEpoch: stepsPerEpoch, epochs: epochs,
                reason: automatic != nil ? "the automatic rate was searched at the global batch" : nil)
            if let warmup = plan.warmupSteps { scheduleText = "warmup(\(warmup)) >> \(scheduleText)" }
            baseRate = plan.learningRate
            summary.rateScaling = plan
            if !json { print(plan.line) }
        }
        summary.worldSize = job.size
        summary.globalBatchSize = globalBatch
        summary.learningRate = baseRate
        let parsed = try Self.parseSchedule(scheduleText, totalSteps: totalSteps, baseLearningRate: baseRate)
        trainingConfiguration.measuresGradientNorm = outputs.logPath != nil || outputs.tensorboardDirectory != nil
        trainingConfiguration.sharpnessTracking = try trackSharpness.map { try SharpnessTracking(interval: $0) }
        let settings = runSettings(schedule: parsed, totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch, baseRate: baseRate)
        let observers = TrainingObservers(options: outputs, json: json, baseline: TrivialBaseline(for: split.validation),
                                          epochs: epochs, stepsPerEpoch: stepsPerEpoch,
                                          momentum: parsed.cyclesMomentum ? { parsed.momentum(at: $0) } : nil, settings: settings)
        var run = TrainRun(command: self, specification: spec, trainer: Trainer(configuration: trainingConfiguration, communicator: job.communicator),
                           model: model, split: split,
                           learningRate: baseRate, schedule: parsed, checkpointPath: checkpointPath, stopRequest: stopRequest,
                           description: runDescription(setup: setup, schedule: parsed, worldSize: job.size),
                           dataIdentity: CheckpointDataIdentity(setup: setup), observers: observers)
        // Under mpirun the race's winner is not gone on from: each process raced alone; the job starts fresh at rank 0's rate.
        run.raceCheckpoint = job.size > 1 ? nil : decision.raceCheckpoint

        summary.tabular = TabularRunNotes(setup: setup, classWeights: trainingConfiguration.classWeights)
        if !json {
            for line in summary.tabular?.lines ?? [] { print(line) }
            print("Training on \(setup.dataSummary)")
            print("Model: \(setup.architecture), \(model.parameterCount) parameters; optimizer \(optimizer.rawValue); schedule \(parsed)"
                + (reduceOnPlateau ? " × reduce-on-plateau(patience \(plateauPatience), factor \(plateauFactor))" : ""))
        }
        var curves = TrainingCurves(baseline: TrivialBaseline(for: split.validation), settings: settings)
        let rerun = DiagnosisText.Rerun(arguments: CommandLine.arguments, checkpointed: checkpointPath != nil)
        let outcome: TrainingOutcome
        do {
            outcome = try run.fit(optimizer, momentum: momentum, &curves)
            try observers.finish(status: outcome.status.rawValue)
        } catch {
            let diverged = if let error = error as? TrainingError, case .diverged = error { true } else { false }
            try? observers.finish(status: diverged ? "diverged" : "failed", after: error)
            if let error = error as? TrainingError {
                // The guard gave up: say so in words before the error ends the command.
                curves.record(error)
                if !json, curves.finalDivergence != nil { printDiagnosis(diagnose(curves), rerun: rerun) }
            }
            summary.history = curves.epochs
            summary.rollbacks = curves.rollbacks.count
            summary.diagnosis = curves.epochs.isEmpty && curves.finalDivergence == nil ? nil : diagnose(curves)
            summary.rerun = rerun
            summary.sharpness = curves.sharpness
            // A failed run's report still shows how it failed (the loss up to the divergence, the rollbacks).
            if let reportPath, (try? writeReport(to: reportPath, setup: setup, schedule: parsed, stepsPerEpoch: stepsPerEpoch,
                                                 history: curves.epochs, curves: curves, failure: error,
                                                 diagnosis: diagnose(curves), rerun: rerun, notes: summary.tabular)) != nil {
                StandardOutput.error("note: wrote the report of the failed run to \(reportPath)\n")
            }
            throw error
        }
        let diagnosis = diagnose(curves)
        summary.status = switch outcome.status {
        case .completed: .completed
        case .stoppedEarly: .stoppedEarly
        case .interrupted: .interrupted
        }
        summary.history = outcome.history
        summary.rollbacks = outcome.rollbacks
        summary.rateScale = outcome.rateScale
        if job.size > 1 { summary.communicationSeconds = outcome.communicationSeconds }
        summary.gradientReduction = outcome.gradientReduction?.rawValue
        summary.noiseScale = outcome.noiseScale
        if let noiseScale = outcome.noiseScale, !json { print(NoiseScaleText.line(noiseScale, globalBatch: globalBatch)) }
        summary.resumedFromEpoch = resume ? outcome.resumedFromEpoch : 0
        summary.keptEpoch = outcome.keptEpoch
        summary.keptValidationLoss = outcome.keptValidationLoss
        if outcome.status == .completed, let kept = outcome.keptEpoch, !json {
            print(String(format: "Kept the weights of epoch %ld, the lowest validation loss (%.4f); the last epoch's was %.4f",
                         kept, outcome.keptValidationLoss ?? .nan, outcome.history.last?.validationLoss ?? .nan))
        }
        summary.diagnosis = diagnosis
        summary.rerun = rerun
        summary.sharpness = curves.sharpness
        if outcome.status == .interrupted, !json {
            print("Interrupted (\(stopRequest.reason ?? "stop requested")) after step \(curves.steps.last?.step ?? 0)"
                + (checkpointPath.map { "; the run is saved in \($0): go on with --resume" } ?? ""))
        }
        // A run stopped before its first epoch ended has only its initial weights: saving them would replace a
        // model already at the path with an untrained one (Ctrl-C half a second in once did).
        if let path = saveWeights, outcome.status == .interrupted, outcome.history.isEmpty {
            StandardOutput.error("note: nothing was saved to \(path): the run was interrupted before its first epoch ended"
                + (FileManager.default.fileExists(atPath: path) ? " (the file there is as it was)" : "") + "\n")
        }
        // A small table: the ensemble's other members (SmallTableEnsemble; TrainCommand+Ensemble), saved with the model.
        let card = modelCard(setup: setup, history: outcome.history, learningRate: baseRate, schedule: parsed, status: summary.status,
                             specification: spec)
        let kept = outcome.keptEpoch.flatMap { epoch in outcome.history.first { $0.epoch == epoch } } ?? outcome.history.last
        let (members, ensembleNote, membersInterrupted) = try trainEnsembleMembers(
            spec: spec, setup: setup, card: card, rate: baseRate, validationMetric: kept?.validationMetric,
            completed: outcome.status != .interrupted, processes: job.size, stopRequest: stopRequest)
        summary.ensemble = ensembleNote
        if membersInterrupted {
            // A signal while the ensemble's members trained: the run's own model is saved alone, and the exit status says so.
            summary.status = .interrupted
            summary.message = "interrupted (\(stopRequest.reason ?? "stop requested")) while the small table's ensemble members "
                + "trained: the run's own model (\(outcome.history.count) epochs) is saved alone"
            if !json { print("Interrupted while the ensemble's members trained: the run's own model is saved alone") }
        }
        if let path = saveWeights, !(outcome.status == .interrupted && outcome.history.isEmpty) {
            try ModelFile.save(model, card: card, members: members, to: path)
            if !json { print("Saved the model to \(path) (use it with descent predict / evaluate --model \(path))") }
        }
        summary.tabular?.addValidationMetrics(model: model, setup: setup)
        report(outcome.history, objective: objective, diagnosis: diagnosis, rerun: rerun, sharpness: curves.sharpness)
        if !json, let metrics = summary.tabular?.metricsLine { print(metrics) }
        if let reportPath {
            try writeReport(to: reportPath, setup: setup, schedule: parsed, stepsPerEpoch: stepsPerEpoch,
                            history: outcome.history, curves: curves, failure: nil, diagnosis: diagnosis, rerun: rerun,
                            automatic: automatic, keptEpoch: outcome.keptEpoch, notes: summary.tabular)
            if !json { print("Wrote the report to \(reportPath)") }
        }
    }

    /// Parses `--schedule`; an error names the flag and points at the column with a caret.
    package static func parseSchedule(_ text: String, totalSteps: Int, baseLearningRate: Double) throws -> AnySchedule {
        do {
            return try ScheduleParser.parse(text, totalSteps: totalSteps, baseLearningRate: baseLearningRate)
        } catch let error as ScheduleError {
            var message = "--schedule: \(error)"
            if let column = error.column {
                message += "\n" + CaretExcerpt.lines(text, column: column).dropLast()
            }
            throw ValidationError(message)
        }
    }

    /// Creates the checkpoint directory if needed and returns the checkpoint file's path; a path that is a
    /// file, or a directory that cannot be written, is a usage error naming it.
    static func prepareCheckpointDirectory(_ directory: String) throws -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ValidationError("--checkpoint-dir: '\(directory)' is a file, not a directory") }
        } else {
            do {
                try DirectoryCreation.create(directory)
            } catch let error as FileWriteError {
                throw ValidationError("--checkpoint-dir: '\(directory)' cannot be created: \(error.reason)")
            }
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw ValidationError("--checkpoint-dir: the directory '\(directory)' is not writable")
        }
        return URL(fileURLWithPath: directory).appendingPathComponent("checkpoint.json").path
    }

    /// Locks the checkpoint directory for this run (`DIR/checkpoint.lock`, released when the run ends,
    /// by the kernel if it is killed); a lock left by a killed run is taken over with a note.
    /// - Throws: `CommandFailure(.failed)` naming the run that holds it (pid, host, start time).
    static func lockCheckpointDirectory(_ directory: String) throws -> DirectoryLock {
        let lock: DirectoryLock
        do {
            lock = try DirectoryLock.acquire(directory: directory, fileName: "checkpoint.lock")
        } catch let error as DirectoryLockError {
            if case let .held(_, holder) = error {
                throw CommandFailure(.failed, "--checkpoint-dir \(directory) is in use by another run ("
                    + (holder.map(\.description) ?? "it has not written who it is yet")
                    + "); wait for it to end, or give another directory")
            }
            throw CommandFailure(.failed, "--checkpoint-dir \(directory): \(error)")
        }
        if let stale = lock.staleHolder {
            FileHandle.standardError.write(Data("note: \(directory) was locked by a run that ended without unlocking it (\(stale)); taken over\n".utf8))
        }
        return lock
    }

    /// The run description's key of the job's number of processes (only when more than one).
    static let worldSizeKey = "world_size"

    /// What this run is, stored in its checkpoints: a resume with other data, model or settings is refused.
    func runDescription(setup: TrainingSetup, schedule: AnySchedule, worldSize: Int = 1) -> [String: String] {
        var description = [
            "model": setup.model.stateDictionary.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.shape)" }.joined(separator: ", "),
            "optimizer": optimizer.rawValue, "learning_rate": "\(learningRate)", "weight_decay": "\(weightDecay)",
            "schedule": "\(schedule)", "batch_size": "\(data.batchSize)", "seed": "\(data.seed)",
            "standardize": "\(!data.noStandardize)", "guard": noGuard ? "off" : "on",
        ]
        // The data by shape and content, not by name (CheckpointDataIdentity).
        description.merge(CheckpointDataIdentity(setup: setup).entries) { _, data in data }
        if optimizer == .sgd { description["momentum"] = "\(momentum)" }
        // The data order depends on the global batch: a job of another size cannot go on from here.
        if worldSize > 1 { description[Self.worldSizeKey] = "\(worldSize)" }
        if reduceOnPlateau { description["reduce_on_plateau"] = "patience \(plateauPatience), factor \(plateauFactor)" }
        return description
    }

    private func report(_ history: [TrainingRecord], objective: Objective, diagnosis: Diagnosis, rerun: DiagnosisText.Rerun,
                        sharpness: [SharpnessMeasurement]) {
        guard let last = history.last, !json else { return }
        let chart = TerminalChart(width: 60, height: 8)
        let firstEpoch = history.first?.epoch ?? 1   // epochs count from 1 (a resumed run's history may start later)
        print(chart.render(history.map(\.trainingLoss), title: "training loss per epoch", firstIndex: firstEpoch))
        if history.contains(where: { $0.validationLoss != nil }) {
            print(chart.render(history.map { $0.validationLoss ?? .nan }, title: "validation loss per epoch", firstIndex: firstEpoch))
        }
        if let metric = last.validationMetric {
            print(String(format: "Final validation %@: %.4f", objective.metricName, metric))
        } else {
            print("No validation part (--validation-fraction 0): no validation \(objective.metricName) to show")
        }
        if let line = SharpnessText.summary(sharpness) { print(line) }
        printDiagnosis(diagnosis, rerun: rerun)
    }

    package init() {}
}

// MARK: - What the curves show

extension TrainCommand {
    /// Prints `Diagnosis: <verdict>`, the evidence as bullets and the advice.
    func printDiagnosis(_ diagnosis: Diagnosis, rerun: DiagnosisText.Rerun? = nil) {
        for line in DiagnosisText.lines(diagnosis, rerun: rerun) { print(line) }
    }

    /// What the diagnosis needs to know of this run to give advice that fits it.
    package func runSettings(schedule: AnySchedule, totalSteps: Int, stepsPerEpoch: Int, baseRate: Double) -> RunSettings {
        // The schedule is independent of the run's length when parsing it for twice the steps gives the same schedule.
        let longer = try? ScheduleParser.parse(scheduleText, totalSteps: Swift.min(totalSteps * 2, ScheduleParser.maximumTotalSteps),
                                               baseLearningRate: baseRate)
        let momentumValue: Double? = switch optimizer {
        case .sgd: momentum
        case .adam, .adamw, .scheduleFreeAdamW, .prodigy: 0.9
        case .rmsprop: nil
        }
        var settings = RunSettings(optimizer: optimizer.rawValue, family: optimizer.family, momentum: momentumValue, learningRate: baseRate,
                           schedule: schedule, totalSteps: totalSteps, lengthIndependent: longer.map { "\($0)" == "\(schedule)" } ?? false,
                           epochs: epochs, stepsPerEpoch: stepsPerEpoch, guardOn: !noGuard)
        settings.learningRateChosenAutomatically = learningRate == .automatic
        settings.weightDecay = weightDecay
        return settings
    }
}
