import ArgumentParser
import DescentCLIShared
import DescentCLITrain
import DescentData
import DescentOptim
import DescentSchedules
import DescentTensor
import DescentTrain
import DescentTune
import Foundation

extension TuneCommand {
    package func run() async throws {
        var signalStatus: Int32?
        try await FailureJSON.run(json: json) { signalStatus = try tune() }
        // After the summary (with --json its one object is the last line): 130 after SIGINT, 143 after SIGTERM,
        // 1 when a worker process died.
        if let signalStatus { throw ExitCode(signalStatus) }
    }

    /// Runs the study; returns the exit status of the signal that interrupted it, if one did, or 1 when a
    /// worker process died (after the summary).
    private func tune() throws -> Int32? {
        let space = try searchSpace()
        if let saveConfig, !isWorker { try SpecificationFile.write(try specification(), to: saveConfig) }
        let storage: any StudyStorage
        let study: Study
        do {
            storage = try StudyStorageOption.open(self.storage)
            study = try Study(name: self.study, space: space, configuration: try studyConfiguration(space), storage: storage,
                              sampler: makeSampler(), pruner: makePruner())
        } catch let error as StudyStorageError {
            throw failWork(error.description)
        }
        try checkIdentity(of: study, space: space)
        study.heartbeatInterval = heartbeatInterval
        study.gracePeriod = gracePeriod
        let showProgress = !json && !isWorker && isatty(STDOUT_FILENO) != 0
        Parallel.threadCount = threadsPerWorker
        // Ctrl-C (SIGINT) or SIGTERM: the trial in progress ends as failed ("interrupted"), no new trial
        // starts, worker processes are asked to stop the same way, the summary is printed, exit 130/143.
        let signals = SignalStop(json: json)
        defer { signals.restore() }
        // A worker started by a parent stops when the parent ends (the pipe on its standard input closes).
        if isWorker { Self.watchParent(signals.request) }
        let start = Date()
        var workerFailures: [String] = []
        do {
            if workers > 1 && !isWorker {
                // Load the data here first, so a bad --csv is one clear error, not one per worker.
                let setup = try makeSetup()
                if showProgress { print("Tuning on \(setup.dataSummary) with \(workers) worker processes; study '\(self.study)' in \(StudyStorageOption.display(self.storage))") }
                workerFailures = try runWorkerProcesses(study: study, showProgress: showProgress, stop: signals.request)
            } else {
                try runWorker(study: study, space: space, showProgress: showProgress, stop: signals.request)
            }
        } catch let error as StudyStorageError {
            throw failWork(error.description)
        }
        // A dead worker fails the command after the summary (its one JSON object says so), with status 1;
        // so does a study whose every trial failed (`hidden=choice(1000000000)` once ended "completed", status 0).
        if !isWorker, signals.request.reason == nil, let everyTrial = try everyTrialFailed(study) { workerFailures.append(everyTrial) }
        let failure = workerFailures.isEmpty ? nil : workerFailures.joined(separator: "; ")
        if !isWorker {
            try printSummary(study: study, seconds: Date().timeIntervalSince(start), interrupted: signals.request.reason, failure: failure)
        }
        if let failure {
            FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
            return signals.exitStatus ?? 1
        }
        return signals.exitStatus
    }

    /// When the study holds trials and every one failed: a sentence with the last one's error; nil otherwise.
    func everyTrialFailed(_ study: Study) throws -> String? {
        let trials: [TrialRecord]
        do { trials = try study.trials() } catch let error as StudyStorageError { throw failWork(error.description) }
        guard let last = trials.max(by: { $0.number < $1.number }), trials.allSatisfy({ $0.state == .failed }) else { return nil }
        return "every trial of the study failed (\(trials.count)); trial #\(last.number): " + Self.firstLine(last.message ?? "no message")
    }

    /// A trial's stored error as one line (our own messages; at most 500 characters).
    static func firstLine(_ message: String) -> String {
        let line = message.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return line.count > 500 ? String(line.prefix(499)) + "…" : line
    }

