import ArgumentParser
import DescentCLIShared
import DescentCLITrain
import DescentDiagnosis
import DescentReport
import DescentTrain
import Foundation

/// `descent diagnose FILE.jsonl`: what the curves of a logged run show, as `descent train` says it
/// at its end, read back from the log `descent train --log FILE.jsonl` wrote (also a killed run's,
/// up to the kill).
///
/// ```
/// $ descent train --dataset digits --epochs 10 --log run.jsonl
/// $ descent diagnose run.jsonl
/// Read run.jsonl: 10 epochs, 450 steps, 0 rollbacks; ended completed
/// training loss per epoch
///   (the chart of the training and validation losses, as train draws them)
/// Diagnosis: good fit (high confidence)
///   - the validation accuracy is 0.981, 98% of the way from the trivial 0.102 to 1
/// Advice: keep these settings
/// ```
package struct DiagnoseCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Say what the curves of a run logged with descent train --log show.",
        discussion: "Reads the JSON Lines log and prints the diagnosis (rate too high or too low, overfitting, "
            + "underfitting, good fit) with its evidence and advice. A malformed line is an error naming the line."
    )

    @Argument(help: ArgumentHelp("The log written by descent train --log.", valueName: "file.jsonl"))
    var path: String
    @Flag(help: "Print the result as one JSON object.")
    var json = false

    /// The `--json` object: `status` ("completed"), `file`, `epochs`, `steps`, `rollbacks`,
    /// `resumptions`, `ended` (the run's own status; absent when it was killed) and `diagnosis`
    /// (as in `train --json`). A failure ends with the failure object
    /// every command prints (`FailureJSON`), kind `input`.
    struct Summary: Encodable {
        var status = "completed"
        var file: String
        var epochs = 0, steps = 0, rollbacks = 0, resumptions = 0
        /// The status of the log's `end` line; nil: the run was killed (or is still going).
        var ended: String?
        var diagnosis: TrainSummary.DiagnosisObject?

        func line() -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = (try? encoder.encode(self)) ?? Data(#"{"status":"failed"}"#.utf8)
            return String(decoding: data, as: UTF8.self)
        }
    }

    package func run() async throws {
        try await FailureJSON.run(json: json) { try diagnoseLog() }
    }

    private func diagnoseLog() throws {
        var summary = Summary(file: path)
        let contents = try TrainingLogReading.read(path)
        let curves = contents.curves
        // A log without a single loss (a run killed before its first step) has no curve to read.
        guard !curves.epochs.isEmpty || !curves.steps.isEmpty || curves.finalDivergence != nil else {
            throw CommandFailure(.input, "\(path) holds no loss (0 epochs, 0 steps): there is nothing to diagnose")
        }
        let diagnosis = diagnose(curves)
        if json {
            summary.epochs = curves.epochs.count
            summary.steps = curves.steps.count
            summary.rollbacks = curves.rollbacks.count
            summary.resumptions = contents.resumptions
            summary.ended = contents.endStatus
            summary.diagnosis = TrainSummary.DiagnosisObject(diagnosis)
            print(summary.line())
            return
        }
        var read = "Read \(path): \(curves.epochs.count) epochs, \(curves.steps.count) steps, \(curves.rollbacks.count) rollbacks"
        if contents.resumptions > 0 { read += ", resumed \(contents.resumptions) time\(contents.resumptions == 1 ? "" : "s")" }
        if let stop = curves.earlyStop { read += "; stopped early after epoch \(stop.epoch) (best \(stop.bestEpoch))" }
        if let divergence = curves.finalDivergence { read += "; diverged at step \(divergence.step)" }
        read += contents.endStatus.map { "; ended \($0.replacingOccurrences(of: "_", with: " "))" }
            ?? "; no end line (the run was killed, or is still going)"
        print(read)
        // The epoch curves as `train` charts them, then the words.
        if curves.epochs.count > 1 {
            let chart = TerminalChart(width: 60, height: 8)
            let firstEpoch = curves.epochs.first?.epoch ?? 1
            print(chart.render(curves.epochs.map(\.trainingLoss), title: "training loss per epoch", firstIndex: firstEpoch))
            if curves.epochs.contains(where: { $0.validationLoss != nil }) {
                print(chart.render(curves.epochs.map { $0.validationLoss ?? .nan }, title: "validation loss per epoch", firstIndex: firstEpoch))
            }
        }
        for line in DiagnosisText.lines(diagnosis) { print(line) }
    }

    package init() {}
}
