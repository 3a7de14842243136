import ArgumentParser
import DescentCLIShared
import DescentCLITrain
import DescentDiagnosis
import DescentExplore
import DescentOptim
import DescentReport
import DescentTrain
import Foundation

/// `descent demo`: the tour of what Descent does with the learning rate, on the bundled digits, choosing the rate
/// as `descent train` does when none is given.
///
/// 1. a range test, the first look (terminal chart, suggestions, confidence, the ceiling at the start);
/// 2. the race on validation loss among candidates around the range test's rate (train's own `resolveLearningRate`):
///    each candidate's best validation loss and what was kept — too high, too low, kept;
/// 3. the kept candidate trained on over the cosine schedule, keeping its best epoch, with sharpness tracked every
///    15 steps: the ceiling 2(1 + β)/λmax as training goes, not only at the start;
/// 4. a short run at 10× that rate, caught and corrected by the divergence guard (sharpness tracked too);
/// 5. the diagnosis of both runs;
/// 6. `DIR/index.html` linking the training reports, the range-test report and an explorer page.
///
/// The "Next" command (`descent train … --epochs 12 --track-sharpness 15`, no `--learning-rate`) runs steps 2 and 3
/// again exactly: the same range test and race, the same rate, the same weights.
///
/// ```
/// $ swift run -c release descent demo
/// Descent demo on digits: 1438 training and 359 validation examples, 64 features, 10 classes
/// 1. Range test, the first look: … the range test's rule for 540 steps gives 3.83e-02: the first look, not the answer
/// 2. The rate is chosen on validation loss: 4 candidates … too high / kept / too low …
/// 3. Training on from the kept candidate's epoch 3 … sharpness tracked: … the ceiling 2(1 + β)/λmax was …, then as low as …
/// 4. The same model at 10× that rate: step …: the loss … blew up; the guard rolled back and scaled the rate down
/// 5. Diagnosis ...
/// Open descent-demo/index.html
/// ```
package struct DemoCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A tour on the bundled digits: the rate chosen as train chooses it (range test, race on validation loss), training with sharpness tracked, a 10× run caught by the guard, reports.",
        discussion: """
        Writes index.html, training.html, training-10x.html, range-test.html and explorer.html into --out \
        (created if missing; existing files are replaced whole). The model is the MLP 64-32-10 trained by SGD \
        with momentum 0.9, minibatches of 32, seed 0, its rate chosen as `descent train` chooses it without \
        --learning-rate. With --json the last line is {"out":…,"chosen_learning_rate":…,"automatic_learning_rate":\
        {…,"candidates":[…]},"range_test":{…},"training":{…,"command":…,"kept_epoch":…},"guarded_run":{…},"pages":[…]}.
        """
    )

    @Option(help: "The directory to write the pages to.")
    var out: String = "descent-demo"
    @Option(help: "Epochs of the main run.")
    var epochs: Int = 12
    @Option(name: .customLong("track-sharpness"),
            help: "Steps between sharpness measurements in the main run (the 10× run measures three times as often).")
    var trackSharpness: Int = 15
    @Flag(help: "Print a JSON summary as the last line.")
    var json = false

    static let hidden = [32]
    static let momentum = 0.9
    static let batchSize = 32
    static let guardedEpochs = 3
    static let guardedSchedule = "warmup(20) >> constant"
    /// Steps between sharpness measurements in the short 10× run (λmax of the training loss's Hessian on up to 1,024 rows):
    /// three times as often as in the main run, since its sharpness climbs within its first 60 steps.
    var guardedSharpnessInterval: Int { Swift.max(1, trackSharpness / 3) }
    static let pages = ["index.html", "training.html", "training-10x.html", "range-test.html", "explorer.html"]

    package func validate() throws {
        guard (1...1_000).contains(epochs) else { throw ValidationError("--epochs must be between 1 and 1000, got \(epochs)") }
        guard (1...100_000).contains(trackSharpness) else {
            throw ValidationError("--track-sharpness must be between 1 and 100000 steps, got \(trackSharpness)")
        }
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

    package func run() async throws {
        // With --json a failure (a page that cannot be written on a full disk) still ends with one object.
        try await FailureJSON.run(json: json) { try runDemo() }
    }

    /// The demo's run: the digits, a 64-32-10 MLP, SGD with momentum 0.9, batches of 32, seed 0, an automatic rate on one-cycle.
    package static func specification(epochs: Int) -> RunSpecification {
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
        say("Model: \(setup.model.parameterCount) parameters (64-32-10 MLP); optimizer SGD with momentum \(Self.momentum); "
            + "no rate given, so it is chosen as `descent train` chooses it")
        say()

        // 1. The range test: the first look, as train's automatic rate takes it (one sweep, since a race follows).
        let stepsPerEpoch = (setup.split.train.count + Self.batchSize - 1) / Self.batchSize
        let budget = AutomaticLearningRate.Budget(totalSteps: epochs * stepsPerEpoch, batchSize: Self.batchSize,
                                                  family: .momentumSGD, momentum: Self.momentum)
        let sweep = try AutomaticLearningRate.sweep(for: budget, trainingExamples: setup.split.train.count, seed: 0, repeats: 1)
        say("1. Range test, the first look: one minibatch per step while the rate grows from \(Self.rate(sweep.test.startLearningRate)) "
            + "to \(Self.rate(sweep.test.endLearningRate))")
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
        let startCeiling = ceiling?.learningRate(momentum: Self.momentum)
        if let startCeiling, let ceiling {
            say("   stability ceiling measured at the start: 2(1 + β)/λmax = \(Self.rate(startCeiling)) (λmax \(ChartNumberFormat.value(ceiling.lambdaMax)) "
                + "at the starting weights; sharpness grows as training goes, so it is tracked during training below)")
        }

        // 2. The race on validation loss, exactly as `descent train` (no --learning-rate) runs it: the demo's Next command.
        let trainCommand = try TrainCommand.parse(Array(Self.trainArguments(rate: nil, epochs: epochs, schedule: nil,
                                                                             trackSharpness: trackSharpness).dropFirst(2)) + ["--json"])
        let (main, decision) = try trainAutomatically(setup: setup, command: trainCommand, epochs: epochs, trackSharpness: trackSharpness,
                                                      announce: { choice in self.sayRace(choice, budget: budget) })
        guard let automatic = decision.choice, decision.rate.isFinite, decision.rate > 0 else {
            throw DemoError("no usable learning rate came out of the automatic rate")
        }
        let chosen = decision.rate
        let metric = setup.objective.metricName
        if let kept = main.keptEpoch {
            say(String(format: "   kept the weights of epoch %ld (the lowest validation loss, %.4f)", kept,
                       main.history.first { $0.epoch == kept }?.validationLoss ?? .nan))
        }
        say(String(format: "   final validation %@: %.4f", metric, main.history.last?.validationMetric ?? .nan))
        if let line = Self.ceilingLine(main.curves.sharpness, start: startCeiling) { say("   " + line) }
        say()

        // 4. Ten times the rate: the guard catches it.
        let high = chosen * 10
        say("4. The same model at 10× that rate, \(Self.rate(high)) after a 20-step warm-up, for \(Self.guardedEpochs) epochs, "
            + "with the divergence guard on")
        let guardSetup = try TrainingSetup(Self.specification(epochs: epochs))
        // 10× the rate after a short warm-up (20 steps): the loss blows up within the first epochs, the guard rolls back
        // and backs the rate off. (Straight from step 0 the blow-up can come just after the end of epoch 1, whose
        // rollback point is then already damaged, and the guard gives up: a case for the guard's rollback points.)
        let guarded = try train(setup: guardSetup, rate: high, epochs: Self.guardedEpochs, schedule: Self.guardedSchedule,
                                trackSharpness: guardedSharpnessInterval)
        if guarded.curves.rollbacks.isEmpty {
            say("   the loss never blew up at this rate, so the guard had nothing to catch")
        }
        for rollback in guarded.curves.rollbacks {
            say("   step \(rollback.step): the loss reached \(ChartNumberFormat.value(rollback.loss)); the guard rolled back to a good state, "
                + "rate scale now \(ChartNumberFormat.value(rollback.rateScale ?? .nan)) (rate \(Self.rate(high * (rollback.rateScale ?? 1))))")
        }
        if let failure = guarded.failure { say("   the guard gave up: \(failure)") }
        say(String(format: "   final validation %@: %.4f", metric, guarded.history.last?.validationMetric ?? .nan))
        if let line = Self.ceilingLine(guarded.curves.sharpness, start: startCeiling, rollbacks: guarded.curves.rollbacks) { say("   " + line) }
        say()

        // 5. The diagnoses.
        say("5. Diagnosis")
        say("   at \(Self.rate(chosen)): \(main.diagnosis.verdict) (\(main.diagnosis.confidence.rawValue) confidence)")
        for line in main.diagnosis.evidence.prefix(2) { say("     - \(line)") }
        say("   at \(Self.rate(high)): \(guarded.diagnosis.verdict) (\(guarded.diagnosis.confidence.rawValue) confidence)")
        for line in guarded.diagnosis.evidence.prefix(2) { say("     - \(line)") }
        say("     advice: \(DiagnosisText.advice(guarded.diagnosis, rerun: DiagnosisText.Rerun(arguments: guarded.arguments, checkpointed: false)))")
        say()

        // 6. The pages.
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        func path(_ page: String) -> String { (out as NSString).appendingPathComponent(page) }
        let command = TrainReport.commandLine(CommandLine.arguments)
        try report(main, setup: setup, rate: chosen, epochs: epochs, title: "chosen automatically: range test, then a race on validation loss; cosine from there",
                   command: command, automatic: automatic).write(toFile: path("training.html"))
        try report(guarded, setup: guardSetup, rate: high, epochs: Self.guardedEpochs, title: "10× the chosen rate, after a 20-step warm-up",
                   command: command, automatic: nil).write(toFile: path("training-10x.html"))
        var rangeReport = RangeTestReport(repeated: repeated, ceiling: startCeiling, summary: [
            ("Data set", setup.dataSummary), ("Model", setup.modelSummary),
            ("Optimizer", "sgd (momentum \(Self.momentum))"),
            ("Sweep", "\(Self.rate(sweep.test.startLearningRate)) → \(Self.rate(sweep.test.endLearningRate)) over "
                + "\(sweep.test.iterations) iterations of \(Self.batchSize) examples"),
        ], command: command)
        rangeReport.chosen = (chosen, "chosen by the race on validation loss among candidates around the range test's "
            + "\(Self.rate(automatic.rangeTestRate ?? .nan)) (\(automatic.rule))")
        rangeReport.choiceReasons = automatic.reasons
        try rangeReport.document().write(toFile: path("range-test.html"))
        let exploration = try Self.explorerExample()
        try exploration.page(command: "descent explore --landscape bowl --optimizer sgd --learning-rate 0.01,0.5,1.05 --steps 40")
            .write(toFile: path("explorer.html"))
        let seconds = Date().timeIntervalSince(started)
        try index(automatic: automatic, main: main, guarded: guarded, high: high, metric: metric, repeated: repeated, seconds: seconds)
            .write(toFile: path("index.html"))

        if json {
            print(summaryJSON(repeated: repeated, automatic: automatic, main: main, guarded: guarded, high: high, metric: metric,
                              seconds: seconds))
        } else {
            say("The explorer shows the same story on a bowl: 0.01 crawls, 0.5 converges, 1.05 diverges (2/λmax = 1).")
            say("Next: `\(TrainReport.commandLine(main.arguments))` runs steps 2 and 3 again, exactly (no --learning-rate: the same race).")
            say(String(format: "Done in %.1f s. Open %@", seconds, path("index.html")))
        }
    }

    /// Says the race's first look, its candidates and what it kept (step 2), before the winner trains on (step 3).
    func sayRace(_ choice: AutomaticLearningRate.Choice, budget: AutomaticLearningRate.Budget) {
        if let first = choice.rangeTestRate {
            say("   the range test's rule for \(budget.totalSteps) steps gives \(Self.rate(first)): the first look, not the answer")
        }
        say()
        guard let candidates = choice.candidates, !candidates.isEmpty else {
            say("2. No race: \(choice.reasons.last ?? choice.rule)")
            say("   chosen: \(Self.rate(choice.learningRate)) = \(choice.rule)")
            say()
            say("3. Training at \(Self.rate(choice.learningRate))")
            return
        }
        let dropped = Set(candidates.compactMap(\.eliminatedAfterEpoch)).sorted()
        say("2. The rate is chosen on validation loss: \(candidates.count) candidates half a decade apart around it train over the run's "
            + "own cosine schedule; the better half goes on after epoch\(dropped.count == 1 ? "" : "s") "
            + dropped.map(String.init).joined(separator: " and "))
        let winner = candidates.first { $0.eliminatedAfterEpoch == nil && $0.bestValidationLoss != nil }
        say("   rate       best validation loss   epochs")
        for candidate in candidates {
            let best = candidate.bestValidationLoss.map { String(format: "%.4f", $0) } ?? "none"
            var fate = "kept"
            if let epoch = candidate.eliminatedAfterEpoch {
                let side = winner.map { candidate.learningRate > $0.learningRate ? "too high" : "too low" } ?? "dropped"
                fate = "\(side): dropped after epoch \(epoch)" + (candidate.note.map { " (\($0))" } ?? "")
            }
            say("   \(Self.rate(candidate.learningRate))   \(best.padding(toLength: 20, withPad: " ", startingAt: 0))   "
                + "\(String(candidate.epochsTrained).padding(toLength: 6, withPad: " ", startingAt: 0))   \(fate)")
        }
        say()
        say("3. Training on from the kept candidate's epoch \(winner?.epochsTrained ?? 0), cosine from \(Self.rate(choice.learningRate)), "
            + "keeping the best epoch, sharpness tracked every \(trackSharpness) steps")
    }

    /// The ceiling as training went: λmax tracked every few steps gives the edge 2(1 + β)/λmax the rate must stay under
    /// at that step (the start's, from the range test, holds only at the start); and where the scheduled rate stood against
    /// it — just before the first blow-up when the guard rolled back, else at its closest.
    static func ceilingLine(_ measurements: [SharpnessMeasurement], start: Double?, rollbacks: [TrainingCurves.Divergence] = [])
        -> String? {
        let finite = measurements.filter { $0.lambdaMax > 0 && $0.lambdaMax.isFinite }
        guard let first = finite.first, let last = finite.last, let sharpest = finite.max(by: { $0.lambdaMax < $1.lambdaMax }) else { return nil }
        func ceiling(_ measurement: SharpnessMeasurement) -> Double { 2 * (1 + momentum) / measurement.lambdaMax }
        let every = finite.count > 1 ? " every \(finite[1].step - finite[0].step) steps" : ""
        var text = "sharpness tracked (λmax on \(first.rows) training rows\(every)): \(ChartNumberFormat.value(first.lambdaMax)) at step "
            + "\(first.step), highest \(ChartNumberFormat.value(sharpest.lambdaMax)) at step \(sharpest.step), "
            + "\(ChartNumberFormat.value(last.lambdaMax)) at step \(last.step); so the ceiling 2(1 + β)/λmax was \(rate(ceiling(first))) "
            + "at step \(first.step)" + (start.map { " (\(rate($0)) at the start, from the range test)" } ?? "")
            + " and as low as \(rate(ceiling(sharpest)))"
        // The measurements up to the first rewind (a rollback replays steps), and the last of them before the first blow-up.
        let beforeRewind = finite.enumerated().prefix { index, measurement in index == 0 || measurement.step > finite[index - 1].step }.map(\.element)
        if let blowUp = rollbacks.first, let before = beforeRewind.last(where: { $0.step < blowUp.step }) {
            text += "; just before the first blow-up (step \(blowUp.step)), at step \(before.step) it was \(rate(ceiling(before))) and the rate "
                + "\(rate(before.learningRate)) was at \(ChartNumberFormat.value(100 * before.fractionOfEdge, significantDigits: 2))% of it"
        } else if let above = finite.first(where: { $0.learningRate > ceiling($0) }) {
            text += "; the rate \(rate(above.learningRate)) was above it at step \(above.step)"
        } else {
            let closest = finite.max { $0.fractionOfEdge < $1.fractionOfEdge } ?? last
            text += "; the scheduled rate stayed below it at every measurement (closest at step \(closest.step): \(rate(closest.learningRate)), "
                + "\(ChartNumberFormat.value(100 * closest.fractionOfEdge, significantDigits: 2))% of it)"
        }
        return text
    }

    static func rate(_ value: Double) -> String { String(format: "%.2e", value) }

    /// The `descent train` command that runs exactly what the demo trained: the same data, split, model, optimizer,
    /// batch size, seed, schedule, epochs and sharpness tracking; the rate written in full (no rounding), or none
    /// (`rate` nil: train chooses it, as the demo's main run did: the same range test and race, the same rate).
    static func trainArguments(rate: Double?, epochs: Int, schedule: String?, trackSharpness: Int) -> [String] {
        // Built step by step: one expression of `+`, `??` and literals took the type checker 13.6 s.
        var arguments: [String] = ["descent", "train", "--dataset", "digits",
                                   "--hidden", hidden.map(String.init).joined(separator: ","),
                                   "--optimizer", "sgd", "--momentum", "\(momentum)",
                                   "--batch-size", "\(batchSize)", "--seed", "0"]
        if let rate { arguments += ["--learning-rate", "\(rate)"] }
        if let schedule { arguments += ["--schedule", schedule] }
        arguments += ["--epochs", "\(epochs)", "--track-sharpness", "\(trackSharpness)"]
        return arguments
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

    package init() {}
}

/// A failure of the demo that is not a library error.
struct DemoError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
