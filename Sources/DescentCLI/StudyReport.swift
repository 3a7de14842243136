import Descent
import DescentTune
import Foundation

/// The HTML page of `descent study report`: a summary and the best trial; the optimisation history
/// (each complete trial's value by trial number as a point, with the best-so-far line); the value against
/// each numeric parameter as points (on a log x axis for log parameters); and the intermediate curves (validation loss
/// per epoch) of the pruned and complete trials, which show where the pruner stopped each one.
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
            for name in best.parameters.keys.sorted() { summary.append(("  \(name)", best.parameters[name]!.description)) }
        }
        report.sections.append(HTMLReport.Section(heading: "Summary", blocks: [.keyValues(summary)]))

        // Optimisation history.
        let numbers = trials.map { Double($0.number) }
        let values = trials.map { $0.state == .complete ? ($0.value ?? .nan) : .nan }
        var bestSoFar: [Double] = []
        var running = Double.nan
        for value in values {
            if !value.isNaN, running.isNaN || study.direction.isBetter(value, than: running) { running = value }
            bestSoFar.append(running)
        }
        let history = SVGLineChart(title: "Optimisation history", summary: "Each complete trial's value by trial number; the best so far as a line.",
                                   xLabel: "trial", yAxis: ChartAxis(label: "value"),
                                   series: [ChartSeries(name: "trial value", x: numbers, y: values, style: .points),
                                            ChartSeries(name: "best so far", x: numbers, y: bestSoFar)])
        report.sections.append(HTMLReport.Section(heading: "History", blocks: [.chart(history)]))

        // Value against each numeric parameter.
        var parameterBlocks: [HTMLReport.Block] = []
        for parameter in space?.parameters ?? [] {
            let isLog = parameter.distribution.isLog
            let points = trials.filter { $0.state == .complete }.compactMap { trial -> (Double, Double)? in
                guard let x = trial.parameters[parameter.name]?.number, let y = trial.value, x > 0 || !isLog else { return nil }
                return (x, y)
            }.sorted { $0.0 < $1.0 }
            guard !points.isEmpty else { continue }
            if case .categorical = parameter.distribution { continue }
            parameterBlocks.append(.chart(SVGLineChart(
                title: "Value against \(parameter.name)",
                summary: "Each complete trial's value against its \(parameter.name)\(isLog ? " (log axis, the scale it was searched on)" : "").",
                xLabel: parameter.name, xScale: isLog ? .logarithmic : .linear, yAxis: ChartAxis(label: "value"),
                series: [ChartSeries(name: "value", x: points.map(\.0), y: points.map(\.1), style: .points)])))
        }
        if !parameterBlocks.isEmpty { report.sections.append(HTMLReport.Section(heading: "Parameters", blocks: parameterBlocks)) }

        // Intermediate curves.
        let curves = trials.filter { ($0.state == .pruned || $0.state == .complete) && !$0.intermediate.isEmpty }.prefix(40)
        if !curves.isEmpty {
            let series = curves.map { trial in
                ChartSeries(name: "#\(trial.number) \(trial.state.rawValue)", x: trial.intermediateCurve.map { Double($0.step) },
                            y: trial.intermediateCurve.map(\.value))
            }
            report.sections.append(HTMLReport.Section(heading: "Intermediate values", blocks: [.chart(SVGLineChart(
                title: "Validation loss per epoch", summary: "Each trial's reported values; pruned trials stop where the pruner stopped them.",
                xLabel: "epoch", yAxis: ChartAxis(label: "validation loss", scale: .logarithmic), series: Array(series)))]))
        }
        let rows = trials.map { trial in
            ["\(trial.number)", trial.state.rawValue, trial.value.map { String(format: "%.6g", $0) } ?? "—",
             trial.lastStep.map(String.init) ?? "—",
             trial.parameters.keys.sorted().map { "\($0)=\(trial.parameters[$0]!)" }.joined(separator: " ")]
        }
        report.sections.append(HTMLReport.Section(heading: "Trials", blocks: [.table(header: ["#", "state", "value", "epochs", "parameters"], rows: rows)]))
        return report
    }
}
