import DescentReport
import DescentTune
import Foundation

/// The HTML page of `descent study report`: a summary and the best trial; the optimisation history
/// (each complete trial's value by trial number as a point, with the best-so-far line); one chart per
/// searched parameter (``StudyReport+Charts``); the intermediate curves (validation loss per epoch) of the
/// pruned and complete trials, the best few in colour and the rest grey; and the table of trials.
/// Every point shows its trial, value and parameters when the pointer rests on it.
struct StudyReport {
    var study: StudyRecord
    var trials: [TrialRecord]
    var space: SearchSpace?

    func document() -> HTMLReport {
        let counts = Dictionary(grouping: trials, by: \.state).mapValues(\.count)
        let best = Study.best(of: trials, direction: study.direction)
        var report = HTMLReport(title: "Study \(study.name)", subtitle: study.configuration)
        var summary: [(key: String, value: String)] = [
            ("Trials", "\(trials.count): \(counts[.complete] ?? 0) complete, \(counts[.pruned] ?? 0) pruned, \(counts[.failed] ?? 0) failed, \(counts[.running] ?? 0) running"),
            ("Direction", study.direction.rawValue),
        ]
        if let best {
            summary.append(("Best", String(format: "trial #%ld, value %.6g", best.number, best.value ?? .nan)))
            for name in best.parameters.keys.sorted() { summary.append(("  \(name)", best.parameters[name].map(Self.text) ?? "—")) }
        }
        report.sections.append(HTMLReport.Section(heading: "Summary", blocks: [.keyValues(summary)]))

        report.sections.append(HTMLReport.Section(heading: "History", blocks: [.chart(historyChart)]))
        let parameterCharts = self.parameterCharts
        if !parameterCharts.isEmpty {
            report.sections.append(HTMLReport.Section(heading: "Parameters", blocks: parameterCharts.map(HTMLReport.Block.chart)))
        }
        if let intermediateChart {
            report.sections.append(HTMLReport.Section(heading: "Intermediate values", blocks: [.chart(intermediateChart)]))
        }
        let rows = trials.map { trial in
            ["\(trial.number)", trial.state.rawValue, trial.value.map { String(format: "%.6g", $0) } ?? "—",
             trial.lastStep.map(String.init) ?? "—",
             Self.parameterList(trial.parameters)]
        }
        report.sections.append(HTMLReport.Section(heading: "Trials", blocks: [.table(header: ["#", "state", "value", "epochs", "parameters"], rows: rows)]))
        return report
    }
}
