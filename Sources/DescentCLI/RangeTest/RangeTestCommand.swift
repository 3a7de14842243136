import ArgumentParser
import Descent
import Foundation

/// `descent range-test`: the learning-rate range test (fastai's LR finder) on the model
/// `descent train` would build, with a chart of the smoothed loss against the log rate,
/// fastai's four suggestions and how sure they are.
///
/// ```
/// $ descent range-test --dataset digits --optimizer sgd --hidden 32   (the default optimizer is train's: adamw)
/// ...
/// Stopped after 95 iterations: the smoothed loss blew up (above 4 × its minimum) at rate 3.31e+00.
/// Suggestions:
///   valley   2.29e-02   fastai's default: middle of the longest descent
///   slide    1.45e-03   fastai's interval slide rule
///   minimum  1.10e-01   a tenth of the rate at the lowest loss
///   steep    2.51e-01   where the loss falls fastest
/// Confidence: medium
///   - the four suggestions span 2.24 decades (1.45e-03 to 2.51e-01): they disagree, prefer valley
///   ...
/// ```
struct RangeTestCommand: AsyncParsableCommand, DataModelOptionsWording, SpecificationCommand {
    static let csvHelp = "A CSV file with a header row to use instead of a bundled data set."
    static let validationFractionHelp = "Fraction held out (as in `descent train`); the test never sees it."

    static let configuration = CommandConfiguration(
        commandName: "range-test",
        abstract: "Find a learning rate with the range test (fastai's LR finder) and say how sure it is.",
        discussion: """
        Takes one optimizer step per minibatch while the rate grows from --start to --end \
        (rate_i = start·(end/start)^(i/iterations)), smooths the loss with a debiased moving \
        average (β 0.98) and stops when it exceeds 4 × its minimum. The suggestions are fastai's \
        valley (its default), slide, minimum (a tenth of the rate at the lowest loss) and steep. \
        The data, split, standardisation and model are those of `descent train` with the same \
        options; the test runs on the training part only. With --repeats K (default 3) it runs K \
        times on reshuffled minibatches (seeds seed…seed+K−1) and reports the median of each \
        suggestion and its spread log10(max/min) in decades; a valley that moves by more than half \
        a decade lowers the confidence. A sweep over which the loss does not move suggests nothing. \
        The optimizer defaults to train's (adamw); the train command printed at the end (train_command in the JSON) \
        names the optimizer swept, since a rate suits only its own family (SGD's are 10–100× the Adam family's). \
        --ceiling adds λmax of the training loss's Hessian measured at the starting weights (power iteration \
        on finite-difference Hessian-vector products) and the stability ceiling that applies to the optimizer: \
        2(1+β)/λmax for SGD with momentum β (2/λmax without); none for the Adam family, whose step is not the \
        rate times the gradient (its edge is on the preconditioned sharpness, which needs the optimizer's running \
        averages: track it during training with train --track-sharpness N). Sharpness grows during training, so \
        the ceiling at the start is an upper bound only at the start. With --json the \
        last line is {"suggestions":{"valley":…,"slide":…,"minimum":…,"steep":…},"confidence":\
        "high|medium|low","optimizer":…,"momentum":…|null,"train_command":…|null,"reasons":[…],"diverged":…,"flat":…,"repeats":K,"spread_decades":\
        {"valley":…,…},"ceiling":{"lambda_max":…,"learning_rate":…,"for_optimizer":…|null,"measured_at":"start","iterations":…,"converged":…}|null,\
        "lrs":[…],"losses":[smoothed…],"raw_losses":[…]} (the curve of the run with the median \
        valley; null for a non-finite number).
        """
    )

    @OptionGroup var data: DataModelOptions<RangeTestCommand>
    @Option(help: "The optimizer: \(OptimizerChoice.listed).")
    var optimizer: OptimizerChoice = .adamw
    @Option(help: "SGD momentum.")
    var momentum: Double = 0.9
    @Option(help: "The first learning rate of the sweep.")
    var start: Double = 1e-7
    @Option(help: "The learning rate the sweep reaches after --iterations steps.")
    var end: Double = 10
    @Option(help: "Number of steps (at least 10).")
    var iterations: Int = 100
    @Option(help: "Run the test this many times on reshuffled minibatches and report the median of each suggestion and its spread.")
    var repeats: Int = 3
    @Flag(help: "Also estimate λmax of the training loss's Hessian at the starting weights and report the stability ceiling that applies to the optimizer (2(1+β)/λmax for SGD).")
    var ceiling = false
    @Flag(name: .customLong("noise-scale"),
          help: "Also estimate the gradient noise scale (the critical batch size, McCandlish et al. 2018) at the starting weights, from gradient norms at --batch-size and 8 × that.")
    var noiseScale = false
    @Option(name: .customLong("report"), help: "Write an HTML report (loss against the log rate, the suggestions, the confidence) to this file.")
    var reportPath: String?
    @Option(name: .customLong("save-config"),
            help: ArgumentHelp("Write the run this test sweeps (data, model, optimizer; learning_rate auto) to this .toml, .yaml "
                               + "or .json file: descent train --config FILE [--learning-rate RATE] trains it.", valueName: "file"))
    var saveConfig: String?
    @OptionGroup var configurationFile: ConfigurationOption
    @Flag(help: "Print a JSON summary as the last line.")
    var json = false

