import DescentCLIShared
import DescentCLITrain
import DescentDiagnosis
import DescentNN
import DescentOptim
import DescentReport
import DescentSchedules
import DescentTrain
import Foundation

/// One training run of the demo: its epochs, its curves, the error that ended it (if any) and the diagnosis.
struct DemoRun {
    var history: [TrainingRecord]
    var curves: TrainingCurves
    var failure: String?
    var diagnosis: Diagnosis
    var stepsPerEpoch: Int
    /// The schedule's text form.
    var schedule: String
    /// The `descent train` command that reproduces this run exactly.
    var arguments: [String]
    /// The epoch whose weights the run kept (the automatic rate keeps its best epoch); nil: the last.
    var keptEpoch: Int? = nil
}

extension DemoCommand {
    /// The demo's main run exactly as `descent train` runs it with no `--learning-rate` (`command`, parsed from the
    /// demo's "Next" command): train's own automatic rate (`TrainCommand.resolveLearningRate`: the range test's
    /// first look, then the race on validation loss), then the winner trained on from the race's last rung over the
    /// run's cosine schedule, keeping its best epoch, with sharpness tracked every `trackSharpness` steps.
    /// The race's epochs are printed as the run's first ones (as train prints them).
    func trainAutomatically(setup: TrainingSetup, command: TrainCommand, epochs: Int, trackSharpness: Int,
                            announce: (AutomaticLearningRate.Choice) -> Void) throws -> (run: DemoRun, decision: TrainCommand.AutomaticDecision) {
        let split = setup.split
        let stepsPerEpoch = (split.train.count + Self.batchSize - 1) / Self.batchSize
        let totalSteps = epochs * stepsPerEpoch
        var configuration = TrainingConfiguration(epochs: epochs, batchSize: Self.batchSize, seed: 0)
        let decision = try command.resolveLearningRate(setup: setup, totalSteps: totalSteps, configuration: configuration)
        if let choice = decision.choice { announce(choice) }
        if decision.choice?.keepsBestEpoch == true { configuration.keepsBestWeights = true }
        configuration.sharpnessTracking = try SharpnessTracking(interval: trackSharpness)
        let schedule = try TrainCommand.parseSchedule(command.scheduleText, totalSteps: totalSteps, baseLearningRate: decision.rate)
        var optimizer = try Optimizer(SGD(momentum: Self.momentum), learningRate: decision.rate, schedule: .schedule(schedule))
        let start = decision.raceCheckpoint as? TrainingCheckpoint<SGD>
        let settings = command.runSettings(schedule: schedule, totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch, baseRate: decision.rate)
        var curves = TrainingCurves(baseline: TrivialBaseline(for: split.validation), settings: settings)
        curves.epochs = start?.progress.history ?? []
        let metric = setup.objective.metricName
        for record in curves.epochs { printEpoch(record, metric: metric, note: "(race)") }
        var failure: String?
        var keptEpoch: Int?
        do {
            let outcome = try Trainer(configuration: configuration).run(
                setup.model, optimizer: &optimizer, training: split.train, validation: split.validation, resumingFrom: start,
                observe: { event in
                    curves.record(event)
                    if case let .epochEnded(record) = event { printEpoch(record, metric: metric) }
                })
            keptEpoch = outcome.keptEpoch
        } catch let error as TrainingError {
            curves.record(error)
            failure = "\(error)"
        }
        let run = DemoRun(history: curves.epochs, curves: curves, failure: failure, diagnosis: diagnose(curves),
                          stepsPerEpoch: stepsPerEpoch, schedule: "\(schedule)",
                          arguments: Self.trainArguments(rate: nil, epochs: epochs, schedule: nil, trackSharpness: trackSharpness),
                          keptEpoch: keptEpoch)
        return (run, decision)
    }

    private func printEpoch(_ record: TrainingRecord, metric: String, note: String = "") {
        say(String(format: "   epoch %2ld  lr %.2e  loss %.4f  validation loss %.4f  %@ %.4f %@", record.epoch, record.learningRate,
                   record.trainingLoss, record.validationLoss ?? .nan, metric, record.validationMetric ?? .nan, note)
            .replacingOccurrences(of: " +$", with: "", options: .regularExpression))
    }

