import ArgumentParser
import DescentCLIShared
import DescentCLITrain
import DescentReport
import Foundation

/// `descent report run1.jsonl run2.jsonl …`: one HTML page overlaying several runs logged with
/// `descent train --log`, as TensorBoard overlays runs: their smoothed training loss and learning
/// rate per step, training and validation loss and the validation metric per epoch, and a table
/// (``RunComparison``).
///
/// ```
/// $ descent train --dataset iris --learning-rate 0.003 --log slow.jsonl
/// $ descent train --dataset iris --learning-rate 0.03 --log fast.jsonl
/// $ descent report slow.jsonl fast.jsonl --out runs.html
/// slow  20 epochs, 80 steps, 0 rollbacks; best validation loss 0.2105 at epoch 20
/// fast  20 epochs, 80 steps, 0 rollbacks; best validation loss 0.0639 at epoch 17
/// Wrote runs.html
/// ```
package struct ReportCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compare runs logged with descent train --log on one HTML page (loss and rate curves overlaid).",
        discussion: """
        Each log is one run, named by its file name. The page overlays, in one colour per run, the training \
        loss per step (smoothed, as the range test smooths it: an exponential moving average with β = 0.98), \
        the learning rate per step, the training and validation loss per epoch and the validation metric; \
        steps the divergence guard rolled back are left out (each run's table row counts its rollbacks). \
        At most \(ReportCommand.maximumRuns) logs (one colour each). A log that cannot be read, is empty or \
        has a malformed line is an error naming the file and the line (status 1). With --json the last \
        line is {"status":"completed","out":…,"runs":[{"file":…,"name":…,"epochs":…,…}]}.
        """
    )

    @Argument(help: ArgumentHelp("The logs written by descent train --log.", valueName: "file.jsonl"))
    var logs: [String]
    @Option(help: "The HTML page to write.")
    var out: String = "runs.html"
    @Flag(help: "Print a JSON summary as the last line.")
    var json = false

    static let maximumRuns = ChartPalette.colors.count

    package func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("give at least one log written by descent train --log") }
        guard logs.count <= Self.maximumRuns else {
            throw ValidationError("at most \(Self.maximumRuns) logs (one colour each), got \(logs.count)")
        }
        try TrainCommand.validateOutputs([("--out", out)], inputs: logs.map { (flag: "log", path: $0) })
    }

    package func run() async throws {
        try await FailureJSON.run(json: json) { try report() }
    }

    private func report() throws {
        var runs: [RunComparison.Run] = []
        for path in logs {
            let contents = try TrainingLogReading.read(path)
            guard !contents.curves.steps.isEmpty || !contents.curves.epochs.isEmpty else {
                throw CommandFailure(.input, "\(path): no steps or epochs logged (\(contents.entryCount) "
                    + "entr\(contents.entryCount == 1 ? "y" : "ies"); the run stopped before its first step)")
            }
            runs.append(RunComparison.Run(file: path, contents: contents))
        }
        let comparison = RunComparison(runs: RunComparison.named(runs))
        do {
            try comparison.page(command: TrainReport.commandLine(CommandLine.arguments)).write(toFile: out)
        } catch {
            throw CommandFailure(.write, "--out: \(error)")
        }
        if json {
            print(comparison.json(out: out))
        } else {
            for line in comparison.terminalLines { print(line) }
            print("Wrote \(out)")
        }
    }

    package init() {}
}