    /// The run every trial starts from: the data, preprocessing and model flags, the optimizer, rate, weight
    /// decay and momentum when not searched, and the epochs; each trial sets its parameters on it.
    package func specification() throws -> RunSpecification {
        var spec = RunSpecification()
        try data.apply(to: &spec)
        spec.optimizer = optimizer
        spec.learningRate = .fixed(learningRate)
        spec.weightDecay = weightDecay
        spec.momentum = momentum
        spec.epochs = epochs
        return spec
    }

    /// A `--config` run's data, preprocessing, model, optimizer, rate (when a number), weight decay, momentum and
    /// epochs on this command: the run every trial starts from.
    package mutating func take(_ spec: RunSpecification) {
        data.take(spec)
        optimizer = spec.optimizer
        if case let .fixed(rate) = spec.learningRate { learningRate = rate }
        weightDecay = spec.weightDecay
        momentum = spec.momentum
        epochs = spec.epochs
    }

    /// The run of a trial: the study's run with the trial's parameters set on it.
    package func specification(for parameters: [String: ParameterValue]) throws -> RunSpecification {
        var spec = try specification()
        for name in parameters.keys.sorted() {
            guard let value = parameters[name] else { continue }
            try Self.apply(value, to: name, in: &spec)
        }
        return spec
    }