    /// Trains `setup.model` with SGD (momentum 0.9) at `rate` under `schedule` (peaking at `rate`), the divergence guard on,
    /// sharpness tracked every `trackSharpness` steps.
    func train(setup: TrainingSetup, rate: Double, epochs: Int, schedule: String, trackSharpness: Int) throws -> DemoRun {
        let split = setup.split
        let (batches, remainder) = split.train.count.quotientAndRemainder(dividingBy: Self.batchSize)
        let stepsPerEpoch = batches + (remainder == 0 ? 0 : 1)
        let parsed = try ScheduleParser.parse(schedule, totalSteps: epochs * stepsPerEpoch, baseLearningRate: rate)
        var optimizer = try Optimizer(SGD(momentum: Self.momentum), learningRate: rate, schedule: .schedule(parsed))
        var configuration = TrainingConfiguration(epochs: epochs, batchSize: Self.batchSize, seed: 0)
        configuration.sharpnessTracking = try SharpnessTracking(interval: trackSharpness)
        let trainer = Trainer(configuration: configuration)
        let independent = (try? ScheduleParser.parse(schedule, totalSteps: 2 * epochs * stepsPerEpoch, baseLearningRate: rate))
            .map { "\($0)" == "\(parsed)" } ?? false
        let settings = RunSettings(optimizer: "sgd", family: .momentumSGD, momentum: Self.momentum, learningRate: rate, schedule: parsed,
                                   totalSteps: epochs * stepsPerEpoch, lengthIndependent: independent, epochs: epochs,
                                   stepsPerEpoch: stepsPerEpoch)
        var curves = TrainingCurves(baseline: TrivialBaseline(for: split.validation), settings: settings)
        var history: [TrainingRecord] = []
        var failure: String?
        do {
            history = try trainer.fit(setup.model, optimizer: &optimizer, training: split.train, validation: split.validation) { event in
                curves.record(event)
            }
        } catch let error as TrainingError {
            curves.record(error)
            failure = "\(error)"
            history = curves.epochs
        }
        return DemoRun(history: history, curves: curves, failure: failure, diagnosis: diagnose(curves),
                       stepsPerEpoch: stepsPerEpoch, schedule: "\(parsed)",
                       arguments: Self.trainArguments(rate: rate, epochs: epochs, schedule: schedule, trackSharpness: trackSharpness))
    }

    /// The training report of a run (the same page as `descent train --report`).
    func report(_ run: DemoRun, setup: TrainingSetup, rate: Double, epochs: Int, title: String, command: String,
                automatic: AutomaticLearningRate.Choice?) -> HTMLReport {
        let summary: [(key: String, value: String)] = [
            ("Data set", setup.dataSummary),
            ("Rows", "\(setup.split.train.count) training, \(setup.split.validation.count) validation"),
            ("Model", setup.modelSummary),
            ("Optimizer", "sgd (momentum \(Self.momentum)), learning rate \(Self.rate(rate)) (\(title))"),
            ("Schedule", "\(run.schedule), with the divergence guard" + (run.keptEpoch.map { "; kept the weights of epoch \($0), the lowest validation loss" } ?? "")),
            ("Epochs", "\(run.history.count) of \(epochs), \(run.stepsPerEpoch) steps each, batch size \(Self.batchSize)"),
            ("Final validation \(setup.objective.metricName)", run.history.last?.validationMetric.map { String(format: "%.4f", $0) } ?? "—"),
        ]
        var report = TrainReport(summary: summary, history: run.history, curves: run.curves, metricName: setup.objective.metricName,
                                 stepsPerEpoch: run.stepsPerEpoch, command: command, failure: run.failure)
        var blocks: [HTMLReport.Block] = [.paragraph("\(run.diagnosis.verdict) (\(run.diagnosis.confidence.rawValue) confidence)")]
        if !run.diagnosis.evidence.isEmpty { blocks.append(.list(run.diagnosis.evidence)) }
        blocks.append(.paragraph("Advice: \(DiagnosisText.advice(run.diagnosis, rerun: DiagnosisText.Rerun(arguments: run.arguments, checkpointed: false)))"))
        report.sections.append(HTMLReport.Section(heading: "Diagnosis", blocks: blocks))
        if let automatic { report.sections.append(TrainCommand.automaticSection(automatic, keptEpoch: run.keptEpoch)) }
        return report.document()
    }

