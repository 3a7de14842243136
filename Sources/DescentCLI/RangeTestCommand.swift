import ArgumentParser
import Descent
import Foundation

/// `descent range-test`: the learning-rate range test (fastai's LR finder) on the model
/// `descent train` would build, with a chart of the smoothed loss against the log rate,
/// fastai's four suggestions and how sure they are.
///
/// ```
/// $ descent range-test --dataset digits --optimizer sgd --hidden 32
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
struct RangeTestCommand: AsyncParsableCommand, DataModelOptionsWording {
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
        options; the test runs on the training part only. With --json the last line is \
        {"suggestions":{"valley":…,"slide":…,"minimum":…,"steep":…},"confidence":"high|medium|low", \
        "reasons":[…],"diverged":…,"lrs":[…],"losses":[smoothed…],"raw_losses":[…]} (null for a \
        non-finite number).
        """
    )

    enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
        case sgd, adam, adamw
    }

    @OptionGroup var data: DataModelOptions<RangeTestCommand>
    @Option(help: "The optimizer: \(OptimizerChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var optimizer: OptimizerChoice = .sgd
    @Option(help: "SGD momentum.")
    var momentum: Double = 0.9
    @Option(help: "The first learning rate of the sweep.")
    var start: Double = 1e-7
    @Option(help: "The learning rate the sweep reaches after --iterations steps.")
    var end: Double = 10
    @Option(help: "Number of steps (at least 10).")
    var iterations: Int = 100
    @Flag(help: "Print a JSON summary as the last line.")
    var json = false

    func validate() throws {
        try data.validateSourceAndModel()
        guard start > 0, start.isFinite else { throw ValidationError("--start must be a positive number, got \(start)") }
        guard end.isFinite, end > start else { throw ValidationError("--end must be greater than --start (\(start)), got \(end)") }
        guard iterations >= LearningRateRangeTest.minimumIterations, iterations <= LearningRateRangeTest.maximumIterations else {
            throw ValidationError("--iterations must be from \(LearningRateRangeTest.minimumIterations) to "
                                  + "\(LearningRateRangeTest.maximumIterations), got \(iterations)")
        }
        guard data.batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(data.batchSize)") }
        guard momentum >= 0, momentum < 1 else { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") }
        guard data.validationFraction > 0, data.validationFraction < 1 else { throw ValidationError("--validation-fraction must be in (0, 1)") }
        _ = try TrainingSetup.hiddenSizes(data.hidden)
    }

    func run() async throws {
        try await FailureJSON.run(json: json) { try runTest() }
    }

    private func runTest() throws {
        let setup = try data.makeSetup(hidden: try TrainingSetup.hiddenSizes(data.hidden))
        let test = try LearningRateRangeTest(startLearningRate: start, endLearningRate: end, iterations: iterations,
                                             batchSize: data.batchSize, seed: data.seed)
        if !json {
            print("Range test on \(setup.dataSummary)")
            let optimizerText = optimizer == .sgd ? "sgd (momentum \(momentum))" : optimizer.rawValue
            print("Model: \(setup.architecture), \(setup.model.parameterCount) parameters; optimizer \(optimizerText); rate \(Self.rate(start)) → "
                  + "\(Self.rate(end)) over \(iterations) iterations of \(data.batchSize) examples")
        }
        let result: RangeTestResult
        switch optimizer {
        case .sgd: result = try test.run(setup.model, optimizer: try Optimizer(SGD(momentum: momentum), learningRate: start),
                                         data: setup.split.train)
        case .adam: result = try test.run(setup.model, optimizer: try Optimizer(Adam(), learningRate: start), data: setup.split.train)
        case .adamw: result = try test.run(setup.model, optimizer: try Optimizer(AdamW(), learningRate: start), data: setup.split.train)
        }
        json ? printJSON(result) : printReport(result)
    }

    static func rate(_ value: Double) -> String { String(format: "%.2e", value) }

    private func printReport(_ result: RangeTestResult) {
        // fastai's plot leaves out the last 5 points (where the loss blows up and would flatten the rest).
        let shown = Swift.max(1, result.iterationsRun - 5)
        let chart = TerminalChart(width: 60, height: 12)
        print(chart.render(Array(result.smoothedLosses.prefix(shown)), title: "smoothed loss by iteration (x ∝ log rate)"))
        print("  x: iteration i at rate \(Self.rate(start))·(\(Self.rate(end))/\(Self.rate(start)))^(i/\(iterations)): "
              + "\(Self.rate(result.learningRates.first ?? start)) at the left, "
              + "\(Self.rate(result.learningRates[shown - 1])) at the right")
        if result.diverged {
            print("Stopped after \(result.iterationsRun) iterations: the smoothed loss blew up (above 4 × its minimum) "
                  + "at rate \(Self.rate(result.learningRates.last ?? .nan)).")
        } else {
            print("Ran all \(result.iterationsRun) iterations without the loss blowing up.")
        }
        if let suggestions = result.suggestions {
            print("Suggestions:")
            let notes = ["valley": "fastai's default: middle of the longest descent",
                         "slide": "fastai's interval slide rule",
                         "minimum": "a tenth of the rate at the lowest loss",
                         "steep": "where the loss falls fastest"]
            for (name, rate) in suggestions.named {
                print("  \(name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(Self.rate(rate))   \(notes[name] ?? "")")
            }
        } else {
            print("No suggestion: too few points are left after dropping the first \(iterations / 10) and the last 5.")
        }
        print("Confidence: \(result.confidence.level.rawValue)")
        for reason in result.confidence.reasons { print("  - \(reason)") }
    }

    private func printJSON(_ result: RangeTestResult) {
        func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
        let suggestions = result.suggestions.map { suggestions in
            "{" + suggestions.named.map { "\"\($0.name)\":\(number($0.learningRate))" }.joined(separator: ",") + "}"
        } ?? "null"
        let reasons = result.confidence.reasons.map { reason in
            "\"" + reason.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        print("{\"suggestions\":\(suggestions),\"confidence\":\"\(result.confidence.level.rawValue)\","
              + "\"reasons\":[\(reasons.joined(separator: ","))],\"diverged\":\(result.diverged),"
              + "\"lrs\":[\(result.learningRates.map(number).joined(separator: ","))],"
              + "\"losses\":[\(result.smoothedLosses.map(number).joined(separator: ","))],"
              + "\"raw_losses\":[\(result.rawLosses.map(number).joined(separator: ","))]}")
    }
}
