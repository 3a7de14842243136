import Foundation

/// A line chart as a self-contained SVG document: several named series, a linear or log y axis,
/// an optional second y axis on the right, nice ticks with gridlines, axis labels, a title, a legend
/// and labelled vertical event markers.
///
/// The output is deterministic (fixed number formatting, no random ids), accessible (`role="img"`,
/// `<title>` and `<desc>`, the colour-blind-safe ``ChartPalette``, secondary series dashed so they
/// differ by more than colour) and follows the reader's light or dark colour scheme.
/// Non-finite points, and non-positive points on a log axis, leave gaps; very long series are
/// thinned to the minimum and maximum per pixel column, so a spike is never lost.
/// Every dot (a scatter's points, the points of a short line) carries its value as a hover
/// `<title>` (``ChartSeries/pointLabels`` or "name: x, y"); `xCategories` makes the x axis
/// categorical (a strip of values per optimizer).
///
/// Example:
///
///     var chart = SVGLineChart(title: "Training loss", xLabel: "step",
///                              yAxis: ChartAxis(label: "loss", scale: .logarithmic))
///     chart.secondaryYAxis = ChartAxis(label: "learning rate", scale: .logarithmic)
///     chart.series = [ChartSeries(name: "loss", values: [2.3, 0.9, 0.31, 0.12]),
///                     ChartSeries(name: "learning rate", values: [1e-3, 1e-3, 5e-4, 1e-4], axis: .secondary)]
///     chart.markers = [ChartMarker(x: 2, label: "rollback")]
///     let svg = chart.svg()   // "<svg xmlns=…" with a log loss axis 0.1…10 on the left, 1e-4…1e-3 on the right
public struct SVGLineChart: Sendable, Equatable {
    public var title: String
    /// A sentence for screen readers (the SVG `<desc>`); a summary of the series is used when nil.
    public var summary: String?
    public var xLabel: String?
    /// Linear or logarithmic x axis (a learning rate against which a loss is drawn wants `.logarithmic`).
    public var xScale: AxisScale
    public var yAxis: ChartAxis
    /// The right-hand axis, used by series with `axis: .secondary`.
    public var secondaryYAxis: ChartAxis?
    public var series: [ChartSeries]
    public var markers: [ChartMarker]
    /// Labelled points drawn over the series (a suggestion on a curve, a best trial).
    public var points: [ChartPoint]
    /// When true, every point carries its x as `data-step` so a page's step animation
    /// (``StepAnimation``) can reveal the series step by step; x must then be step numbers.
    public var animatesSteps: Bool = false
    /// Names for a categorical x axis: category `i` is drawn at x = `i` with its name as the tick label
    /// (the axis runs from −0.5 to count − 0.5 unless `xDomain` says otherwise). Example: a strip of
    /// trial values per optimizer, `xCategories = ["adam", "sgd"]` with the points at x 0 and 1.
    public var xCategories: [String]?
    /// The x range to show (nil: fit the data). Points outside are clipped at the frame.
    public var xDomain: ClosedRange<Double>?
    /// The range of the left y axis (nil: fit the data); a spike above it is clipped at the frame
    /// so the rest of the curve keeps its resolution.
    public var yDomain: ClosedRange<Double>?
    /// Size in CSS pixels (the SVG scales with its container through its `viewBox`).
    public var width: Double
    public var height: Double

    public init(title: String, summary: String? = nil, xLabel: String? = nil, xScale: AxisScale = .linear,
                yAxis: ChartAxis = ChartAxis(), secondaryYAxis: ChartAxis? = nil, series: [ChartSeries] = [],
                markers: [ChartMarker] = [], points: [ChartPoint] = [], width: Double = 720, height: Double = 360) {
        self.title = title
        self.summary = summary
        self.xLabel = xLabel
        self.xScale = xScale
        self.points = points
        self.yAxis = yAxis
        self.secondaryYAxis = secondaryYAxis
        self.series = series
        self.markers = markers
        self.width = width
        self.height = height
    }

    /// The CSS the chart's classes use (also inlined in every SVG), with a dark variant.
    public static let styleSheet = """
    .dc-bg{fill:#fff}\
    .dc-text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:12px;fill:#333}\
    .dc-title{font-size:15px;font-weight:600;fill:#111}\
    .dc-grid{stroke:#e3e3e3;stroke-width:1}\
    .dc-axis{stroke:#777;stroke-width:1}\
    .dc-marker{stroke:#666;stroke-width:1.2;stroke-dasharray:5 4}\
    .dc-marker-text{font-size:11px;fill:#444;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}\
    .dc-note{font-size:11px;fill:#777}\
    .dc-point{fill:#fff;stroke:#111;stroke-width:2}.dc-point-text{font-size:11px;font-weight:600;fill:#111;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}\
    @media (prefers-color-scheme:dark){.dc-bg{fill:#1c1c1e}.dc-text{fill:#ccc}.dc-title{fill:#eee}\
    .dc-grid{stroke:#3a3a3c}.dc-axis{stroke:#888}.dc-marker{stroke:#aaa}.dc-marker-text{fill:#bbb;stroke:#1c1c1e}.dc-note{fill:#999}\
    .dc-point{fill:#1c1c1e;stroke:#eee}.dc-point-text{fill:#eee;stroke:#1c1c1e}\
    .dc-series,.dc-legend line{filter:brightness(1.35)}}
    """

    /// The chart as an SVG document (without an XML declaration, so it can also be inlined in HTML).
    ///
    /// ``LineChartLayout`` decides where everything goes; this writes it, back to front: the
    /// preamble and legend (shared with ``SVGContourMap``), gridlines and axes, event markers,
    /// the series, the labelled points and the notes.
    public func svg() -> String {
        let layout = LineChartLayout(self)
        var out = SVGPreamble.opening(width: layout.width, height: layout.height, className: "descent-chart", title: title,
                                      summary: summary ?? defaultSummary(skippedNonPositive: layout.skippedNonPositive),
                                      styleSheet: Self.styleSheet)
        out += SVGPreamble.header(width: layout.width, height: layout.height, left: layout.plot.x, title: title)
        out += layout.legend.svg(left: layout.plot.x)
        out += gridAndAxes(layout)
        out += markerLines(layout)
        out += seriesLines(layout)
        out += labelledPoints(layout)
        out += notes(layout)
        out += "</svg>\n"
        return out
    }

    /// A sentence describing the chart for screen readers.
    private func defaultSummary(skippedNonPositive: Int) -> String {
        var parts: [String] = []
        for item in series {
            let finite = item.y.filter(\.isFinite)
            guard let first = finite.first, let last = finite.last, let low = finite.min(), let high = finite.max() else {
                parts.append("\(item.name): no finite values")
                continue
            }
            let v = { ChartNumberFormat.value($0) }
            parts.append("\(item.name): \(item.y.count) points from \(v(first)) to \(v(last)) (min \(v(low)), max \(v(high)))")
        }
        var text = "Line chart. " + (parts.isEmpty ? "No series." : parts.joined(separator: "; ") + ".")
        if !markers.isEmpty {
            text += " Markers: " + markers.map { "\($0.label) at \(ChartNumberFormat.value($0.x))" }.joined(separator: ", ") + "."
        }
        if skippedNonPositive > 0 { text += " \(skippedNonPositive) values ≤ 0 are not shown on the log scale." }
        return text
    }
}
