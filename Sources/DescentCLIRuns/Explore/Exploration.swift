import DescentExplore
import DescentReport
import Foundation

/// The paths of one `descent explore` run and what they did, as terminal text, a JSON line and
/// an HTML page (an animated contour map, the loss of each path against the step, and each rate's
/// outcome against the stable limit 2/λmax). `descent demo` draws its explorer page with it too.
struct Exploration {
    var landscape: Landscape
    var start: (x: Double, y: Double)
    var optimizerName: String
    var schedule: String
    var steps: Int
    var paths: [LandscapePath]
    /// The base rate of each path (before its schedule).
    var baseRates: [Double]
    /// What each path did.
    let behaviours: [PathBehaviour]
    /// SGD's momentum β (0: plain gradient descent); nil for the other optimizers, to which no
    /// simple stable limit applies.
    var momentum: Double?

    init(landscape: Landscape, start: (x: Double, y: Double), optimizerName: String, schedule: String, steps: Int,
         paths: [LandscapePath], baseRates: [Double], momentum: Double? = 0) {
        self.momentum = momentum
        self.landscape = landscape
        self.start = start
        self.optimizerName = optimizerName
        self.schedule = schedule
        self.steps = steps
        self.paths = paths
        self.baseRates = baseRates
        behaviours = paths.map(PathBehaviour.init(of:))
    }

    /// The most points of a path drawn; a longer path is drawn from every k-th step (and its last).
    static let drawnPoints = 1_000

    /// The indices of the points drawn for a path of `count` points.
    static func drawnIndices(_ count: Int) -> [Int] {
        guard count > drawnPoints else { return Array(0..<count) }
        let stride = (count + drawnPoints - 1) / drawnPoints
        var indices = Array(Swift.stride(from: 0, to: count, by: stride))
        if indices.last != count - 1 { indices.append(count - 1) }
        return indices
    }

    static func rate(_ value: Double) -> String { ChartNumberFormat.value(value) }

    /// The largest stable rate of the optimizer at the minimum: 2/λmax for plain gradient descent,
    /// 2(1 + β)/λmax for SGD with heavy-ball momentum β (as the range test's ceiling); for the adaptive
    /// optimizers plain gradient descent's 2/λmax, shown only as a reference.
    var limit: Double { landscape.stabilityLimit * (1 + (momentum ?? 0)) }

    /// "2/λmax", or "2(1 + β)/λmax" with momentum.
    var limitFormula: String { (momentum ?? 0) > 0 ? "2(1 + β)/λmax" : "2/λmax" }

    var limitSentence: String {
        let value = Self.rate(limit)
        var text = landscape.isQuadratic
            ? "stable limit \(limitFormula) = \(value) (exact: the curvature is the same everywhere)"
            : "stable limit \(limitFormula) = \(value) at the minimum (\(Self.rate(landscape.minima[0].x)), \(Self.rate(landscape.minima[0].y))); "
                + "far from it the curvature differs"
        if let momentum, momentum > 0 {
            text += "; with momentum β = \(Self.rate(momentum)) (plain gradient descent's 2/λmax is \(Self.rate(landscape.stabilityLimit)))"
        } else if momentum == nil {
            text += "; that is plain gradient descent's limit: \(optimizerName) rescales its steps, so it is shown only as a reference"
        }
        return text
    }

    var headline: String {
        "\(landscape.rawValue), \(landscape.formula), from (\(Self.rate(start.x)), \(Self.rate(start.y))): "
            + "\(steps) steps of \(optimizerName), schedule \(schedule)"
    }

    func label(_ index: Int) -> String { "rate \(Self.rate(baseRate(index)))" }

    func baseRate(_ index: Int) -> Double { baseRates[index] }

