import DescentNN
import DescentReport
import DescentTune
import Foundation

/// The charts of a study's report.
///
/// * Values go on a log axis when they are all positive and span a decade or more (max/min ≥ 10):
///   good trials at 0.04–0.15 beside one at 3.3 are then told apart instead of lying flat at 0.
/// * Every searched parameter gets a chart: a numeric one the value against the parameter (log x for
///   log-searched ones), its points coloured by the first categorical parameter; a categorical one the
///   value per choice (a strip, one colour per choice, points spread ±0.15 sideways by trial so they do not hide
///   one another).
/// * Intermediate curves: the best `highlighted` complete trials in colour, every other curve in one grey.
extension StudyReport {
    /// How many of the best trials' intermediate curves are drawn in colour.
    static let highlighted = 5
    /// The grey of the curves not highlighted.
    static let otherColor = "#9a9aa0"

    var completeTrials: [TrialRecord] { trials.filter { $0.state == .complete && ($0.value ?? .nan).isFinite } }

    /// Whether the complete trials' values call for a log axis (all positive, spanning at least a decade).
    var valueScale: AxisScale {
        let values = completeTrials.compactMap(\.value)
        guard let low = values.min(), let high = values.max(), low > 0, high / low >= 10 else { return .linear }
        return .logarithmic
    }

    var valueAxis: ChartAxis {
        ChartAxis(label: valueScale == .logarithmic ? "value (log scale)" : "value", scale: valueScale)
    }

    /// A parameter's value for people: a float to 6 significant digits (0.158669, not 0.15866890806994638).
    static func text(_ value: ParameterValue) -> String {
        if case let .float(x) = value { return ChartNumberFormat.value(x, significantDigits: 6) }
        return value.description
    }

    /// "name=value name=value", sorted by name.
    static func parameterList(_ parameters: [String: ParameterValue]) -> String {
        parameters.keys.sorted().compactMap { name in parameters[name].map { "\(name)=\(text($0))" } }.joined(separator: " ")
    }

    /// "trial #3: 0.0412 · learning_rate=0.0031 optimizer=adam", the hover text of a trial's point.
    func hoverText(_ trial: TrialRecord) -> String {
        let parameters = Self.parameterList(trial.parameters)
        return "trial #\(trial.number): \(trial.value.map { ChartNumberFormat.value($0, significantDigits: 6) } ?? "—")"
            + (parameters.isEmpty ? "" : " · \(parameters)")
    }

    var historyChart: SVGLineChart {
        let complete = completeTrials
        var bestSoFar: [Double] = []
        var running = Double.nan
        for trial in complete {
            let value = trial.value ?? .nan
            if running.isNaN || study.direction.isBetter(value, than: running) { running = value }
            bestSoFar.append(running)
        }
        let numbers = complete.map { Double($0.number) }
        let logNote = valueScale == .logarithmic ? " The values span more than a decade, so the axis is logarithmic." : ""
        return SVGLineChart(
            title: "Optimisation history",
            summary: "Each complete trial's value by trial number; the best so far as a line.\(logNote)",
            xLabel: "trial", yAxis: valueAxis,
            // The best-so-far line first, so each trial's point is drawn over it (and hovers with its parameters).
            series: [ChartSeries(name: "best so far", x: numbers, y: bestSoFar, color: ChartPalette.color(1),
                                 pointLabels: zip(complete, bestSoFar).map { "best after trial #\($0.number): \(ChartNumberFormat.value($1, significantDigits: 6))" }),
                     ChartSeries(name: "trial value", x: numbers, y: complete.map { $0.value ?? .nan }, style: .points,
                                 color: ChartPalette.color(0), pointLabels: complete.map(hoverText))])
    }

    /// The searched parameters: the search space's, else the names the trials carry (categorical
    /// when any trial's value is a choice).
    var searchedParameters: [SearchSpace.Parameter] {
        if let space, !space.parameters.isEmpty { return space.parameters }
        let names = Set(trials.flatMap(\.parameters.keys)).sorted()
        return names.map { name in
            let values = trials.compactMap { $0.parameters[name] }
            let choices = values.compactMap { value -> String? in if case let .choice(text) = value { return text } else { return nil } }
            if !choices.isEmpty {
                return SearchSpace.Parameter(name: name, distribution: .categorical(Array(Set(values.map(\.description))).sorted()))
            }
            let numbers = values.compactMap(\.number)
            return SearchSpace.Parameter(name: name, distribution: .float(low: numbers.min() ?? 0, high: numbers.max() ?? 1, log: false))
        }
    }

