import ArgumentParser
import Descent
import DescentTune
import Foundation

extension TuneCommand {
    func run() async throws {
        var signalStatus: Int32?
        try await FailureJSON.run(json: json) { signalStatus = try tune() }
        // After the summary (with --json its one object is the last line): 130 after SIGINT, 143 after SIGTERM.
        if let signalStatus { throw ExitCode(signalStatus) }
    }

    /// Runs the study; returns the exit status of the signal that interrupted it, if one did.
    private func tune() throws -> Int32? {
        let space = try searchSpace()
        let storage: any StudyStorage
        let study: Study
        do {
            storage = try StudyStorageOption.open(self.storage)
            study = try Study(name: self.study, space: space, configuration: studyConfiguration(space), storage: storage,
                              sampler: makeSampler(), pruner: makePruner())
        } catch let error as StudyStorageError {
            throw failWork(error.description)
        }
        if study.record.configuration != studyConfiguration(space) {
            throw failWork("the study '\(self.study)' in \(StudyStorageOption.display(self.storage)) was created with another setup "
                + "(\(study.record.configuration)); resume it with the same flags, or choose another --study")
        }
        study.heartbeatInterval = heartbeatInterval
        study.gracePeriod = gracePeriod
        let showProgress = !json && !isWorker && isatty(STDOUT_FILENO) != 0
        Parallel.threadCount = threadsPerWorker
        // Ctrl-C (SIGINT) or SIGTERM: the trial in progress ends as failed ("interrupted"), no new trial
        // starts, worker processes are asked to stop the same way, the summary is printed, exit 130/143.
        let signals = SignalStop(json: json)
        defer { signals.restore() }
        let start = Date()
        do {
            if workers > 1 && !isWorker {
                // Load the data here first, so a bad --csv is one clear error, not one per worker.
                let setup = try makeSetup()
                if showProgress { print("Tuning on \(setup.dataSummary) with \(workers) worker processes; study '\(self.study)' in \(StudyStorageOption.display(self.storage))") }
                try runWorkerProcesses(study: study, showProgress: showProgress, stop: signals.request)
            } else {
                try runWorker(study: study, space: space, showProgress: showProgress, stop: signals.request)
            }
        } catch let error as StudyStorageError {
            throw failWork(error.description)
        }
        if !isWorker {
            try printSummary(study: study, seconds: Date().timeIntervalSince(start), interrupted: signals.request.reason)
        }
        return signals.exitStatus
    }

    /// What identifies the study's setup: a resumed study must be run with the same.
    func studyConfiguration(_ space: SearchSpace) -> String {
        var parts = ["search=\(space.textForm)", "sampler=\(sampler.rawValue)", "pruner=\(pruner.rawValue)", "epochs=\(epochs)"]
        // Another grid is another study (the default's studies, made before the option, keep their text).
        if sampler == .grid && gridPoints != GridSampler.defaultPointsPerRange { parts.append("grid_points=\(gridPoints)") }
        parts.append(data.dataset.map { "dataset=\($0)" } ?? "csv=\(data.csv ?? "")")
        if let target = data.target { parts.append("target=\(target)") }
        return parts.joined(separator: " ")
    }

    func makeSampler() -> any Sampler {
        switch sampler {
        case .random: return RandomSampler(seed: data.seed)
        case .grid: return GridSampler(seed: data.seed, pointsPerRange: gridPoints)
        case .tpe: return TPESampler(seed: data.seed)
        }
    }

    func makePruner() -> any Pruner {
        switch pruner {
        case .none: return NoPruner()
        case .median: return MedianPruner(startupTrials: startupTrials, warmupSteps: warmupEpochs)
        case .asha: return SuccessiveHalvingPruner(minimumResource: minimumResource, reductionFactor: reductionFactor)
        }
    }

    func makeSetup() throws -> TrainingSetup {
        try TrainingSetup(dataset: data.dataset, csv: data.csv, target: data.target, task: data.task, hidden: try TrainingSetup.hiddenSizes(data.hidden),
                          validationFraction: data.validationFraction, standardize: !data.noStandardize, seed: data.seed,
                          batchSize: data.batchSize, tabular: data.tabularOptions)
    }

