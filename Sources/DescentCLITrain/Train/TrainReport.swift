import DescentDiagnosis
import DescentReport
import DescentTrain
import Foundation

extension TrainingAttempts {
    /// The colour of the attempts a rollback threw away: a grey that reads as "not this".
    static let discardedColor = "#8e8e93"

    /// The chart series of the steps: the discarded attempts first (faded grey, drawn behind, one
    /// series for the loss and one for the rate, with a gap between attempts), then the kept loss and
    /// rate — so every step is drawn once in colour however often the guard rolled back over it.
    var chartSeries: [ChartSeries] {
        var series: [ChartSeries] = []
        if !discarded.isEmpty {
            var x: [Double] = [], loss: [Double] = [], rate: [Double] = []
            for attempt in discarded {
                if !x.isEmpty { x.append(x.last ?? 0); loss.append(.nan); rate.append(.nan) }
                x += attempt.steps.map { Double($0.step) }
                loss += attempt.steps.map(\.loss)
                rate += attempt.steps.map(\.learningRate)
            }
            let count = discarded.reduce(0) { $0 + $1.steps.count }
            series.append(ChartSeries(name: "loss of the \(count) steps rolled back", x: x, y: loss, style: .thinLine, color: Self.discardedColor))
            series.append(ChartSeries(name: "their rate", x: x, y: rate, axis: .secondary, style: .thinLine, color: Self.discardedColor))
        }
        let x = kept.map { Double($0.step) }
        series.append(ChartSeries(name: "minibatch loss", x: x, y: kept.map(\.loss), color: ChartPalette.color(0)))
        series.append(ChartSeries(name: "learning rate", x: x, y: kept.map(\.learningRate), axis: .secondary, color: ChartPalette.color(1)))
        return series
    }
}