    var terminalText: String {
        var text = headline + "\n" + limitSentence + "\n"
        let labels = paths.indices.map(label)
        let relatives = paths.indices.map { "(\(Self.rate(baseRate($0) / limit))× the limit)" }
        let width = (labels.map(\.count).max() ?? 0) + 1
        let relativeWidth = (relatives.map(\.count).max() ?? 0) + 2
        for (index, behaviour) in behaviours.enumerated() {
            text += labels[index].padding(toLength: width, withPad: " ", startingAt: 0)
                + relatives[index].padding(toLength: relativeWidth, withPad: " ", startingAt: 0)
                + behaviour.verdict.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                + behaviour.explanation + "\n"
        }
        return text
    }

    func json(out: String?) -> String {
        func number(_ value: Double?) -> Any { value.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
        let items: [[String: Any]] = behaviours.enumerated().map { index, behaviour in
            ["learning_rate": number(baseRate(index)), "verdict": behaviour.verdict.rawValue,
             "initial_gap": number(behaviour.initialGap), "final_gap": number(behaviour.finalGap),
             "steps": behaviour.steps, "converged_at_step": behaviour.convergedAtStep.map { $0 as Any } ?? NSNull(),
             "overshoot_fraction": number(behaviour.overshootFraction), "motion": behaviour.motion.rawValue,
             "stopped_at": behaviour.stoppedAt.map { $0 as Any } ?? NSNull(), "explanation": behaviour.explanation]
        }
        let object: [String: Any] = [
            "landscape": landscape.rawValue, "optimizer": optimizerName, "schedule": schedule, "steps": steps,
            "start": [start.x, start.y], "stability_limit": number(limit), "stability_limit_formula": limitFormula,
            "stability_limit_exact": landscape.isQuadratic, "paths": items, "out": out.map { $0 as Any } ?? NSNull(),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The lowest gap drawn on the log loss axis; a path that reaches the minimum exactly is drawn there.
    static let gapFloor = 1e-12

    func page(command: String?) -> HTMLReport {
        let domain = landscape.domain
        let grid = ScalarGrid(x: domain.x, y: domain.y, columns: 181, rows: 181) { landscape.value(x: $0, y: $1) }
        let range = grid.finiteRange ?? 0...1
        let levels = ContourLines.levels(low: landscape.minimumValue, high: range.upperBound, count: 14,
                                         scale: landscape.isQuadratic && landscape == .bowl ? .linear : .logarithmic)
        var points = landscape.minima.map { ChartPoint(x: $0.x, y: $0.y, label: "minimum") }
        points.append(ChartPoint(x: start.x, y: start.y, label: "start"))
        // Small multiples: one map per rate, all from the same start and on the same field. On one map the
        // paths would cover each other: on the bowl, gradient descent moves every path along the same line
        // through the start and the minimum, whatever the rate.
        let aspect = (domain.y.upperBound - domain.y.lowerBound) / (domain.x.upperBound - domain.x.lowerBound)
        let mapWidth = 400.0
        let mapHeight = Swift.max(300, (mapWidth - 80) * aspect + 110)
        let maps = paths.indices.map { index -> String in
            let kept = Self.drawnIndices(paths[index].x.count)
            let path = ChartPath(name: label(index), x: kept.map { paths[index].x[$0] }, y: kept.map { paths[index].y[$0] },
                                 color: ChartPalette.color(index), steps: kept)
            let behaviour = behaviours[index]
            return SVGContourMap(title: "\(label(index)): \(behaviour.verdict.rawValue), \(behaviour.motion.rawValue)",
                                 summary: "Contour map of \(landscape.formula); the path at \(label(index)) \(behaviour.movement).",
                                 grid: grid, levels: levels, paths: [path], points: points, animatesSteps: true,
                                 identifier: "dc-map-\(index)", width: mapWidth, height: mapHeight).svg()
        }
        let chartHeight = 360.0

        var lossChart = SVGLineChart(
            title: "Gap to the minimum against the step", xLabel: "step",
            yAxis: ChartAxis(label: "f − f* (log scale)", scale: .logarithmic),
            series: paths.indices.map { index in
                let kept = Self.drawnIndices(paths[index].losses.count)
                return ChartSeries(name: label(index), x: kept.map(Double.init),
                                   y: kept.map { Swift.max(paths[index].losses[$0] - landscape.minimumValue, Self.gapFloor) })
            }, width: 1100, height: chartHeight)
        lossChart.animatesSteps = true

        let shownRates = paths.indices.map(baseRate) + [limit]
        var outcome = SVGLineChart(
            title: "Each rate against the stable limit", xLabel: "learning rate (log scale)", xScale: .logarithmic,
            yAxis: ChartAxis(label: "final gap ÷ first gap (log scale)", scale: .logarithmic),
            series: paths.indices.map { index in
                let behaviour = behaviours[index]
                let ratio = behaviour.finalGap.isFinite ? Swift.max(behaviour.finalGap / behaviour.initialGap, Self.gapFloor) : 1e12
                return ChartSeries(name: "\(label(index)): \(behaviour.verdict.rawValue)", x: [baseRate(index)], y: [ratio], style: .points)
            },
            markers: [ChartMarker(x: limit, label: "\(limitFormula) = \(Self.rate(limit))\(landscape.isQuadratic ? "" : " at the minimum")")],
            width: 1100, height: 340)
        // Half a decade of room on each side, so no point sits on the frame.
        outcome.xDomain = (shownRates.min()! / 3)...(shownRates.max()! * 3)
        // Room above the highest point for the limit's label.
        let highestRatio = outcome.series.flatMap(\.y).filter(\.isFinite).max() ?? 1
        outcome.yDomain = (Self.gapFloor / 10)...Swift.max(highestRatio * 1e4, 10)

        var report = HTMLReport(title: "Learning-rate explorer",
                                subtitle: "\(landscape.rawValue) · \(optimizerName) · \(paths.count) rates · \(steps) steps", wide: true)
        report.sections.append(HTMLReport.Section(heading: "The field", blocks: [
            .paragraph("\(headline). The \(limitSentence). Press Play to watch the paths step by step; "
                       + "the loss is drawn on a log scale, a path that reaches the minimum exactly at \(Self.rate(Self.gapFloor))."),
            .paragraph("One map per rate (small multiples), all from the same start on the same field, so paths that "
                       + "follow the same line do not hide one another."),
            .list(paths.indices.map { "\(label($0)) \(behaviours[$0].movement) (\(behaviours[$0].verdict.rawValue))." }),
            .stepper(steps: steps),
            .figures(maps),
            .chart(lossChart),
        ]))
        report.sections.append(HTMLReport.Section(heading: "What each rate did", blocks: [
            .table(header: ["rate", "× limit", "verdict", "motion", "first gap", "final gap", "what happened"],
                   rows: behaviours.enumerated().map { index, behaviour in
                       [Self.rate(baseRate(index)), Self.rate(baseRate(index) / limit), behaviour.verdict.rawValue, behaviour.motion.rawValue,
                        Self.rate(behaviour.initialGap), Self.rate(behaviour.finalGap), behaviour.explanation]
                   }),
            .chart(outcome),
        ]))
        report.sections.append(HTMLReport.Section(heading: "How to read it", blocks: [
            .list([
                "crawled: every step went downhill but too little; a larger rate gets there sooner.",
                "converged: the gap to the minimum shrank at least 1000×, mostly without jumping over it.",
                "overshot: it got there, but most steps jumped past the lowest point along their direction.",
                "oscillated: it keeps jumping across the valley without getting much lower.",
                "diverged: each jump lands higher than the last; the rate is above the stable limit \(limitFormula).",
                "The path's motion: straight, zig-zag (most steps reverse the last: it jumps back and forth across the valley), "
                    + "spiral (the steps keep turning the same way, a full turn or more) or curved.",
                "Plain gradient descent multiplies each direction of curvature λ by 1 − rate·λ per step: "
                    + "below 1/λ it creeps, between 1/λ and 2/λ it zig-zags across and settles, above 2/λ it zig-zags out. "
                    + "Heavy-ball momentum β raises the limit to 2(1 + β)/λ.",
            ]),
        ]))
        if let command {
            report.sections.append(HTMLReport.Section(heading: "Command", blocks: [.preformatted(command)]))
        }
        return report
    }
}
