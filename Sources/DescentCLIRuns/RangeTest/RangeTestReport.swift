import DescentReport
import DescentTrain
import Foundation

/// The HTML report of a learning-rate range test: the smoothed and raw loss against the rate on
/// a log axis (one pair of curves per repeat), the four suggestions and the stability ceiling
/// marked, the rate chosen, and how sure the test is, with its reasons.
///
/// It takes plain runs, so a test repeated with other seeds (`--repeats`) or one with a measured
/// ceiling (`--ceiling`) fills the same fields: `runs` gets one entry per repeat and `ceiling` the rate.
///
/// ```swift
/// let report = RangeTestReport(result: result, summary: [("Data set", "digits")], command: "descent range-test …")
/// try report.document().write(toFile: "range-test.html")
/// ```
struct RangeTestReport {
    /// One sweep: its rates, raw minibatch losses and smoothed losses (index = iteration).
    struct Run {
        var label: String
        var learningRates: [Double]
        var rawLosses: [Double]
        var smoothedLosses: [Double]
        var diverged: Bool
    }

    var runs: [Run]
    /// The suggestions by name (valley, slide, minimum, steep), combined over the runs.
    var suggestions: [(name: String, learningRate: Double)]
    var confidenceLevel: String
    var confidenceReasons: [String]
    /// The highest rate at which training stays stable, when it was measured.
    var ceiling: Double?
    /// The rate a run would use, and why ("valley", "automatic: …").
    var chosen: (learningRate: Double, reason: String)?
    /// What the choice of the rate weighed, in words (`AutomaticLearningRate`'s reasons), shown in a section of its own.
    var choiceReasons: [String] = []
    var summary: [(key: String, value: String)]
    var command: String?

    /// The points fastai leaves off the end of its plot (where the loss blows up and would flatten the rest).
    static let trailingPointsHidden = 5

    /// The report of one range test.
    init(result: RangeTestResult, summary: [(key: String, value: String)], command: String?, label: String = "run 1") {
        runs = [Run(label: label, learningRates: result.learningRates, rawLosses: result.rawLosses,
                    smoothedLosses: result.smoothedLosses, diverged: result.diverged)]
        suggestions = result.suggestions?.named ?? []
        confidenceLevel = result.confidence.level.rawValue
        confidenceReasons = result.confidence.reasons
        ceiling = nil
        chosen = result.suggestions.map { ($0.valley, "valley, fastai's default") }
        self.summary = summary
        self.command = command
    }

    init(runs: [Run], suggestions: [(name: String, learningRate: Double)], confidenceLevel: String, confidenceReasons: [String],
         ceiling: Double? = nil, chosen: (learningRate: Double, reason: String)? = nil,
         summary: [(key: String, value: String)] = [], command: String? = nil) {
        self.runs = runs
        self.suggestions = suggestions
        self.confidenceLevel = confidenceLevel
        self.confidenceReasons = confidenceReasons
        self.ceiling = ceiling
        self.chosen = chosen
        self.summary = summary
        self.command = command
    }

    static func rate(_ value: Double) -> String { String(format: "%.2e", value) }

    func chart() -> SVGLineChart {
        var series: [ChartSeries] = []
        for (index, run) in runs.enumerated() {
            let shown = Swift.max(1, run.learningRates.count - Self.trailingPointsHidden)
            let color = ChartPalette.color(index)
            let name = runs.count > 1 ? run.label : "loss"
            series.append(ChartSeries(name: "\(name) (raw)", x: Array(run.learningRates.prefix(shown)),
                                      y: Array(run.rawLosses.prefix(shown)), style: .thinLine, color: color))
            series.append(ChartSeries(name: "\(name) (smoothed)", x: Array(run.learningRates.prefix(shown)),
                                      y: Array(run.smoothedLosses.prefix(shown)), color: color))
        }
        var markers = suggestions.map { ChartMarker(x: $0.learningRate, label: "\($0.name) \(Self.rate($0.learningRate))") }
        if let ceiling { markers.append(ChartMarker(x: ceiling, label: "ceiling at the start \(Self.rate(ceiling))")) }
        // The chosen rate as a labelled point on the first run's smoothed curve.
        var points: [ChartPoint] = []
        if let chosen, let run = runs.first, let loss = Self.interpolate(run, at: chosen.learningRate) {
            points.append(ChartPoint(x: chosen.learningRate, y: loss, label: "chosen \(Self.rate(chosen.learningRate))"))
        }
        var chart = SVGLineChart(title: "Loss against the learning rate", xLabel: "learning rate (log scale)", xScale: .logarithmic,
                                 yAxis: ChartAxis(label: "loss"), series: series, markers: markers, points: points,
                                 width: 760, height: 440)
        // The smoothed curves set the top of the y range (with a quarter to spare), the lowest loss its bottom;
        // the raw blow-up at the end is clipped rather than squashing the rest.
        let smoothed = series.filter { $0.style == .line }.flatMap(\.y).filter(\.isFinite)
        let all = series.flatMap(\.y).filter(\.isFinite)
        if let low = all.min(), let high = smoothed.max(), high > low {
            let span = high - low
            // No room below zero for losses that cannot be negative.
            chart.yDomain = (low >= 0 ? Swift.max(low - 0.15 * span, 0) : low - 0.15 * span)...(high + 0.25 * span)
        }
        return chart
    }

