import ArgumentParser
import Descent
import Foundation

/// `descent train`: train a multilayer perceptron on a bundled data set or a CSV file,
/// printing per epoch the learning rate in force, the training loss and the validation
/// loss and metric, then a chart of the curves.
struct TrainCommand: AsyncParsableCommand, DataModelOptionsWording {
    static let csvHelp = "A CSV file with a header row to train on instead of a bundled data set."
    static let validationFractionHelp = "Fraction of the data held out for validation."

    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a bundled or CSV data set.",
        discussion: """
        Features are standardised with the mean and standard deviation of the training \
        part only (turn off with --no-standardize). Classification data sets train with \
        softmax cross-entropy and report accuracy; regression with mean squared error and R².
        """
    )

    enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
        case sgd, adam, adamw, rmsprop, schedulefree = "schedule-free-adamw", prodigy
    }

    @OptionGroup var data: DataModelOptions<TrainCommand>
    @Option(help: "The optimizer: \(OptimizerChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var optimizer: OptimizerChoice = .adamw
    @Option(name: .customLong("learning-rate"), help: "The base learning rate.")
    var learningRate: Double = 3e-3
    @Option(name: .customLong("weight-decay"), help: "Weight decay (decoupled for AdamW).")
    var weightDecay: Double = 0
    @Option(help: "SGD momentum.")
    var momentum: Double = 0.9
    @Option(help: "The learning-rate schedule, e.g. constant, cosine, onecycle, \"warmup(50) >> cosine\".")
    var schedule: String = "constant"
    @Option(help: "Passes over the training data.")
    var epochs: Int = 20
    @Option(help: "Stop after this many epochs without a lower validation loss.")
    var patience: Int?
    @Option(name: .customLong("save-weights"), help: "Write the trained weights to this .safetensors file.")
    var saveWeights: String?
    @Option(name: .customLong("report"), help: "Write an HTML report of the run (summary, loss and learning-rate charts) to this file.")
    var reportPath: String?
    @Flag(help: "Print a JSON summary as the last line.")
    var json = false

    func validate() throws {
        try TrainingSetup.validateSource(dataset: data.dataset, csv: data.csv, target: data.target, task: data.task)
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be a positive number") }
        guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
        guard data.batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard data.validationFraction > 0, data.validationFraction < 1 else { throw ValidationError("--validation-fraction must be in (0, 1)") }
        if let patience, patience < 1 { throw ValidationError("--patience must be at least 1, got \(patience)") }
        guard weightDecay >= 0, weightDecay.isFinite else { throw ValidationError("--weight-decay must be a finite number ≥ 0") }
        guard momentum >= 0, momentum < 1 else { throw ValidationError("--momentum must be in [0, 1)") }
        _ = try hiddenSizes()
        try validateOutputs()
    }

    func hiddenSizes() throws -> [Int] { try TrainingSetup.hiddenSizes(data.hidden) }

    func run() async throws {
        do {
            try train()
        } catch let error as ValidationError {
            throw error
        } catch let error as ExitCode {
            throw error   // the message is already printed
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func train() throws {
        let setup = try TrainingSetup(dataset: data.dataset, csv: data.csv, target: data.target, task: data.task, hidden: try hiddenSizes(),
                                      validationFraction: data.validationFraction, standardize: !data.noStandardize, seed: data.seed,
                                      batchSize: data.batchSize)
        let (split, objective, model) = (setup.split, setup.objective, setup.model)

        // Written so that a huge --batch-size or --epochs cannot overflow.
        let (fullBatches, remainder) = split.train.count.quotientAndRemainder(dividingBy: data.batchSize)
        let stepsPerEpoch = fullBatches + (remainder == 0 ? 0 : 1)
        let (totalSteps, overflow) = stepsPerEpoch.multipliedReportingOverflow(by: epochs)
        guard !overflow, totalSteps <= ScheduleParser.maximumTotalSteps else {
            throw ValidationError("--epochs \(epochs): \(epochs) epochs of \(stepsPerEpoch) steps is more steps than a schedule can count (10^15)")
        }
        let parsed: AnySchedule
        do {
            parsed = try ScheduleParser.parse(schedule, totalSteps: totalSteps, baseLearningRate: learningRate)
        } catch let error as ScheduleError {
            // Name the flag and point at the place, as `descent schedule show` does.
            var message = "error: --schedule: \(error)\n"
            if let column = error.column {
                message += CaretExcerpt.lines(schedule, column: column)
            }
            FileHandle.standardError.write(Data(message.utf8))
            throw ExitCode(DescentCommand.usageErrorStatus)   // the text is a flag's value: a usage error
        }
        let rate = ScheduledRate.schedule(parsed)
        var trainingConfiguration = TrainingConfiguration(epochs: epochs, batchSize: data.batchSize, seed: data.seed)
        trainingConfiguration.earlyStoppingPatience = patience
        let trainer = Trainer(configuration: trainingConfiguration)

        if !json {
            print("Training on \(setup.dataSummary)")
            print("Model: \(model.parameterCount) parameters; optimizer \(optimizer.rawValue); schedule \(parsed)")
        }
        let history: [TrainingRecord]
        var curves = TrainingCurves(baseline: TrivialBaseline(for: split.validation))
        do {
            switch optimizer {
            case .sgd: history = try fit(trainer, model, SGD(momentum: momentum), rate, split, &curves)
            case .adam: history = try fit(trainer, model, Adam(), rate, split, &curves)
            case .adamw: history = try fit(trainer, model, AdamW(), rate, split, &curves)
            case .rmsprop: history = try fit(trainer, model, RMSprop(), rate, split, &curves)
            case .schedulefree: history = try fit(trainer, model, ScheduleFreeAdamW(), rate, split, &curves)
            case .prodigy: history = try fit(trainer, model, Prodigy(), rate, split, &curves)
            }
        } catch {
            if let error = error as? TrainingError {
                // The guard gave up: say so in words before the error ends the command.
                curves.record(error)
                if !json, curves.finalDivergence != nil { printDiagnosis(diagnose(curves)) }
            }
            // A failed run's report still shows how it failed (the loss up to the divergence, the rollbacks).
            if let reportPath, (try? writeReport(to: reportPath, setup: setup, schedule: parsed, stepsPerEpoch: stepsPerEpoch,
                                                 history: curves.epochs, curves: curves, failure: error,
                                                 diagnosis: diagnose(curves))) != nil {
                FileHandle.standardError.write(Data("note: wrote the report of the failed run to \(reportPath)\n".utf8))
            }
            throw error
        }
        if let path = saveWeights {
            try Safetensors.save(model.stateDictionary, to: path)
            if !json { print("Saved weights to \(path)") }
        }
        report(history, objective: objective, diagnosis: diagnose(curves))
        if let reportPath {
            try writeReport(to: reportPath, setup: setup, schedule: parsed, stepsPerEpoch: stepsPerEpoch,
                            history: history, curves: curves, failure: nil, diagnosis: diagnose(curves))
            if !json { print("Wrote the report to \(reportPath)") }
        }
    }

    private func fit<Rule: OptimizerRule>(_ trainer: Trainer, _ model: Sequential, _ rule: Rule, _ rate: ScheduledRate,
                                          _ split: DatasetSplit, _ curves: inout TrainingCurves) throws -> [TrainingRecord] {
        var optimizer = try Optimizer(rule, learningRate: learningRate, weightDecay: weightDecay, schedule: rate)
        return try trainer.fit(model, optimizer: &optimizer, training: split.train, validation: split.validation) { event in
            curves.record(event)
            guard !json else { return }
            switch event {
            case let .epochEnded(record):
                // %ld: Swift's Int is 64-bit, and %d would print only its low 32 bits.
                print(String(format: "epoch %3ld/%ld  lr %.3e  loss %.4f  validation loss %.4f  %@ %.4f",
                             record.epoch, epochs, record.learningRate, record.trainingLoss,
                             record.validationLoss ?? .nan, Objective(for: split.train).metricName, record.validationMetric ?? .nan))
            case let .rolledBack(step, loss, scale):
                print("step \(step): loss \(loss) diverged; rolled back to a good state, rate scale now \(scale)")
            case let .stoppedEarly(epoch, bestEpoch):
                print("stopped early after epoch \(epoch): no better validation loss since epoch \(bestEpoch) (weights restored)")
            case .stepEnded:
                break
            }
        }
    }

    private func report(_ history: [TrainingRecord], objective: Objective, diagnosis: Diagnosis) {
        guard let last = history.last else { return }
        if json {
            // JSON has no NaN or infinity: such values (a diverged loss, R² of constant targets) are null.
            func number(_ value: Double?) -> String { value.map { $0.isFinite ? "\($0)" : "null" } ?? "null" }
            let epochs = history.map { record in
                "{\"epoch\":\(record.epoch),\"learning_rate\":\(number(record.learningRate)),\"training_loss\":\(number(record.trainingLoss)),"
                    + "\"validation_loss\":\(number(record.validationLoss)),\"validation_\(objective.metricName)\":\(number(record.validationMetric))}"
            }
            print("{\"epochs\":[\(epochs.joined(separator: ","))],\"final_validation_\(objective.metricName)\":\(number(last.validationMetric)),"
                + "\"diagnosis\":\(Self.diagnosisJSON(diagnosis))}")
            return
        }
        let chart = TerminalChart(width: 60, height: 8)
        print(chart.render(history.map(\.trainingLoss), title: "training loss per epoch"))
        if history.contains(where: { $0.validationLoss != nil }) {
            print(chart.render(history.map { $0.validationLoss ?? .nan }, title: "validation loss per epoch"))
        }
        print(String(format: "Final validation %@: %.4f", objective.metricName, last.validationMetric ?? .nan))
        printDiagnosis(diagnosis)
    }
}

// MARK: - What the curves show

extension TrainCommand {
    /// Prints `Diagnosis: <verdict>`, the evidence as bullets and the advice.
    func printDiagnosis(_ diagnosis: Diagnosis) {
        print("Diagnosis: \(diagnosis.verdict) (\(diagnosis.confidence.rawValue) confidence)")
        for line in diagnosis.evidence { print("  - \(line)") }
        print("Advice: \(diagnosis.advice)")
    }

    /// The diagnosis as a JSON object: verdict, message, confidence, evidence and advice.
    static func diagnosisJSON(_ diagnosis: Diagnosis) -> String {
        let object: [String: Any] = [
            "verdict": diagnosis.verdict.rawValue, "message": diagnosis.message, "confidence": diagnosis.confidence.rawValue,
            "evidence": diagnosis.evidence, "advice": diagnosis.advice,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
