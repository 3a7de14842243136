import ArgumentParser
import DescentCLIShared
import DescentCLITrain
import DescentOptim
import DescentTrain
import Foundation

extension RangeTestCommand {
    /// Writes the `--report` HTML file (atomically) and says so: every repeat's curves, the median
    /// suggestions and, with `--ceiling`, the stability ceiling (2(1 + β)/λmax for SGD with momentum β).
    func writeReport(_ repeated: RepeatedRangeTestResult, ceiling: StabilityCeiling?, setup: TrainingSetup, to path: String) throws {
        var summary: [(key: String, value: String)] = [
            ("Data set", setup.dataSummary),
            ("Model", setup.modelSummary),
            ("Optimizer", optimizer.described(momentum: momentum)),
            ("Sweep", "\(Self.rate(start)) → \(Self.rate(end)) over \(iterations) iterations of \(data.batchSize) examples"
                + (repeats > 1 ? ", \(repeats) reshuffles" : "")),
        ]
        if repeats > 1, let medians = repeated.medians {
            summary.append(("Spread of the repeats", medians.named.map {
                "\($0.name) ±\(String(format: "%.2f", repeated.spreadDecades[$0.name] ?? .nan))"
            }.joined(separator: ", ") + " decades"))
        }
        // Only the ceiling that applies to the optimizer is drawn (none for the Adam family: its edge is on the preconditioned sharpness).
        let ceilingRate = ceilingRate(ceiling)
        if let ceiling {
            summary.append(("λmax, measured at the start", String(format: "%.4g (%ld power iterations%@)", ceiling.lambdaMax, ceiling.iterations,
                                                                  ceiling.converged ? "" : ", not converged")))
            summary.append(("Stability ceiling", ceilingWords(ceiling)))
        }
        let report = RangeTestReport(repeated: repeated, ceiling: ceilingRate, summary: summary,
                                     command: TrainReport.commandLine(CommandLine.arguments))
        try report.document().write(toFile: path)
        if !json { print("Wrote the report to \(path)") }
    }
}

extension RangeTestReport {
    /// The report of a repeated range test (one pair of curves per repeat), with the stability ceiling when measured.
    init(repeated: RepeatedRangeTestResult, ceiling: Double?, summary: [(key: String, value: String)], command: String?) {
        let runs = repeated.results.map { result in
            Run(label: "seed \(result.settings.seed)", learningRates: result.learningRates, rawLosses: result.rawLosses,
                smoothedLosses: result.smoothedLosses, diverged: result.diverged)
        }
        let count = repeated.results.count
        self.init(runs: runs, suggestions: repeated.medians?.named ?? [], confidenceLevel: repeated.confidence.level.rawValue,
                  confidenceReasons: repeated.confidence.reasons, ceiling: ceiling,
                  chosen: repeated.medians.map { ($0.valley, count > 1 ? "valley, the median of \(count) repeats" : "valley, fastai's default") },
                  summary: summary, command: command)
    }
}