    /// What identifies the study: its search space, sampler and pruner, and every field of the run that shapes
    /// a trial (not --trials, workers, outputs or timeouts), as a JSON object; a resumed study must be run with the same.
    func studyConfiguration(_ space: SearchSpace) throws -> String {
        var identity: [String: String] = ["search": space.textForm, "sampler": sampler.rawValue, "pruner": pruner.rawValue]
        // Another grid is another study.
        if sampler == .grid { identity["grid_points"] = "\(gridPoints)" }
        if pruner == .median { identity["warmup_epochs"] = "\(warmupEpochs)"; identity["startup_trials"] = "\(startupTrials)" }
        if pruner == .asha {
            identity["reduction_factor"] = "\(reductionFactor)"
            identity["minimum_resource"] = minimumResource.map(String.init) ?? "auto"
        }
        let spec = try specification()
        let searched = Set(space.parameters.map(\.name))
        for field in RunSpecification.fields where [.shapesTheRun, .length].contains(field.role) && !searched.contains(field.key) {
            if let value = spec.value(of: field.key) { identity[field.key] = value.description }
        }
        let data = try JSONSerialization.data(withJSONObject: identity, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// How a study's setup was identified before the run specification (search, sampler, pruner, epochs and the data
    /// source only): a study created then resumes when these agree.
    func legacyStudyConfiguration(_ space: SearchSpace) -> String {
        var parts = ["search=\(space.textForm)", "sampler=\(sampler.rawValue)", "pruner=\(pruner.rawValue)", "epochs=\(epochs)"]
        if sampler == .grid && gridPoints != GridSampler.defaultPointsPerRange { parts.append("grid_points=\(gridPoints)") }
        parts.append(data.dataset.map { "dataset=\($0)" } ?? "csv=\(data.csv ?? "")")
        if let target = data.target { parts.append("target=\(target)") }
        return parts.joined(separator: " ")
    }

    /// Refuses to resume a study with a setup other than the one it was created with, naming the first field that differs.
    func checkIdentity(of study: Study, space: SearchSpace) throws {
        let mine = try studyConfiguration(space)
        let stored = study.record.configuration
        guard stored != mine, stored != legacyStudyConfiguration(space) else { return }
        let where_ = "the study '\(self.study)' in \(StudyStorageOption.display(self.storage))"
        guard let theirs = (try? JSONSerialization.jsonObject(with: Data(stored.utf8))) as? [String: String],
              let ours = (try? JSONSerialization.jsonObject(with: Data(mine.utf8))) as? [String: String] else {
            throw failWork("\(where_) was created with another setup (\(CaretExcerpt.cut(stored))); resume it with the same flags, "
                + "or choose another --study")
        }
        // A field the stored identity lacks (added to runs after the study was made) matches when it is at its default.
        let defaults = RunSpecification()
        let added = Set(ours.keys).subtracting(theirs.keys).filter { ours[$0] == defaults.value(of: $0)?.description }
        let first = ["search", "sampler", "pruner"]
        let keys = first + Set(theirs.keys).union(ours.keys).subtracting(first).subtracting(added).sorted()
        guard let key = keys.first(where: { theirs[$0] != ours[$0] }) else { return }
        let flag = "--" + key.replacingOccurrences(of: "_", with: "-")
        throw failWork("\(where_) was created with another setup: \(flag) is \(CaretExcerpt.cut(theirs[key] ?? "not set")) there, "
            + "\(CaretExcerpt.cut(ours[key] ?? "not set")) here (everything that shapes a trial identifies the study); resume it "
            + "with the same flags, or choose another --study")
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

    /// The setup of the study's specification (a raw table goes through the preprocessing the flags ask for).
    func makeSetup() throws -> TrainingSetup { try TrainingSetup(try specification()) }

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
            // Why a trial failed, whether or not progress is shown (it was said nowhere but `study export`).
            if trial.state == .failed, let message = trial.message {
                FileHandle.standardError.write(Data("note: trial #\(trial.number) failed: \(Self.firstLine(message))\n".utf8))
            }
        }, stopRequested: { stop.isRequested }) { trial in
            try train(trial, data: setup.preprocessing == nil ? setup.data : nil, pause: pause, stop: stop)
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

    /// Trains one trial — exactly the `descent train` run of its specification (the same setup, schedule,
    /// optimizer, controllers and trainer) — and returns its final validation loss, reporting each epoch's to the pruner.
    private func train(_ trial: TrialContext, data: Dataset?, pause: Double, stop: StopRequest) throws -> Double {
        let spec = try specification(for: trial.parameters)
        // The data source is never searched: the worker's data, read once, with this trial's split, scaling and model.
        // A raw table (data nil) is read again: its preprocessing is fitted on each trial's own training part.
        let setup = try TrainingSetup(spec, loaded: data)
        let (_, totalSteps) = try RunAssembly.steps(spec, trainingExamples: setup.split.train.count)
        let rate = spec.learningRate.value ?? learningRate
        let schedule = try TrainCommand.parseSchedule(spec.scheduleText, totalSteps: totalSteps, baseLearningRate: rate)
        var configuration = spec.trainingConfiguration
        configuration.classWeights = DataModelOptions<TuneCommand>.classWeights(spec, for: setup)
        let fit = TrialFit(trainer: Trainer(configuration: configuration), spec: spec, setup: setup, rate: rate,
                           schedule: schedule, trial: trial, pause: pause, stop: stop)
        return try spec.optimizer.withRule(fit, momentum: spec.momentum)
    }

    /// One trial's training with the rule its parameters chose: the final validation loss,
    /// each epoch's reported to the trial (which may throw `TrialPruned`).
    struct TrialFit: OptimizerRuleTask {
        let trainer: Trainer, spec: RunSpecification, setup: TrainingSetup, rate: Double, schedule: AnySchedule
        let trial: TrialContext
        /// Seconds to sleep after each epoch (a test hook).
        let pause: Double
        /// Set by SIGINT/SIGTERM: the trial ends after the step in progress.
        let stop: StopRequest

        package func run<Rule: OptimizerRule>(_ rule: Rule) throws -> Double {
            var optimizer = try RunAssembly.optimizer(rule, spec, rate: rate, schedule: schedule)
            let outcome = try trainer.run(setup.model, optimizer: &optimizer, training: setup.split.train,
                                          validation: setup.split.validation, observe: { event in
                if let reason = stop.reason { throw TrialInterrupted(reason: reason) }
                guard case let .epochEnded(record) = event else { return }
                try trial.report(step: record.epoch, value: record.validationLoss ?? .nan)
                // In slices, so a stop request (a signal, the parent's end) is not kept waiting by the test hook.
                let resume = Date().addingTimeInterval(pause)
                while pause > 0, stop.reason == nil, Date() < resume { Thread.sleep(forTimeInterval: min(0.05, pause)) }
            })
            return outcome.history.last?.validationLoss ?? .nan
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