    mutating func validate() throws {
        try adoptConfigurationFile()
        try data.validateSourceAndModel()
        guard start > 0, start.isFinite else { throw ValidationError("--start must be a positive number, got \(start)") }
        guard end.isFinite, end > start else { throw ValidationError("--end must be greater than --start (\(start)), got \(end)") }
        guard (end / start).isFinite else {
            throw ValidationError("--end \(end) / --start \(start) is beyond a Double: give rates closer together (e.g. --start 1e-7 --end 10)")
        }
        guard iterations >= LearningRateRangeTest.minimumIterations, iterations <= LearningRateRangeTest.maximumIterations else {
            throw ValidationError("--iterations must be from \(LearningRateRangeTest.minimumIterations) to "
                                  + "\(LearningRateRangeTest.maximumIterations), got \(iterations)")
        }
        guard data.batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(data.batchSize)") }
        guard momentum >= 0, momentum < 1 else { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") }
        guard data.validationFraction > 0, data.validationFraction < 1 else { throw ValidationError("--validation-fraction must be in (0, 1)") }
        guard repeats >= 1, repeats <= 100 else { throw ValidationError("--repeats must be between 1 and 100, got \(repeats)") }
        _ = try TrainingSetup.hiddenSizes(data.hidden)
        try TrainCommand.validateOutputs([("--report", reportPath), ("--save-config", saveConfig)],
                                         inputs: data.inputFiles + [("--config", configurationFile.path)])
        if let saveConfig { try SpecificationFile.checkPath(saveConfig, flag: "--save-config") }
    }

    func run() async throws {
        // SIGINT/SIGTERM end the sweep after the step in progress: nothing is printed but the note, no report is
        // written, and the command exits 130/143 (with --json after one object, status "interrupted").
        let signals = SignalStop(json: json)
        defer { signals.restore() }
        let stopped = Box<String?>(nil)
        try await FailureJSON.run(json: json) { stopped.value = try runTest(stopRequest: signals.request) }
        if let words = stopped.value, let status = signals.exitStatus {
            let message = "stopped by \(signals.request.reason ?? "a signal") \(words); nothing was written"
            if json {
                StandardOutput.writeLast(FailureJSON.line(kind: "interrupted", message: message)
                    .replacingOccurrences(of: #""status":"failed""#, with: #""status":"interrupted""#) + "\n")
            } else {
                print("Interrupted: \(message)")
            }
            throw ExitCode(status)
        }
    }

    /// The run whose rate this test sweeps: the data, preprocessing and model flags, the optimizer and its
    /// momentum, as `train` would run it; its rate is `auto` (give train --learning-rate to use one you pick).
    func specification() throws -> RunSpecification {
        var spec = RunSpecification()
        try data.apply(to: &spec)
        spec.optimizer = optimizer
        spec.momentum = momentum
        spec.learningRate = .automatic(chosen: nil)
        return spec
    }

    /// A `--config` run's data, preprocessing, model, optimizer and momentum on this command (what the test sweeps).
    mutating func take(_ spec: RunSpecification) {
        data.take(spec)
        optimizer = spec.optimizer
        momentum = spec.momentum
    }

    /// Runs the test; returns where a stop request ended it (nil: it ran to the end and printed its result).
    private func runTest(stopRequest: StopRequest) throws -> String? {
        let spec = try specification()
        let setup = try TrainingSetup(spec)
        if let saveConfig { try SpecificationFile.write(spec, to: saveConfig) }
        let test = try LearningRateRangeTest(startLearningRate: start, endLearningRate: end, iterations: iterations,
                                             batchSize: data.batchSize, seed: data.seed)
        if ceiling && setup.model.parameterCount == 0 {
            throw ValidationError("--ceiling: the model has no trainable parameters, so its loss has no Hessian")
        }
        if !json {
            print("Range test on \(setup.dataSummary)")
            print("Model: \(setup.architecture), \(setup.model.parameterCount) parameters; optimizer \(optimizer.described(momentum: momentum)); rate "
                  + "\(Self.rate(start)) → \(Self.rate(end)) over \(iterations) iterations of \(data.batchSize) examples"
                  + (repeats > 1 ? ", \(repeats) reshuffles (seeds \(data.seed)…\(data.seed &+ UInt64(repeats - 1)))" : ""))
        }
        // Measured before the sweep, at the starting weights.
        let noise: GradientNoiseScale?
        do {
            noise = noiseScale ? try measureNoiseScale(setup, stopRequest: stopRequest) : nil
        } catch is StopRequest.Stopped {
            return "while the noise scale was measured, before the sweep"
        }
        if let noise, !json { print(NoiseScaleText.line(noise, globalBatch: nil)) }
        let repeated = try optimizer.perform(RangeTestTask(test: try RepeatedRangeTest(test: test, repeats: repeats),
                                                           model: setup.model, data: setup.split.train, stopRequest: stopRequest),
                                             with: OptimizerSettings(learningRate: start, momentum: momentum))
        if stopRequest.isRequested {
            return "after \(repeated.results.reduce(0) { $0 + $1.iterationsRun }) sweep steps (sweep \(repeated.results.count) of \(repeats))"
        }
        let stability: StabilityCeiling?
        do {
            stability = ceiling ? try StabilityCeiling.estimate(model: setup.model, data: setup.split.train, seed: data.seed,
                                                                stopRequest: stopRequest) : nil
        } catch is StopRequest.Stopped {
            return "while the stability ceiling was measured, after the sweep"
        }
        json ? printJSON(repeated, ceiling: stability, noise: noise) : printReport(repeated, ceiling: stability)
        if let reportPath { try writeReport(repeated, ceiling: stability, setup: setup, to: reportPath) }
        return nil
    }

    /// The repeated sweep with the optimizer the user chose.
    struct RangeTestTask: OptimizerTask {
        let test: RepeatedRangeTest
        let model: Sequential
        let data: Dataset
        var stopRequest: StopRequest? = nil
        func run<Rule: OptimizerRule>(_ optimizer: Optimizer<Rule>) throws -> RepeatedRangeTestResult {
            try test.run(model, optimizer: optimizer, data: data, stopRequest: stopRequest)
        }
    }

    static func rate(_ value: Double) -> String { String(format: "%.2e", value) }

    private func printReport(_ repeated: RepeatedRangeTestResult, ceiling: StabilityCeiling?) {
        let result = repeated.results[repeated.representative]
        // fastai's plot leaves out the last 5 points (where the loss blows up and would flatten the rest).
        let shown = Swift.max(1, result.iterationsRun - 5)
        let chart = TerminalChart(width: 60, height: 12)
        let whose = repeated.results.count > 1 ? " of the run with the median valley (seed \(result.settings.seed))" : ""
        print(chart.render(Array(result.smoothedLosses.prefix(shown)), title: "smoothed loss by iteration (x ∝ log rate)" + whose))
        print("  x: iteration i at rate \(Self.rate(start))·(\(Self.rate(end))/\(Self.rate(start)))^(i/\(iterations)): "
              + "\(Self.rate(result.learningRates.first ?? start)) at the left, "
              + "\(Self.rate(result.learningRates[shown - 1])) at the right")
        if result.diverged {
            print("Stopped after \(result.iterationsRun) iterations: the smoothed loss blew up (above 4 × its minimum) "
                  + "at rate \(Self.rate(result.learningRates.last ?? .nan)).")
        } else {
            print("Ran all \(result.iterationsRun) iterations without the loss blowing up.")
        }
        if let suggestions = repeated.medians {
            print(repeated.results.count > 1 ? "Suggestions (median of \(repeated.results.count) runs, spread in decades):" : "Suggestions:")
            let notes = ["valley": "fastai's default: middle of the longest descent",
                         "slide": "fastai's interval slide rule",
                         "minimum": "a tenth of the rate at the lowest loss",
                         "steep": "where the loss falls fastest"]
            for (name, rate) in suggestions.named {
                let spread = repeated.results.count > 1 ? String(format: "  ±%.2f", repeated.spreadDecades[name] ?? .nan) : ""
                print("  \(name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(Self.rate(rate))\(spread)   \(notes[name] ?? "")")
            }
        } else if result.flat {
            print("No suggestion: the loss did not move over this sweep, so it names no rate to use.")
        } else {
            print("No suggestion: too few points are left after dropping the first \(iterations / 10) and the last 5.")
        }
        print("Confidence: \(repeated.confidence.level.rawValue)")
        for reason in repeated.confidence.reasons { print("  - \(reason)") }
        if let ceiling {
            print(String(format: "Stability ceiling, measured at the start: λmax %.4g of the training loss's Hessian at the starting weights "
                         + "(%ld power iterations%@). ", ceiling.lambdaMax, ceiling.iterations, ceiling.converged ? "" : ", not converged")
                  + ceilingWords(ceiling))
        }
        for line in nextLines(repeated) { print(line) }
    }

    /// The noise scale at the starting weights: 32 pairs of batches of --batch-size and 8 × that (at most a quarter of the rows).
    private func measureNoiseScale(_ setup: TrainingSetup, stopRequest: StopRequest) throws -> GradientNoiseScale {
        let rows = setup.split.train.count
        let big = Swift.min(8 * data.batchSize, rows / 4)
        guard big > data.batchSize else {
            throw ValidationError("--noise-scale: --batch-size \(data.batchSize) leaves no bigger batch within a quarter of the "
                + "\(rows) training rows; use a batch of at most \(Swift.max(1, rows / 8))")
        }
        return try GradientNoiseScale.measure(model: setup.model, data: setup.split.train, smallBatch: data.batchSize,
                                              bigBatch: big, pairs: 32, seed: data.seed, stopRequest: stopRequest)
    }

    /// The ceiling that applies to the chosen optimizer, or why none does.
    func ceilingWords(_ ceiling: StabilityCeiling) -> String {
        switch optimizer {
        case .sgd:
            guard let rate = ceiling.learningRate(momentum: momentum) else { return "No ceiling: λmax ≤ 0 (no direction curves up)." }
            return (momentum > 0 ? "For SGD with momentum \(momentum): 2(1 + β)/λmax = " : "For SGD: 2/λmax = ") + Self.rate(rate)
                + "; sharpness grows during training (progressive sharpening), so later in a run the edge is lower (train --track-sharpness N follows it)."
        default:
            return "No ceiling applies to \(optimizer.rawValue)'s rate: it divides the gradient by its running scale, so its edge is on the "
                + "preconditioned sharpness, which needs those running averages (train --track-sharpness N measures it during training)"
                + (ceiling.learningRate.map { "; for plain gradient descent 2/λmax would be \(Self.rate($0))." } ?? ".")
        }
    }

    /// The ceiling's rate for the chosen optimizer: 2(1 + β)/λmax for SGD, nil for the others.
    func ceilingRate(_ ceiling: StabilityCeiling?) -> Double? {
        guard optimizer == .sgd else { return nil }
        return ceiling?.learningRate(momentum: momentum)
    }

    private func printJSON(_ repeated: RepeatedRangeTestResult, ceiling: StabilityCeiling?, noise: GradientNoiseScale?) {
        let result = repeated.results[repeated.representative]
        func number(_ value: Double?) -> String { value.map { $0.isFinite ? "\($0)" : "null" } ?? "null" }
        let suggestions = repeated.medians.map { suggestions in
            "{" + suggestions.named.map { "\"\($0.name)\":\(number($0.learningRate))" }.joined(separator: ",") + "}"
        } ?? "null"
        let spreads = repeated.medians.map { suggestions in
            "{" + suggestions.named.map { "\"\($0.name)\":\(number(repeated.spreadDecades[$0.name]))" }.joined(separator: ",") + "}"
        } ?? "null"
        let reasons = repeated.confidence.reasons.map { reason in
            "\"" + reason.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let ceilingText = ceiling.map { "{\"lambda_max\":\(number($0.lambdaMax)),\"learning_rate\":\(number($0.learningRate)),"
            + "\"for_optimizer\":\(number(ceilingRate($0))),\"measured_at\":\"start\","
            + "\"iterations\":\($0.iterations),\"converged\":\($0.converged)}" } ?? "null"
        let command = nextCommand(repeated).map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" } ?? "null"
        print("{\"suggestions\":\(suggestions),\"confidence\":\"\(repeated.confidence.level.rawValue)\","
              + "\"optimizer\":\"\(optimizer.rawValue)\",\"momentum\":\(optimizer == .sgd ? "\(momentum)" : "null"),\"train_command\":\(command),"
              + "\"reasons\":[\(reasons.joined(separator: ","))],\"diverged\":\(result.diverged),\"flat\":\(result.flat),"
              + "\"noise_scale\":\(noise.map(Self.noiseJSON) ?? "null"),"
              + "\"repeats\":\(repeated.results.count),\"spread_decades\":\(spreads),\"ceiling\":\(ceilingText),"
              + "\"lrs\":[\(result.learningRates.map(number).joined(separator: ","))],"
              + "\"losses\":[\(result.smoothedLosses.map(number).joined(separator: ","))],"
              + "\"raw_losses\":[\(result.rawLosses.map(number).joined(separator: ","))]}")
    }

    static func noiseJSON(_ scale: GradientNoiseScale) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(NoiseScaleObject(scale))).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