    /// The smoothed loss at `rate`, interpolated linearly in log rate between the recorded iterations.
    static func interpolate(_ run: Run, at rate: Double) -> Double? {
        let pairs = zip(run.learningRates, run.smoothedLosses).filter { $0.0 > 0 && $0.1.isFinite }
        guard let upper = pairs.firstIndex(where: { $0.0 >= rate }) else { return nil }
        if upper == 0 { return pairs[0].0 == rate ? pairs[0].1 : nil }
        let (a, b) = (pairs[upper - 1], pairs[upper])
        let t = (log(rate) - log(a.0)) / (log(b.0) - log(a.0))
        return a.1 + t * (b.1 - a.1)
    }

    func document() -> HTMLReport {
        let iterations = runs.map { "\($0.learningRates.count)" }.joined(separator: ", ")
        var report = HTMLReport(title: "Learning-rate range test",
                                subtitle: "\(runs.count == 1 ? "1 run" : "\(runs.count) repeats") · confidence \(confidenceLevel)")
        var rows = summary
        rows.append(("Iterations run", iterations))
        rows.append(("Stopped", runs.map { $0.diverged ? "the loss blew up" : "the sweep ended" }.joined(separator: "; ")))
        if let chosen { rows.append(("Rate chosen", "\(Self.rate(chosen.learningRate)) (\(chosen.reason))")) }
        if let ceiling { rows.append(("Stability ceiling, measured at the start", Self.rate(ceiling))) }
        report.sections.append(HTMLReport.Section(heading: "Summary", blocks: [.keyValues(rows)]))
        report.sections.append(HTMLReport.Section(heading: "Loss against the rate", blocks: [
            .paragraph("The rate grows geometrically, one minibatch per step; the thin line is each minibatch's loss, the thick one "
                       + "its debiased moving average. As fastai's plot does, the last \(Self.trailingPointsHidden) points are left off."
                       + (runs.count > 1 ? " Each repeat has its own colour." : "")),
            .chart(chart()),
        ]))
        let notes = ["valley": "fastai's default: middle of the longest descent", "slide": "fastai's interval slide rule",
                     "minimum": "a tenth of the rate at the lowest loss", "steep": "where the loss falls fastest"]
        var suggestionRows = suggestions.map { [$0.name, Self.rate($0.learningRate), notes[$0.name] ?? ""] }
        if let ceiling { suggestionRows.append(["ceiling", Self.rate(ceiling), "the highest stable rate at the starting weights (sharpness grows during training, lowering it)"]) }
        report.sections.append(HTMLReport.Section(heading: "Suggestions", blocks: suggestionRows.isEmpty
            ? [.paragraph("No suggestion: too few points are left after trimming the start and the end of the sweep.")]
            : [.table(header: ["name", "rate", "what it is"], rows: suggestionRows)]))
        report.sections.append(HTMLReport.Section(heading: "Confidence: \(confidenceLevel)", blocks: [.list(confidenceReasons)]))
        if let chosen, !choiceReasons.isEmpty {
            report.sections.append(HTMLReport.Section(heading: "How \(Self.rate(chosen.learningRate)) was chosen", blocks: [.list(choiceReasons)]))
        }
        if let command { report.sections.append(HTMLReport.Section(heading: "Command", blocks: [.preformatted(command)])) }
        return report
    }
}
