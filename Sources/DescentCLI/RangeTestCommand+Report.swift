import ArgumentParser
import Descent
import Foundation

extension RangeTestCommand {
    /// `--report` must name a file that can be written (checked before the test runs).
    static func checkReportPath(_ path: String) throws {
        do {
            try ReportFile.check(path)
        } catch {
            throw ValidationError("--report: \(error)")
        }
    }

    /// Writes the `--report` HTML file (atomically) and says so.
    func writeReport(_ result: RangeTestResult, setup: TrainingSetup, to path: String) throws {
        let optimizerText = optimizer == .sgd ? "sgd (momentum \(momentum))" : optimizer.rawValue
        let summary: [(key: String, value: String)] = [
            ("Data set", setup.dataSummary),
            ("Model", "\(setup.model.parameterCount) parameters; hidden layers \(data.hidden.isEmpty ? "none" : data.hidden)"),
            ("Optimizer", optimizerText),
            ("Sweep", "\(Self.rate(start)) → \(Self.rate(end)) over \(iterations) iterations of \(data.batchSize) examples"),
        ]
        let report = RangeTestReport(result: result, summary: summary, command: TrainReport.commandLine(CommandLine.arguments))
        try report.document().write(toFile: path)
        if !json { print("Wrote the report to \(path)") }
    }
}
