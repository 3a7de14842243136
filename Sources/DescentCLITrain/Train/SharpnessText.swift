import DescentOptim
import DescentReport
import DescentTrain
import Foundation

/// Sharpness measurements (`descent train --track-sharpness N`) in words and as the training report's chart:
/// λmax against its edge of stability 2(1 + β)/η(t), and for Adam and AdamW the preconditioned sharpness against
/// (2 + 2β₁)/(η(t)(1 − β₁)), η(t) being the scheduled rate at the step measured.
enum SharpnessText {
    /// "Sharpness: 12 measurements every 50 steps on 1024 rows, 0.094 s each (18 power iterations); at step 600 λmax 41.2 against 2(1 + β)/η = 76 (54%)".
    static func summary(_ measurements: [SharpnessMeasurement]) -> String? {
        guard let last = measurements.last else { return nil }
        let seconds = measurements.map(\.seconds).reduce(0, +) / Double(measurements.count)
        let iterations = Double(measurements.map(\.iterations).reduce(0, +)) / Double(measurements.count)
        let interval = measurements.count > 1 ? " every \(measurements[1].step - measurements[0].step) steps" : ""
        var text = "Sharpness: \(measurements.count) measurement\(measurements.count == 1 ? "" : "s")\(interval) on \(last.rows) training rows, "
            + String(format: "%.3g s and %.0f power iterations (2 gradients each) per measurement", seconds, iterations)
            + "; at step \(last.step) λmax \(ChartNumberFormat.value(last.lambdaMax)) against "
            + (last.preconditionedLambdaMax == nil ? "2(1 + β)/η" : "2/η (for reference)") + " = \(ChartNumberFormat.value(last.edge))"
        if let value = last.preconditionedLambdaMax, let edge = last.preconditionedEdge {
            text += ", preconditioned λmax(P⁻¹H) \(ChartNumberFormat.value(value)) against (2 + 2β₁)/(η(1 − β₁)) = \(ChartNumberFormat.value(edge))"
        }
        return text + " (\(ChartNumberFormat.value(100 * last.fractionOfEdge, significantDigits: 2))% of the edge)"
    }

    /// The report's section: the chart and the cost per measurement; nil without measurements.
    static func section(_ measurements: [SharpnessMeasurement]) -> HTMLReport.Section? {
        guard !measurements.isEmpty else { return nil }
        let steps = measurements.map { Double($0.step) }
        let preconditioned = measurements.contains { $0.preconditionedLambdaMax != nil }
        var series = [ChartSeries(name: "λmax of the loss's Hessian", x: steps, y: measurements.map(\.lambdaMax)),
                      ChartSeries(name: preconditioned ? "2/η(t) (for reference)" : "2(1 + β)/η(t)", x: steps, y: measurements.map(\.edge))]
        if preconditioned {
            series += [ChartSeries(name: "preconditioned λmax(P⁻¹H)", x: steps, y: measurements.map { $0.preconditionedLambdaMax ?? .nan }),
                       ChartSeries(name: "(2 + 2β₁)/(η(t)(1 − β₁))", x: steps, y: measurements.map { $0.preconditionedEdge ?? .nan })]
        }
        let chart = SVGLineChart(title: "Sharpness against the edge of stability", xLabel: "step",
                                 yAxis: ChartAxis(label: "sharpness (log scale)", scale: .logarithmic), series: series)
        var blocks: [HTMLReport.Block] = [.chart(chart)]
        let explanation = preconditioned
            ? "Adam's step is not η times the gradient, so its raw λmax has no edge; the preconditioned sharpness λmax(P⁻¹H), P = diag(√v̂ + ε), settles at (2 + 2β₁)/(η(t)(1 − β₁)) at the edge of stability (Cohen et al. 2022). 2/η(t), plain gradient descent's edge, is drawn for reference."
            : "Gradient descent is stable along the sharpest direction while λmax < 2(1 + β)/η(t), η(t) the scheduled rate, β the momentum; full-batch training drives λmax up to that edge and hovers there (progressive sharpening, Cohen et al. 2021). Minibatch noise keeps it a little below."
        blocks.append(.paragraph(explanation))
        if let line = summary(measurements) { blocks.append(.paragraph(line)) }
        return HTMLReport.Section(heading: "Sharpness", blocks: blocks)
    }
}
