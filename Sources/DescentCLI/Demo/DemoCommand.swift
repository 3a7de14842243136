import ArgumentParser
import Descent
import Foundation

/// `descent demo`: the tour of what Descent does with the learning rate, on the bundled digits.
///
/// 1. a range test (terminal chart, suggestions, confidence);
/// 2. training at the rate `AutomaticLearningRate` chose from it for this run's budget (one-cycle peaking there);
/// 3. a short run at 10× that rate, caught and corrected by the divergence guard;
/// 4. the diagnosis of both runs;
/// 5. `DIR/index.html` linking the training reports, the range-test report and an explorer page.
///
/// ```
/// $ swift run -c release descent demo
/// Descent demo on digits: 1438 training and 359 validation examples, 64 features, 10 classes
/// 1. Range test: ... chosen automatically for 540 steps: …
/// 2. Training for 12 epochs, one-cycle peaking there … final validation accuracy: 0.97…
/// 3. The same model at 10× that rate: step …: the loss … blew up; the guard rolled back and scaled the rate down
/// 4. Diagnosis ...
/// Open descent-demo/index.html
/// ```
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A tour on the bundled digits: range test, training at the chosen rate, a 10× run caught by the guard, reports.",
        discussion: """
        Writes index.html, training.html, training-10x.html, range-test.html and explorer.html into --out \
        (created if missing; existing files are replaced whole). The model is the MLP 64-32-10 trained by SGD \
        with momentum 0.9, minibatches of 32, seed 0. With --json the last line is {"out":…,"chosen_learning_rate":…,\
        "range_test":{…},"training":{…},"guarded_run":{…},"pages":[…]}.
        """
    )

    @Option(help: "The directory to write the pages to.")
    var out: String = "descent-demo"
    @Option(help: "Epochs of the main run.")
    var epochs: Int = 12
    @Flag(help: "Print a JSON summary as the last line.")
    var json = false

    static let hidden = [32]
    static let momentum = 0.9
    static let batchSize = 32
    static let guardedEpochs = 3
    static let guardedSchedule = "warmup(20) >> constant"
    static let pages = ["index.html", "training.html", "training-10x.html", "range-test.html", "explorer.html"]

    func validate() throws {
        guard (1...1_000).contains(epochs) else { throw ValidationError("--epochs must be between 1 and 1000, got \(epochs)") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ValidationError("--out: '\(out)' is a file; give a directory for the pages") }
            guard FileManager.default.isWritableFile(atPath: out) else { throw ValidationError("--out: the directory '\(out)' is not writable") }
            for page in Self.pages {
                let path = (out as NSString).appendingPathComponent(page)
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                    throw ValidationError("--out: '\(path)' is a directory, so the page cannot be written there")
                }
            }
        } else {
            let parent = URL(fileURLWithPath: out).deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--out: the directory '\(parent)' that would hold '\(out)' does not exist")
            }
            guard FileManager.default.isWritableFile(atPath: parent) else {
                throw ValidationError("--out: cannot create '\(out)': the directory '\(parent)' is not writable")
            }
        }
    }

    func run() async throws {
        // With --json a failure (a page that cannot be written on a full disk) still ends with one object.
        try await FailureJSON.run(json: json) { try runDemo() }
    }

    /// The demo's run: the digits, a 64-32-10 MLP, SGD with momentum 0.9, batches of 32, seed 0, an automatic rate on one-cycle.
    static func specification(epochs: Int) -> RunSpecification {
        var spec = RunSpecification(dataset: "digits")
        spec.hidden = hidden
        spec.optimizer = .sgd
        spec.momentum = momentum
        spec.batchSize = batchSize
        spec.learningRate = .automatic(chosen: nil)
        spec.epochs = epochs
        return spec
    }

    /// Prints unless `--json`.
    func say(_ text: String = "") { if !json { print(text) } }

    private func runDemo() throws {
        let started = Date()
        let setup = try TrainingSetup(Self.specification(epochs: epochs))
        say("Descent demo on \(setup.dataSummary)")
        say("Model: \(setup.model.parameterCount) parameters (64-32-10 MLP); optimizer SGD with momentum \(Self.momentum)")
        say()

        // 1. The range test, and the rate chosen from it for this run's budget.
        let stepsPerEpoch = (setup.split.train.count + Self.batchSize - 1) / Self.batchSize
        let budget = AutomaticLearningRate.Budget(totalSteps: epochs * stepsPerEpoch, batchSize: Self.batchSize,
                                                  family: .momentumSGD, momentum: Self.momentum)
        let sweep = try AutomaticLearningRate.sweep(for: budget, trainingExamples: setup.split.train.count, seed: 0)
        say("1. Range test: one minibatch per step while the rate grows from \(Self.rate(sweep.test.startLearningRate)) "
            + "to \(Self.rate(sweep.test.endLearningRate))" + (sweep.repeats > 1 ? ", \(sweep.repeats) reshuffles" : ""))
        let rangeModel = try TrainingSetup(Self.specification(epochs: epochs)).model
        let repeated = try sweep.run(rangeModel, optimizer: try Optimizer(SGD(momentum: Self.momentum), learningRate: 1e-6),
                                     data: setup.split.train)
        let ceiling = try? StabilityCeiling.estimate(model: rangeModel, data: setup.split.train, seed: 0)
        let result = repeated.results[repeated.representative]
        let shown = Swift.max(1, result.iterationsRun - RangeTestReport.trailingPointsHidden)
        say(TerminalChart(width: 60, height: 10).render(Array(result.smoothedLosses.prefix(shown)),
                                                        title: "smoothed loss by iteration (the rate grows ×10 every 12.5 iterations)"))
        for (name, rate) in repeated.medians?.named ?? [] { say("   \(name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(Self.rate(rate))") }
        say("   confidence \(repeated.confidence.level.rawValue): \(repeated.confidence.reasons.first ?? "")")
        if let ceilingRate = ceiling?.learningRate(momentum: Self.momentum) {
            say("   stability ceiling measured at the start: 2(1 + β)/λmax = \(Self.rate(ceilingRate)) (λmax \(ChartNumberFormat.value(ceiling!.lambdaMax)) "
                + "at the starting weights; sharpness grows as training goes, so later the edge is lower)")
        }
        let automatic = AutomaticLearningRate.choose(from: repeated, budget: budget, ceiling: ceiling)
        let choice = (rate: automatic.learningRate, reason: "chosen automatically (\(automatic.source.rawValue)): \(automatic.rule)")
        guard choice.rate.isFinite, choice.rate > 0 else {
            throw DemoError("no usable learning rate came out of the range test (\(automatic.rule))")
        }
        say("   chosen automatically for \(budget.totalSteps) steps: \(Self.rate(choice.rate)) = \(automatic.rule)")
        for reason in automatic.reasons.prefix(3) { say("     - \(reason)") }
        say()

        // 2. Training at the chosen rate, one-cycle peaking there (as `train --learning-rate auto` does).
        say("2. Training for \(epochs) epochs, one-cycle peaking at \(Self.rate(choice.rate))")
        let main = try train(setup: setup, rate: choice.rate, epochs: epochs, schedule: "onecycle", printEpochs: true)
        let metric = setup.objective.metricName
        say(String(format: "   final validation %@: %.4f", metric, main.history.last?.validationMetric ?? .nan))
        say()

        // 3. Ten times the rate: the guard catches it.
        let high = choice.rate * 10
        say("3. The same model at 10× that rate, \(Self.rate(high)) after a 20-step warm-up, for \(Self.guardedEpochs) epochs, "
            + "with the divergence guard on")
        let guardSetup = try TrainingSetup(Self.specification(epochs: epochs))
        // 10× the rate after a short warm-up (20 steps): the loss blows up within the first epochs, the guard rolls back
        // and backs the rate off. (Straight from step 0 at exactly this rate the blow-up comes just after the end of epoch 1,
        // whose rollback point is then already damaged, and the guard gives up: a case for the guard's rollback points.)
        let guarded = try train(setup: guardSetup, rate: high, epochs: Self.guardedEpochs, schedule: Self.guardedSchedule, printEpochs: false)
        if guarded.curves.rollbacks.isEmpty {
            say("   the loss never blew up at this rate, so the guard had nothing to catch")
        }
        for rollback in guarded.curves.rollbacks {
            say("   step \(rollback.step): the loss reached \(ChartNumberFormat.value(rollback.loss)); the guard rolled back to a good state, "
                + "rate scale now \(ChartNumberFormat.value(rollback.rateScale ?? .nan)) (rate \(Self.rate(high * (rollback.rateScale ?? 1))))")
        }
        if let failure = guarded.failure { say("   the guard gave up: \(failure)") }
        say(String(format: "   final validation %@: %.4f", metric, guarded.history.last?.validationMetric ?? .nan))
        say()

        // 4. The diagnoses.
        say("4. Diagnosis")
        say("   at \(Self.rate(choice.rate)): \(main.diagnosis.verdict) (\(main.diagnosis.confidence.rawValue) confidence)")
        for line in main.diagnosis.evidence.prefix(2) { say("     - \(line)") }
        say("   at \(Self.rate(high)): \(guarded.diagnosis.verdict) (\(guarded.diagnosis.confidence.rawValue) confidence)")
        for line in guarded.diagnosis.evidence.prefix(2) { say("     - \(line)") }
        say("     advice: \(DiagnosisText.advice(guarded.diagnosis, rerun: DiagnosisText.Rerun(arguments: Self.trainArguments(rate: high, epochs: Self.guardedEpochs, schedule: Self.guardedSchedule), checkpointed: false)))")
        say()

        // 5. The pages.
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        func path(_ page: String) -> String { (out as NSString).appendingPathComponent(page) }
        let command = TrainReport.commandLine(CommandLine.arguments)
        try report(main, setup: setup, rate: choice.rate, epochs: epochs, title: "chosen automatically; one-cycle peaking there", command: command)
            .write(toFile: path("training.html"))
        try report(guarded, setup: guardSetup, rate: high, epochs: Self.guardedEpochs, title: "10× the chosen rate, after a 20-step warm-up", command: command)
            .write(toFile: path("training-10x.html"))
        var rangeReport = RangeTestReport(repeated: repeated, ceiling: ceiling?.learningRate(momentum: Self.momentum), summary: [
            ("Data set", setup.dataSummary), ("Model", setup.modelSummary),
            ("Optimizer", "sgd (momentum \(Self.momentum))"),
            ("Sweep", "\(Self.rate(sweep.test.startLearningRate)) → \(Self.rate(sweep.test.endLearningRate)) over "
                + "\(sweep.test.iterations) iterations of \(Self.batchSize) examples"),
        ], command: command)
        rangeReport.chosen = (choice.rate, "chosen automatically for \(budget.totalSteps) steps: \(automatic.rule)")
        rangeReport.choiceReasons = automatic.reasons
        try rangeReport.document().write(toFile: path("range-test.html"))
        let exploration = try Self.explorerExample()
        try exploration.page(command: "descent explore --landscape bowl --optimizer sgd --learning-rate 0.01,0.5,1.05 --steps 40")
            .write(toFile: path("explorer.html"))
        let seconds = Date().timeIntervalSince(started)
        try index(choice: choice, main: main, guarded: guarded, high: high, metric: metric, repeated: repeated, seconds: seconds)
            .write(toFile: path("index.html"))

        if json {
            print(summaryJSON(repeated: repeated, automatic: automatic, main: main, guarded: guarded, high: high, metric: metric,
                              seconds: seconds))
        } else {
            say("The explorer shows the same story on a bowl: 0.01 crawls, 0.5 converges, 1.05 diverges (2/λmax = 1).")
            say(String(format: "Done in %.1f s. Open %@", seconds, path("index.html")))
        }
    }

    static func rate(_ value: Double) -> String { String(format: "%.2e", value) }

    /// The `descent train` command that runs exactly what the demo trained: the same data, split, model, optimizer,
    /// batch size, seed, schedule and epochs, the rate written in full (no rounding).
    static func trainArguments(rate: Double, epochs: Int, schedule: String) -> [String] {
        ["descent", "train", "--dataset", "digits", "--hidden", hidden.map(String.init).joined(separator: ","),
         "--optimizer", "sgd", "--momentum", "\(momentum)", "--batch-size", "\(batchSize)", "--seed", "0",
         "--learning-rate", "\(rate)", "--schedule", schedule, "--epochs", "\(epochs)"]
    }

    /// The explorer page of the demo: plain gradient descent on the bowl at 0.01, 0.5 and 1.05.
    static func explorerExample() throws -> Exploration {
        let rates = [0.01, 0.5, 1.05]
        let paths = try rates.map { rate -> LandscapePath in
            var optimizer = try Optimizer(SGD(), learningRate: rate)
            return try LandscapePath(on: .bowl, from: Landscape.bowl.defaultStart, steps: 40, optimizer: &optimizer)
        }
        return Exploration(landscape: .bowl, start: Landscape.bowl.defaultStart, optimizerName: "sgd (momentum 0)",
                           schedule: "constant", steps: 40, paths: paths, baseRates: rates)
    }
}

/// A failure of the demo that is not a library error.
struct DemoError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