    /// This process's worker loop: load the data once, then train trial after trial.
    private func runWorker(study: Study, space: SearchSpace, showProgress: Bool, stop: StopRequest) throws {
        let setup = try makeSetup()
        if showProgress { print("Tuning on \(setup.dataSummary); study '\(self.study)' in \(StudyStorageOption.display(storage))") }
        // A test hook: seconds to sleep after each epoch, so a test can kill a worker mid-trial.
        let pause = ProcessInfo.processInfo.environment["DESCENT_TUNE_EPOCH_PAUSE"].flatMap(Double.init) ?? 0
        var best: Double?
        try study.optimize(trials: trials, finished: { trial in
            if trial.state == .complete, let value = trial.value, best.map({ value < $0 }) ?? true { best = value }
            if showProgress { print(Self.progressLine(trial, total: trials, best: best)) }
        }, stopRequested: { stop.isRequested }) { trial in
            try train(trial, setup: setup, pause: pause, stop: stop)
        }
    }

    /// One line per finished trial: `trial 3/50 complete 0.1234 (best 0.0912) learning_rate=0.0012`.
    static func progressLine(_ trial: TrialRecord, total: Int, best: Double?) -> String {
        let value = trial.value.map { String(format: "%.4f", $0) } ?? trial.lastStep.map { "at epoch \($0)" } ?? ""
        let parameters = trial.parameters.keys.sorted().map { name -> String in
            if case let .float(x) = trial.parameters[name]! { return "\(name)=" + String(format: "%.4g", x) }
            return "\(name)=\(trial.parameters[name]!)"
        }.joined(separator: " ")
        return "trial \(trial.number + 1)/\(total) \(trial.state.rawValue) \(value)"
            + (best.map { String(format: " (best %.4f)", $0) } ?? "") + "  \(parameters)"
    }

    /// Trains one trial and returns its final validation loss, reporting each epoch's to the pruner.
    private func train(_ trial: TrialContext, setup: TrainingSetup, pause: Double, stop: StopRequest) throws -> Double {
        let parameters = trial.parameters
        let batchSize = parameters["batch_size"].flatMap { Self.integer($0) } ?? data.batchSize
        var hidden = try TrainingSetup.hiddenSizes(data.hidden)
        if let width = parameters["hidden"].flatMap({ Self.integer($0) }) { hidden = [width] }
        let rate = parameters["learning_rate"]?.number ?? Double(parameters["learning_rate"]?.description ?? "") ?? learningRate
        let decay = parameters["weight_decay"]?.number ?? Double(parameters["weight_decay"]?.description ?? "") ?? weightDecay
        let momentum = parameters["momentum"]?.number ?? Double(parameters["momentum"]?.description ?? "") ?? self.momentum
        let choice = parameters["optimizer"].flatMap { OptimizerChoice(rawValue: $0.description) } ?? optimizer
        var generator = SeededGenerator(seed: data.seed)
        var architecture = setup.modelArchitecture
        architecture.hiddenSizes = hidden
        let model = try architecture.makeModel(using: &generator)
        var configuration = TrainingConfiguration(epochs: epochs, batchSize: batchSize, seed: data.seed)
        configuration.classWeights = data.classWeights(for: setup)
        let trainer = Trainer(configuration: configuration)
        let fit = TrialFit(trainer: trainer, model: model, setup: setup, trial: trial, settings: OptimizerSettings(
            learningRate: rate, weightDecay: decay, momentum: momentum), pause: pause, stop: stop)
        return try choice.perform(fit, with: fit.settings)
    }

    /// One trial's training with the optimizer its parameters chose: the final validation loss,
    /// each epoch's reported to the trial (which may throw `TrialPruned`).
    struct TrialFit: OptimizerTask {
        let trainer: Trainer, model: Sequential, setup: TrainingSetup, trial: TrialContext
        let settings: OptimizerSettings
        /// Seconds to sleep after each epoch (a test hook).
        let pause: Double
        /// Set by SIGINT/SIGTERM: the trial ends after the step in progress.
        let stop: StopRequest

        func run<Rule: OptimizerRule>(_ optimizer: Optimizer<Rule>) throws -> Double {
            var optimizer = optimizer
            let history = try trainer.fit(model, optimizer: &optimizer, training: setup.split.train, validation: setup.split.validation) { event in
                if let reason = stop.reason { throw TrialInterrupted(reason: reason) }
                guard case let .epochEnded(record) = event else { return }
                try trial.report(step: record.epoch, value: record.validationLoss ?? .nan)
                if pause > 0 { Thread.sleep(forTimeInterval: pause) }
            }
            return history.last?.validationLoss ?? .nan
        }
    }

    /// A trial ended by a signal: stored as failed with this message.
    struct TrialInterrupted: Error, CustomStringConvertible {
        let reason: String
        var description: String { "interrupted by \(reason)" }
    }

    static func integer(_ value: ParameterValue) -> Int? {
        switch value {
        case let .int(x): return x
        case let .float(x): return Int(exactly: x.rounded())
        case let .choice(x): return Int(x)
        }
    }
}
