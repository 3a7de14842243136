import DescentDiagnosis
import DescentFiles
import DescentReport
import DescentTrain
import Foundation

/// Several logged runs side by side: the page, the terminal lines and the JSON of `descent report`.
///
/// Each run gets one palette colour on every chart. The per-step loss is smoothed with the range
/// test's exponential moving average (β = 0.98, bias-corrected; ``SmoothedLoss``), because raw
/// minibatch losses of several runs drawn over one another are noise; steps the guard rolled back
/// are left out (``TrainingAttempts/kept``). Epoch charts use the epochs as logged, so runs with
/// different batch sizes line up there even where their step counts differ.
struct RunComparison {
    /// One log, read.
    struct Run {
        var file: String
        var contents: TrainingLogContents
        /// The run's name on the page: its file name without `.jsonl`, or the whole path when two names clash.
        var name = ""

        var curves: TrainingCurves { contents.curves }
        var metricName: String? { curves.baseline?.metricName }

        /// The epoch with the lowest finite validation loss.
        var bestEpoch: TrainingRecord? {
            curves.epochs.filter { ($0.validationLoss ?? .nan).isFinite }.min { ($0.validationLoss ?? 0) < ($1.validationLoss ?? 0) }
        }
    }

    var runs: [Run]

    /// `runs` with their names: file names without the extension, or the paths as given when two file names are alike.
    static func named(_ runs: [Run]) -> [Run] {
        let short = runs.map { URL(fileURLWithPath: $0.file).deletingPathExtension().lastPathComponent }
        let unique = Set(short).count == short.count
        return zip(runs, short).map { run, name in
            var run = run
            run.name = unique ? name : run.file
            return run
        }
    }

    static func v(_ value: Double?) -> String { value.map { ChartNumberFormat.value($0, significantDigits: 4) } ?? "—" }

    /// One line per run: "fast  20 epochs, 80 steps, 0 rollbacks; best validation loss 0.0639 at epoch 17".
    var terminalLines: [String] {
        let width = (runs.map(\.name.count).max() ?? 0) + 2
        return runs.map { run in
            var line = run.name.padding(toLength: width, withPad: " ", startingAt: 0)
                + "\(run.curves.epochs.count) epochs, \(run.curves.attempts.kept.count) steps, \(run.curves.rollbacks.count) rollbacks"
            if let best = run.bestEpoch {
                line += "; best validation loss \(Self.v(best.validationLoss)) at epoch \(best.epoch)"
            }
            if let status = run.contents.endStatus { line += "; ended \(status.replacingOccurrences(of: "_", with: " "))" }
            return line
        }
    }