    /// The demo's front page.
    func index(automatic: AutomaticLearningRate.Choice, main: DemoRun, guarded: DemoRun, high: Double, metric: String,
               repeated: RepeatedRangeTestResult, seconds: Double) -> HTMLReport {
        let accuracy = { (run: DemoRun) in run.history.last?.validationMetric.map { String(format: "%.4f", $0) } ?? "—" }
        var report = HTMLReport(title: "Descent demo", subtitle: "digits · MLP 64-32-10 · SGD with momentum 0.9")
        report.sections.append(HTMLReport.Section(heading: "What happened", blocks: [
            .keyValues([
                ("Range test", "valley \(Self.rate(repeated.medians?.valley ?? .nan)), confidence \(repeated.confidence.level.rawValue); "
                    + "its rule's rate \(Self.rate(automatic.rangeTestRate ?? automatic.learningRate)) is the first look"),
                ("Chosen rate", "\(Self.rate(automatic.learningRate)): \(automatic.rule)" + (automatic.candidates == nil ? "" :
                    "; the run went on from the kept candidate, cosine from there, keeping its best epoch")),
                ("Sharpness at the chosen rate", Self.ceilingLine(main.curves.sharpness, start: nil) ?? "not measured"),
                ("Sharpness at 10×", Self.ceilingLine(guarded.curves.sharpness, start: nil, rollbacks: guarded.curves.rollbacks) ?? "not measured"),
                ("Training at the chosen rate", "validation \(metric) \(accuracy(main)); \(main.diagnosis.verdict)"),
                ("At 10× (\(Self.rate(high)))", guarded.curves.rollbacks.isEmpty ? "no divergence to catch"
                    : "the guard caught \(guarded.curves.rollbacks.count) blow-up\(guarded.curves.rollbacks.count == 1 ? "" : "s") and scaled the rate down; validation \(metric) \(accuracy(guarded))"),
                ("Time", String(format: "%.1f s", seconds)),
            ]),
        ]))
        report.sections.append(HTMLReport.Section(heading: "Pages", blocks: [
            .links([
                (text: "Range test", address: "range-test.html", about: "the loss against the log learning rate, the four suggestions, the chosen rate and the confidence"),
                (text: "Training at the chosen rate", address: "training.html", about: "the race's candidates, the loss per step with the rate, the loss and accuracy per epoch, sharpness against the edge of stability, the diagnosis"),
                (text: "Training at 10× the rate", address: "training-10x.html", about: "the divergence guard's rollbacks marked on the loss, and the diagnosis"),
                (text: "Learning-rate explorer", address: "explorer.html", about: "animated maps of gradient descent on a bowl, one per rate: a rate that crawls, one that converges, one that zig-zags out"),
            ]),
        ]))
        report.sections.append(HTMLReport.Section(heading: "Next", blocks: [
            .paragraph("The first command repeats the run at the chosen rate exactly (the same data, model, optimizer, epochs and "
                + "sharpness tracking; no --learning-rate, so train runs the same range test and race and chooses the same rate) "
                + "and writes its report; the others try something new."),
            .list([TrainReport.commandLine(main.arguments + ["--report", "train.html"]),
                   "descent range-test --dataset iris --report range.html",
                   "descent explore --landscape ravine --optimizer adam"]),
        ]))
        return report
    }

    func summaryJSON(repeated: RepeatedRangeTestResult, automatic: AutomaticLearningRate.Choice, main: DemoRun, guarded: DemoRun,
                     high: Double, metric: String, seconds: Double) -> String {
        func number(_ value: Double?) -> Any { value.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
        func run(_ run: DemoRun, rate: Double) -> [String: Any] {
            ["learning_rate": number(rate), "epochs": run.history.count, "final_validation_\(metric)": number(run.history.last?.validationMetric),
             "validation_losses": run.history.map { number($0.validationLoss) }, "final_validation_loss": number(run.history.last?.validationLoss),
             "rollbacks": run.curves.rollbacks.count, "failure": run.failure.map { $0 as Any } ?? NSNull(),
             "diagnosis": ["verdict": run.diagnosis.verdict.rawValue, "confidence": run.diagnosis.confidence.rawValue,
                           "evidence": run.diagnosis.evidence,
                           "advice": DiagnosisText.advice(run.diagnosis, rerun: DiagnosisText.Rerun(arguments: run.arguments, checkpointed: false))],
             "command": TrainReport.commandLine(run.arguments)]
        }
        var suggestions: [String: Any] = [:]
        for (name, rate) in repeated.medians?.named ?? [] { suggestions[name] = number(rate) }
        let object: [String: Any] = [
            "out": out, "chosen_learning_rate": number(automatic.learningRate),
            "automatic_learning_rate": ["learning_rate": number(automatic.learningRate), "source": automatic.source.rawValue,
                                        "rule": automatic.rule, "reasons": automatic.reasons,
                                        "range_test_rate": number(automatic.rangeTestRate),
                                        "candidates": (automatic.candidates ?? []).map { candidate -> [String: Any] in
                                            ["learning_rate": number(candidate.learningRate), "epochs_trained": candidate.epochsTrained,
                                             "best_validation_loss": number(candidate.bestValidationLoss),
                                             "eliminated_after_epoch": candidate.eliminatedAfterEpoch.map { $0 as Any } ?? NSNull(),
                                             "kept": candidate.eliminatedAfterEpoch == nil && candidate.bestValidationLoss != nil]
                                        }],
            "range_test": ["suggestions": suggestions, "confidence": repeated.confidence.level.rawValue,
                           "reasons": repeated.confidence.reasons, "repeats": repeated.results.count,
                           "diverged": repeated.results[repeated.representative].diverged],
            "training": run(main, rate: automatic.learningRate).merging(["kept_epoch": main.keptEpoch.map { $0 as Any } ?? NSNull(),
                "sharpness_measurements": main.curves.sharpness.count]) { _, new in new },
            "guarded_run": run(guarded, rate: high).merging(["sharpness_measurements": guarded.curves.sharpness.count]) { _, new in new },
            "pages": Self.pages.map { (out as NSString).appendingPathComponent($0) }, "seconds": number(seconds),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
