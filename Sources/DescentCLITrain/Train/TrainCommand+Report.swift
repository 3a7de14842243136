import DescentCLIShared
import DescentDiagnosis
import DescentOptim
import DescentReport
import DescentSchedules
import DescentTrain
import Foundation

extension TrainCommand {
    /// Writes the `--report` HTML file of this run; `failure` is the error that ended a failed run.
    func writeReport(to path: String, setup: TrainingSetup, schedule: AnySchedule, stepsPerEpoch: Int,
                     history: [TrainingRecord], curves: TrainingCurves, failure: Error?,
                     diagnosis: Diagnosis? = nil, rerun: DiagnosisText.Rerun? = nil,
                     automatic: AutomaticLearningRate.Choice? = nil, keptEpoch: Int? = nil, notes: TabularRunNotes? = nil) throws {
        let (split, objective) = (setup.split, setup.objective)
        var summary: [(key: String, value: String)] = [
            ("Data set", setup.dataSummary),
            ("Rows", "\(split.train.count) training, \(split.validation.count) validation"),
            ("Model", setup.modelSummary),
            ("Optimizer", "\(optimizer.rawValue), learning rate \(learningRate), weight decay \(weightDecay)"),
            ("Schedule", "\(schedule)"),
            ("Epochs", "\(history.count) of \(epochs), \(stepsPerEpoch) steps each, batch size \(data.batchSize)"),
            ("Final validation \(objective.metricName)", history.last?.validationMetric.map { String(format: "%.4f", $0) } ?? "—"),
        ]
        if let notes {
            // A raw table: what was done with its columns, and the metrics beside accuracy.
            summary += notes.lines.map { line in
                let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
                return parts.count == 2 ? (parts[0], parts[1].trimmingCharacters(in: .whitespaces)) : ("Note", line)
            }
            if let metrics = notes.metricsLine { summary.append(("Validation metrics", metrics)) }
        }
        var report = TrainReport(summary: summary, history: history, curves: curves, metricName: objective.metricName,
                                 stepsPerEpoch: stepsPerEpoch, command: TrainReport.commandLine(CommandLine.arguments),
                                 failure: failure.map { "\($0)" })
        if let automatic { report.sections.append(Self.automaticSection(automatic, keptEpoch: keptEpoch)) }
        if let diagnosis {
            var blocks: [HTMLReport.Block] = [.paragraph("\(diagnosis.verdict) (\(diagnosis.confidence.rawValue) confidence)")]
            if !diagnosis.evidence.isEmpty { blocks.append(.list(diagnosis.evidence)) }
            blocks.append(.paragraph("Advice: \(DiagnosisText.advice(diagnosis, rerun: rerun))"))
            report.sections.append(HTMLReport.Section(heading: "Diagnosis", blocks: blocks))
        }
        try report.document().write(toFile: path)
    }

    /// The report's "Automatic learning rate" section: the decision, its reasons, and the race's candidates as a table
    /// (rate, epochs trained, best validation loss, fate).
    package static func automaticSection(_ choice: AutomaticLearningRate.Choice, keptEpoch: Int?) -> HTMLReport.Section {
        var blocks: [HTMLReport.Block] = [
            .paragraph(String(format: "%.3g (%@): %@", choice.learningRate, choice.source.rawValue, choice.rule)),
            .list(choice.reasons),
        ]
        if let candidates = choice.candidates {
            let number = { (value: Double?) in value.map { ChartNumberFormat.value($0, significantDigits: 4) } ?? "—" }
            blocks.append(.table(header: ["candidate rate", "epochs trained", "best validation loss", "outcome"],
                                 rows: candidates.map { candidate in
                                     [number(candidate.learningRate), "\(candidate.epochsTrained)", number(candidate.bestValidationLoss),
                                      (candidate.eliminatedAfterEpoch.map { "dropped after epoch \($0)" } ?? "kept")
                                          + (candidate.note.map { " (\($0))" } ?? "")]
                                 }))
        }
        if let keptEpoch { blocks.append(.paragraph("The model keeps the weights of epoch \(keptEpoch), its lowest validation loss.")) }
        return HTMLReport.Section(heading: "Automatic learning rate", blocks: blocks)
    }
}