    /// The `--json` line: `status`, `out` and `runs` (each `file`, `name`, `epochs`, `steps`, `rollbacks`,
    /// `best_epoch`, `best_validation_loss`, `final_validation_metric`, `metric`, `ended`; null when unknown).
    func json(out: String) -> String {
        func number(_ value: Double?) -> JSONValue { value.flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .null }
        let items: [JSONValue] = runs.map { run in
            let best = run.bestEpoch
            return .object([
                "file": .string(run.file), "name": .string(run.name),
                "epochs": .number(Double(run.curves.epochs.count)), "steps": .number(Double(run.curves.attempts.kept.count)),
                "rollbacks": .number(Double(run.curves.rollbacks.count)),
                "best_epoch": best.map { .number(Double($0.epoch)) } ?? .null,
                "best_validation_loss": number(best?.validationLoss),
                "final_validation_metric": number(run.curves.epochs.last?.validationMetric),
                "metric": run.metricName.map(JSONValue.string) ?? .null,
                "ended": run.contents.endStatus.map(JSONValue.string) ?? .null,
            ])
        }
        let object = JSONValue.object(["status": .string("completed"), "out": .string(out), "runs": .array(items)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"status":"completed"}"#
    }

    /// The smoothed loss of `steps` (β = 0.98, bias-corrected), NaN where a step's loss is not finite.
    static func smoothed(_ steps: [TrainingCurves.Step]) -> [Double] {
        var average = SmoothedLoss(beta: 0.98)
        return steps.map { $0.loss.isFinite ? average.add($0.loss) : .nan }
    }

    func page(command: String) -> HTMLReport {
        var report = HTMLReport(title: "Runs compared", subtitle: "\(runs.count) run\(runs.count == 1 ? "" : "s") · " + runs.map(\.name).joined(separator: ", "))
        let color = { (index: Int) in ChartPalette.color(index) }
        let rows = runs.map { run -> [String] in
            let best = run.bestEpoch
            return [run.name, "\(run.curves.epochs.count)", "\(run.curves.attempts.kept.count)", "\(run.curves.rollbacks.count)",
                    best.map { "\(Self.v($0.validationLoss)) (epoch \($0.epoch))" } ?? "—",
                    run.curves.epochs.last?.validationMetric.map { "\(Self.v($0)) \(run.metricName ?? "")" } ?? "—",
                    run.contents.endStatus?.replacingOccurrences(of: "_", with: " ") ?? "no end line (killed or still going)", run.file]
        }
        report.sections.append(HTMLReport.Section(heading: "Runs", blocks: [
            .table(header: ["run", "epochs", "steps", "rollbacks", "best validation loss", "final validation metric", "ended", "log"], rows: rows),
            .paragraph("Each run has one colour on every chart. Steps the divergence guard rolled back are left out; "
                       + "the per-step loss is smoothed (exponential moving average, β = 0.98) so that several runs can be told apart."),
        ]))

        let stepLoss = SVGLineChart(
            title: "Training loss per step (smoothed)", xLabel: "step", yAxis: ChartAxis(label: "loss (log scale)", scale: .logarithmic),
            series: runs.enumerated().map { index, run in
                let kept = run.curves.attempts.kept
                return ChartSeries(name: run.name, x: kept.map { Double($0.step) }, y: Self.smoothed(kept), color: color(index))
            })
        let stepRate = SVGLineChart(
            title: "Learning rate per step", xLabel: "step", yAxis: ChartAxis(label: "learning rate (log scale)", scale: .logarithmic),
            series: runs.enumerated().map { index, run in
                let kept = run.curves.attempts.kept
                return ChartSeries(name: run.name, x: kept.map { Double($0.step) }, y: kept.map(\.learningRate), color: color(index))
            })
        report.sections.append(HTMLReport.Section(heading: "Per step", blocks: [.chart(stepLoss), .chart(stepRate)]))

        var epochBlocks: [HTMLReport.Block] = []
        let withValidation = runs.enumerated().filter { $0.element.curves.epochs.contains { $0.validationLoss != nil } }
        if !withValidation.isEmpty {
            epochBlocks.append(.chart(SVGLineChart(
                title: "Validation loss per epoch", xLabel: "epoch", yAxis: ChartAxis(label: "loss (log scale)", scale: .logarithmic),
                series: withValidation.map { index, run in
                    ChartSeries(name: run.name, x: run.curves.epochs.map { Double($0.epoch) },
                                y: run.curves.epochs.map { $0.validationLoss ?? .nan }, color: color(index))
                })))
        }
        epochBlocks.append(.chart(SVGLineChart(
            title: "Training loss per epoch", xLabel: "epoch", yAxis: ChartAxis(label: "loss (log scale)", scale: .logarithmic),
            series: runs.enumerated().map { index, run in
                ChartSeries(name: run.name, x: run.curves.epochs.map { Double($0.epoch) }, y: run.curves.epochs.map(\.trainingLoss), color: color(index))
            })))
        // One chart per metric: runs of a classifier (accuracy) and a regression (R²) are not drawn on one axis.
        var metrics: [String] = []
        for run in runs { if let name = run.metricName, !metrics.contains(name) { metrics.append(name) } }
        for metric in metrics {
            let members = runs.enumerated().filter { $0.element.metricName == metric && $0.element.curves.epochs.contains { $0.validationMetric != nil } }
            guard !members.isEmpty else { continue }
            epochBlocks.append(.chart(SVGLineChart(
                title: "Validation \(metric) per epoch", xLabel: "epoch", yAxis: ChartAxis(label: metric),
                series: members.map { index, run in
                    ChartSeries(name: run.name, x: run.curves.epochs.map { Double($0.epoch) },
                                y: run.curves.epochs.map { $0.validationMetric ?? .nan }, color: color(index))
                })))
        }
        report.sections.append(HTMLReport.Section(heading: "Per epoch", blocks: epochBlocks))
        report.sections.append(HTMLReport.Section(heading: "Command", blocks: [.preformatted(command)]))
        return report
    }
}