    var parameterCharts: [SVGLineChart] {
        let complete = completeTrials
        guard !complete.isEmpty else { return [] }
        let parameters = searchedParameters
        // The categorical parameter that colours the numeric charts.
        let colouring = parameters.first { if case .categorical = $0.distribution { return true } else { return false } }
        var charts: [SVGLineChart] = []
        for parameter in parameters {
            switch parameter.distribution {
            case let .categorical(choices):
                // A strip per choice; trials of one choice spread over ±0.15 in trial order.
                let groups = choices.map { choice in complete.filter { $0.parameters[parameter.name]?.description == choice } }
                var chart = SVGLineChart(
                    title: "Value by \(parameter.name)",
                    summary: "Each complete trial's value for each choice of \(parameter.name), one colour per choice.",
                    xLabel: parameter.name, yAxis: valueAxis,
                    series: zip(choices.indices, groups).map { index, group in
                        let spread = group.indices.map { group.count > 1 ? -0.15 + 0.3 * Double($0) / Double(group.count - 1) : 0 }
                        return ChartSeries(name: choices[index], x: spread.map { Double(index) + $0 }, y: group.map { $0.value ?? .nan },
                                           style: .points, color: ChartPalette.color(index), pointLabels: group.map(hoverText))
                    })
                chart.xCategories = choices
                charts.append(chart)
            case .float, .int:
                let isLog = parameter.distribution.isLog
                let usable = complete.filter { trial in
                    guard let x = trial.parameters[parameter.name]?.number else { return false }
                    return x.isFinite && (x > 0 || !isLog)
                }.sorted { ($0.parameters[parameter.name]?.number ?? 0) < ($1.parameters[parameter.name]?.number ?? 0) }
                guard !usable.isEmpty else { continue }
                func series(_ name: String, _ group: [TrialRecord], color: String?) -> ChartSeries {
                    ChartSeries(name: name, x: group.map { $0.parameters[parameter.name]?.number ?? .nan }, y: group.map { $0.value ?? .nan },
                                style: .points, color: color, pointLabels: group.map(hoverText))
                }
                var drawn: [ChartSeries]
                var colourNote = ""
                if let colouring, case let .categorical(choices) = colouring.distribution {
                    drawn = choices.enumerated().compactMap { index, choice in
                        let group = usable.filter { $0.parameters[colouring.name]?.description == choice }
                        return group.isEmpty ? nil : series("\(colouring.name)=\(choice)", group, color: ChartPalette.color(index))
                    }
                    colourNote = " Colour: \(colouring.name)."
                } else {
                    drawn = [series("value", usable, color: nil)]
                }
                if drawn.isEmpty { drawn = [series("value", usable, color: nil)] }
                charts.append(SVGLineChart(
                    title: "Value against \(parameter.name)",
                    summary: "Each complete trial's value against its \(parameter.name)\(isLog ? " (log axis, the scale it was searched on)" : "").\(colourNote)",
                    xLabel: parameter.name + (isLog ? " (log scale)" : ""), xScale: isLog ? .logarithmic : .linear, yAxis: valueAxis,
                    series: drawn))
            }
        }
        return charts
    }

    /// The validation loss per epoch of every pruned or complete trial: the best few complete trials
    /// in colour (named in the legend), the others in one grey series drawn behind them.
    var intermediateChart: SVGLineChart? {
        let curves = trials.filter { ($0.state == .pruned || $0.state == .complete) && !$0.intermediate.isEmpty }
        guard !curves.isEmpty else { return nil }
        let ranked = curves.filter { $0.state == .complete && ($0.value ?? .nan).isFinite }
            .sorted { study.direction.isBetter($0.value ?? .nan, than: $1.value ?? .nan) || ($0.value == $1.value && $0.number < $1.number) }
        let best = Array(ranked.prefix(Self.highlighted))
        let bestNumbers = Set(best.map(\.number))
        let others = curves.filter { !bestNumbers.contains($0.number) }
        var series: [ChartSeries] = []
        if !others.isEmpty {
            var x: [Double] = [], y: [Double] = [], labels: [String] = []
            for trial in others {
                if !x.isEmpty { x.append(x.last ?? 0); y.append(.nan); labels.append("") }
                for point in trial.intermediateCurve {
                    x.append(Double(point.step)); y.append(point.value)
                    labels.append("trial #\(trial.number) (\(trial.state.rawValue)), epoch \(point.step): \(ChartNumberFormat.value(point.value))")
                }
            }
            series.append(ChartSeries(name: "\(others.count) other trial\(others.count == 1 ? "" : "s") (pruned ones stop early)",
                                      x: x, y: y, style: .thinLine, color: Self.otherColor, pointLabels: labels))
        }
        for (index, trial) in best.enumerated() {
            let curve = trial.intermediateCurve
            series.append(ChartSeries(
                name: "#\(trial.number) (\(index == 0 ? "best, " : "")\(ChartNumberFormat.value(trial.value ?? .nan)))",
                x: curve.map { Double($0.step) }, y: curve.map(\.value), color: ChartPalette.color(index),
                pointLabels: curve.map { "trial #\(trial.number), epoch \($0.step): \(ChartNumberFormat.value($0.value))" }))
        }
        return SVGLineChart(
            title: "Validation loss per epoch",
            summary: "Each trial's reported values; the \(best.count) best complete trials in colour, the rest grey; "
                + "pruned trials stop where the pruner stopped them.",
            xLabel: "epoch", yAxis: ChartAxis(label: "validation loss (log scale)", scale: .logarithmic), series: series)
    }
}
