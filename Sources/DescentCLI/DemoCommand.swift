import ArgumentParser
import Descent
import Foundation

/// `descent demo`: the tour of what Descent does with the learning rate, on the bundled digits.
///
/// 1. a range test (terminal chart, suggestions, confidence);
/// 2. training at the rate it chose;
/// 3. a short run at 10× that rate, caught and corrected by the divergence guard;
/// 4. the diagnosis of both runs;
/// 5. `DIR/index.html` linking the training reports, the range-test report and an explorer page.
///
/// ```
/// $ swift run -c release descent demo
/// Descent demo on digits: 1438 training and 359 validation examples, 64 features, 10 classes
/// 1. Range test: ... valley 2.29e-02 ... Confidence: medium
/// 2. Training at 2.29e-02 (the range test's valley) ... Final validation accuracy: 0.97
/// 3. The same model at 10× that rate, 2.29e-01: step 129: the loss 14.5 blew up; the guard rolled back and halved the rate
/// 4. Diagnosis ...
/// Open descent-demo/index.html
/// ```
struct DemoCommand: ParsableCommand {
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

    func run() throws {
        do {
            try runDemo()
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Prints unless `--json`.
    func say(_ text: String = "") { if !json { print(text) } }

    private func runDemo() throws {
        let started = Date()
        let setup = try TrainingSetup(dataset: "digits", csv: nil, target: nil, hidden: Self.hidden, validationFraction: 0.2,
                                      standardize: true, seed: 0, batchSize: Self.batchSize)
        say("Descent demo on \(setup.dataSummary)")
        say("Model: \(setup.model.parameterCount) parameters (64-32-10 MLP); optimizer SGD with momentum \(Self.momentum)")
        say()

        // 1. The range test.
        say("1. Range test: one minibatch per step while the rate grows from 1e-7 to 10")
        let test = try LearningRateRangeTest(batchSize: Self.batchSize, seed: 0)
        let rangeModel = try TrainingSetup(dataset: "digits", csv: nil, target: nil, hidden: Self.hidden, validationFraction: 0.2,
                                           standardize: true, seed: 0, batchSize: Self.batchSize).model
        let result = try test.run(rangeModel, optimizer: try Optimizer(SGD(momentum: Self.momentum), learningRate: 1e-7),
                                  data: setup.split.train)
        let shown = Swift.max(1, result.iterationsRun - RangeTestReport.trailingPointsHidden)
        say(TerminalChart(width: 60, height: 10).render(Array(result.smoothedLosses.prefix(shown)),
                                                        title: "smoothed loss by iteration (rate grows ×10 every 12.5 iterations)"))
        for (name, rate) in result.suggestions?.named ?? [] { say("   \(name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(Self.rate(rate))") }
        say("   confidence \(result.confidence.level.rawValue): \(result.confidence.reasons.first ?? "")")
        guard let choice = Self.chooseRate(result) else {
            throw DemoError("the range test made no suggestion, so there is no rate to train with")
        }
        say("   chosen: \(Self.rate(choice.rate)) (\(choice.reason))")
        say()

        // 2. Training at the chosen rate.
        say("2. Training at \(Self.rate(choice.rate)) for \(epochs) epochs")
        let main = try train(setup: setup, rate: choice.rate, epochs: epochs, printEpochs: true)
        let metric = setup.objective.metricName
        say(String(format: "   final validation %@: %.4f", metric, main.history.last?.validationMetric ?? .nan))
        say()

        // 3. Ten times the rate: the guard catches it.
        let high = choice.rate * 10
        say("3. The same model at 10× that rate, \(Self.rate(high)), for \(Self.guardedEpochs) epochs, with the divergence guard on")
        let guardSetup = try TrainingSetup(dataset: "digits", csv: nil, target: nil, hidden: Self.hidden, validationFraction: 0.2,
                                           standardize: true, seed: 0, batchSize: Self.batchSize)
        let guarded = try train(setup: guardSetup, rate: high, epochs: Self.guardedEpochs, printEpochs: false)
        if guarded.curves.rollbacks.isEmpty {
            say("   the loss never blew up at this rate, so the guard had nothing to catch")
        }
        for rollback in guarded.curves.rollbacks {
            say("   step \(rollback.step): the loss reached \(ChartNumberFormat.value(rollback.loss)); the guard rolled back to a good state "
                + "and scaled the rate by \(ChartNumberFormat.value(rollback.rateScale ?? .nan)) → \(Self.rate(high * (rollback.rateScale ?? 1)))")
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
        say("     advice: \(guarded.diagnosis.advice)")
        say()

        // 5. The pages.
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        func path(_ page: String) -> String { (out as NSString).appendingPathComponent(page) }
        let command = TrainReport.commandLine(CommandLine.arguments)
        try report(main, setup: setup, rate: choice.rate, epochs: epochs, title: "chosen rate", command: command)
            .write(toFile: path("training.html"))
        try report(guarded, setup: guardSetup, rate: high, epochs: Self.guardedEpochs, title: "10× the chosen rate", command: command)
            .write(toFile: path("training-10x.html"))
        var rangeReport = RangeTestReport(result: result, summary: [
            ("Data set", setup.dataSummary), ("Model", "\(setup.model.parameterCount) parameters; hidden layers 32"),
            ("Optimizer", "sgd (momentum \(Self.momentum))"), ("Sweep", "1.00e-07 → 1.00e+01 over 100 iterations of 32 examples"),
        ], command: command)
        rangeReport.chosen = (choice.rate, choice.reason)
        try rangeReport.document().write(toFile: path("range-test.html"))
        let exploration = try Self.explorerExample()
        try exploration.page(command: "descent explore --landscape bowl --optimizer sgd --learning-rate 0.01,0.5,1.05 --steps 40")
            .write(toFile: path("explorer.html"))
        let seconds = Date().timeIntervalSince(started)
        try index(choice: choice, main: main, guarded: guarded, high: high, metric: metric, result: result, seconds: seconds)
            .write(toFile: path("index.html"))

        if json {
            print(summaryJSON(result: result, choice: choice, main: main, guarded: guarded, high: high, metric: metric, seconds: seconds))
        } else {
            say("The explorer shows the same story on a bowl: 0.01 crawls, 0.5 converges, 1.05 diverges (2/λmax = 1).")
            say(String(format: "Done in %.1f s. Open %@", seconds, path("index.html")))
        }
    }

    /// The rate the demo trains with, and why: the range test's valley suggestion.
    static func chooseRate(_ result: RangeTestResult) -> (rate: Double, reason: String)? {
        result.suggestions.map { ($0.valley, "the range test's valley suggestion") }
    }

    static func rate(_ value: Double) -> String { String(format: "%.2e", value) }

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