/// The HTML report of one `descent train` run: a summary table, the per-step loss with the
/// learning rate, training against validation loss per epoch, and the validation metric.
package struct TrainReport {
    var summary: [(key: String, value: String)]
    var history: [TrainingRecord]
    var curves: TrainingCurves
    var metricName: String
    var stepsPerEpoch: Int
    var command: String
    /// The error that ended the run, for a run that failed.
    var failure: String?
    /// Sections shown after the summary (the diagnosis of the curves).
    package var sections: [HTMLReport.Section] = []

    package init(summary: [(key: String, value: String)], history: [TrainingRecord], curves: TrainingCurves, metricName: String,
                 stepsPerEpoch: Int, command: String, failure: String? = nil, sections: [HTMLReport.Section] = []) {
        self.summary = summary
        self.history = history
        self.curves = curves
        self.metricName = metricName
        self.stepsPerEpoch = stepsPerEpoch
        self.command = command
        self.failure = failure
        self.sections = sections
    }

    package func document() -> HTMLReport {
        let source = summary.first?.value.split(separator: ":").first.map(String.init) ?? "training"
        var subtitle = "\(source) · \(history.count) epochs"
        if failure != nil {
            subtitle += " · failed"
        } else if let metric = history.last?.validationMetric {
            subtitle += " · validation \(metricName) \(String(format: "%.4f", metric))"
        }
        var report = HTMLReport(title: "Training report", subtitle: subtitle)
        if let failure {
            report.sections.append(HTMLReport.Section(heading: "Training failed", blocks: [.preformatted(failure)]))
        }
        var rows = summary
        if let best = bestEpoch, let record = history.first(where: { $0.epoch == best }) {
            rows.append(("Best epoch", "\(best) (validation loss \(ChartNumberFormat.value(record.validationLoss ?? .nan, significantDigits: 5)))"))
        }
        rows.append(("Rollbacks", curves.rollbacks.isEmpty ? "none" : "\(curves.rollbacks.count)"))
        if let stop = curves.earlyStop { rows.append(("Early stop", "after epoch \(stop.epoch)")) }
        report.sections.append(HTMLReport.Section(heading: "Summary", blocks: [.keyValues(rows)]))
        report.sections += sections

        // Chart 1: every step's loss (log) with the learning rate on the right; the steps a rollback
        // threw away faded behind the kept path, a marker where each rollback happened.
        let attempts = curves.attempts
        var rollbackMarkers = curves.rollbacks.map { ChartMarker(x: Double($0.step), label: "rollback") }
        let stepChart = SVGLineChart(
            title: "Training loss per step", xLabel: "step",
            yAxis: ChartAxis(label: "loss (log scale)", scale: .logarithmic),
            secondaryYAxis: ChartAxis(label: "learning rate (log scale)", scale: .logarithmic),
            series: attempts.chartSeries, markers: rollbackMarkers)

        // Chart 2: training against validation loss per epoch, with the events.
        let epochs = history.map { Double($0.epoch) }
        rollbackMarkers = curves.rollbackEpochPositions(stepsPerEpoch: stepsPerEpoch).map { ChartMarker(x: $0, label: "rollback") }
        var epochMarkers = rollbackMarkers
        if let best = bestEpoch { epochMarkers.append(ChartMarker(x: Double(best), label: "best epoch")) }
        if let stop = curves.earlyStop { epochMarkers.append(ChartMarker(x: Double(stop.epoch), label: "early stop")) }
        var lossSeries = [ChartSeries(name: "training loss", x: epochs, y: history.map(\.trainingLoss))]
        if history.contains(where: { $0.validationLoss != nil }) {
            lossSeries.append(ChartSeries(name: "validation loss", x: epochs, y: history.map { $0.validationLoss ?? .nan }))
        }
        let epochChart = SVGLineChart(
            title: "Loss per epoch", xLabel: "epoch", yAxis: ChartAxis(label: "loss (log scale)", scale: .logarithmic),
            series: lossSeries, markers: epochMarkers)

        // Chart 3: the validation metric.
        let metricChart = SVGLineChart(
            title: "Validation \(metricName) per epoch", xLabel: "epoch", yAxis: ChartAxis(label: metricName),
            series: [ChartSeries(name: "validation \(metricName)", x: epochs, y: history.map { $0.validationMetric ?? .nan })],
            markers: bestEpoch.map { [ChartMarker(x: Double($0), label: "best epoch")] } ?? [])

        report.sections.append(HTMLReport.Section(heading: "Charts", blocks: [.chart(stepChart), .chart(epochChart), .chart(metricChart)]))
        if let sharpness = SharpnessText.section(curves.sharpness) { report.sections.append(sharpness) }

        var events: [String] = zip(curves.rollbacks.indices, curves.rollbacks).map { index, rollback in
            // Where each retry started, when every rollback was followed by one (a run that ended diverging was not).
            let restart = attempts.discarded.count == curves.rollbacks.count ? " to the state after step \(attempts.discarded[index].restartedAfter)" : ""
            return "step \(rollback.step): loss \(ChartNumberFormat.value(rollback.loss)) diverged; rolled back\(restart), "
                + "rate scale now \(ChartNumberFormat.value(rollback.rateScale ?? .nan))"
        }
        if let stop = curves.earlyStop {
            events.append("stopped early after epoch \(stop.epoch): no better validation loss since epoch \(stop.bestEpoch) (weights restored)")
        }
        if !events.isEmpty {
            report.sections.append(HTMLReport.Section(heading: "Events", blocks: [.preformatted(events.joined(separator: "\n"))]))
        }

        let shown = history.count <= 200 ? history : Array(history.prefix(100)) + Array(history.suffix(100))
        let v = { (value: Double?) in value.map { ChartNumberFormat.value($0, significantDigits: 5) } ?? "—" }
        var epochBlocks: [HTMLReport.Block] = [.table(
            header: ["epoch", "step", "learning rate", "training loss", "validation loss", "validation \(metricName)"],
            rows: shown.map { ["\($0.epoch)", "\($0.step)", v($0.learningRate), v($0.trainingLoss), v($0.validationLoss), v($0.validationMetric)] })]
        if shown.count < history.count {
            epochBlocks.insert(.paragraph("The first and last 100 of \(history.count) epochs."), at: 0)
        }
        report.sections.append(HTMLReport.Section(heading: "Epochs", blocks: epochBlocks))
        report.sections.append(HTMLReport.Section(heading: "Command", blocks: [.preformatted(command)]))
        return report
    }

    /// The epoch with the lowest finite validation loss (the early stop's when it stopped early).
    var bestEpoch: Int? {
        if let stop = curves.earlyStop { return stop.bestEpoch }
        return history.filter { ($0.validationLoss ?? .nan).isFinite }.min { $0.validationLoss! < $1.validationLoss! }?.epoch
    }

    /// The command line, with arguments quoted where the shell would need it.
    package static func commandLine(_ arguments: [String]) -> String {
        arguments.enumerated().map { index, argument in
            let word = index == 0 ? URL(fileURLWithPath: argument).lastPathComponent : argument
            let safe = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=,:+@%".contains($0) }
            return safe ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
