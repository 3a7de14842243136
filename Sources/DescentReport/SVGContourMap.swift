import Foundation

/// A contour map of a function of two variables with paths drawn over it, as a self-contained SVG.
///
/// The contour lines of `grid` at `levels` come from ``ContourLines`` (marching squares);
/// darker lines are lower levels. `paths` are drawn over them in the ``ChartPalette`` colours,
/// earlier ones wider (so paths along the same line stay visible), with a dot at every visited
/// point (its step and position as a hover title) and a ring at the start; `points` are labelled marks
/// (a minimum, a start). Both axes are linear with equal units, so circles look round, and
/// everything is clipped to the grid's rectangle: a path that leaves it (a diverging run)
/// is cut at the frame, with a note in the legend. With `animatesSteps` every point carries
/// `data-step` (its index) for ``StepAnimation``.
///
/// Example: the bowl x² + y² with one path that halves its distance to the minimum each step:
///
///     let grid = ScalarGrid(x: -2...2, y: -2...2, columns: 61, rows: 61) { $0 * $0 + $1 * $1 }
///     let map = SVGContourMap(title: "bowl", grid: grid,
///                             levels: ContourLines.levels(low: 0, high: 8, count: 8, scale: .linear),
///                             paths: [ChartPath(name: "rate 0.25", x: [1.5, 0.75, 0.375], y: [1.5, 0.75, 0.375])],
///                             points: [ChartPoint(x: 0, y: 0, label: "minimum")])
///     let svg = map.svg()   // 8 levels of circles, one blue path of 3 dots, a labelled minimum
public struct SVGContourMap: Sendable, Equatable {
    public var title: String
    /// A sentence for screen readers; a summary of the paths is used when nil.
    public var summary: String?
    public var xLabel: String
    public var yLabel: String
    public var grid: ScalarGrid
    public var levels: [Double]
    public var paths: [ChartPath]
    public var points: [ChartPoint]
    public var animatesSteps: Bool
    /// The id of the clip path; give each map on one page its own.
    public var identifier: String
    public var width: Double
    public var height: Double

    public init(title: String, summary: String? = nil, xLabel: String = "x", yLabel: String = "y", grid: ScalarGrid,
                levels: [Double], paths: [ChartPath] = [], points: [ChartPoint] = [], animatesSteps: Bool = false,
                identifier: String = "dc-map", width: Double = 560, height: Double = 560) {
        self.title = title
        self.summary = summary
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.grid = grid
        self.levels = levels
        self.paths = paths
        self.points = points
        self.animatesSteps = animatesSteps
        self.identifier = identifier
        self.width = width
        self.height = height
    }

    /// Extra CSS of the map (besides ``SVGLineChart/styleSheet``).
    public static let styleSheet = """
    .dc-contour{fill:none;stroke:#5b6478;stroke-width:1}\
    .dc-frame{fill:none;stroke:#777;stroke-width:1}\
    @media (prefers-color-scheme:dark){.dc-contour{stroke:#aab2c8}.dc-paths,.dc-map .dc-legend line{filter:brightness(1.35)}}
    """

    /// The map as an SVG document (no XML declaration, so it can be inlined in HTML).
    public func svg() -> String {
        let f = ChartNumberFormat.coordinate
        let e = XMLEscaping.escape
        let width = Swift.min(Swift.max(self.width.isFinite ? self.width : 560, 240), 10_000)
        let height = Swift.min(Swift.max(self.height.isFinite ? self.height : 560, 240), 10_000)
        let xLow = grid.xs.first ?? 0, xHigh = Swift.max(grid.xs.last ?? 1, xLow + 1e-12)
        let yLow = grid.ys.first ?? 0, yHigh = Swift.max(grid.ys.last ?? 1, yLow + 1e-12)

        // Legend rows under the title.
        let legend = ChartLegend(entries: paths.enumerated().map { index, path in
            let left = path.finitePoints.contains { $0.x < xLow || $0.x > xHigh || $0.y < yLow || $0.y > yHigh }
                || path.finitePoints.count < path.x.count
            return ChartLegend.Entry(text: path.name + (left ? " (leaves the map)" : ""), color: path.color ?? ChartPalette.color(index))
        }, availableWidth: width - 70)

        // The plot box: equal units on both axes, centred in the space left.
        let top = 34 + legend.height + 10, left = 60.0, right = 20.0, bottom = 46.0
        let available = (width: Swift.max(width - left - right, 40), height: Swift.max(height - top - bottom, 40))
        let unit = Swift.min(available.width / (xHigh - xLow), available.height / (yHigh - yLow))
        let plot = (x: left + (available.width - unit * (xHigh - xLow)) / 2, y: top,
                    width: unit * (xHigh - xLow), height: unit * (yHigh - yLow))
        func px(_ x: Double) -> Double { Swift.min(Swift.max(plot.x + (x - xLow) * unit, -1e5), 1e5) }
        func py(_ y: Double) -> Double { Swift.min(Swift.max(plot.y + plot.height - (y - yLow) * unit, -1e5), 1e5) }

        var out = SVGPreamble.opening(width: width, height: height, className: "descent-chart descent-map", title: title,
                                      summary: summary ?? defaultSummary, styleSheet: SVGLineChart.styleSheet + Self.styleSheet)
        out += "<defs><clipPath id=\"\(e(identifier))-clip\"><rect x=\"\(f(plot.x))\" y=\"\(f(plot.y))\" width=\"\(f(plot.width))\" height=\"\(f(plot.height))\"/></clipPath></defs>\n"
        out += SVGPreamble.header(width: width, height: height, left: left, title: title)
        out += legend.svg(left: left)

        // Ticks and axes.
        let xTicks = AxisTicks.linear(low: xLow, high: xHigh, targetCount: Swift.max(2, Int(plot.width / 80)))
        let yTicks = AxisTicks.linear(low: yLow, high: yHigh, targetCount: Swift.max(2, Int(plot.height / 60)))
        out += "<g class=\"dc-axes\">\n"
        for value in xTicks.values where value >= xLow - 1e-9 && value <= xHigh + 1e-9 {
            out += "<line class=\"dc-axis\" x1=\"\(f(px(value)))\" y1=\"\(f(plot.y + plot.height))\" x2=\"\(f(px(value)))\" y2=\"\(f(plot.y + plot.height + 5))\"/>"
            out += "<text class=\"dc-text dc-tick\" x=\"\(f(px(value)))\" y=\"\(f(plot.y + plot.height + 18))\" text-anchor=\"middle\">\(ChartNumberFormat.linearTick(value, step: xTicks.step))</text>\n"
        }
        for value in yTicks.values where value >= yLow - 1e-9 && value <= yHigh + 1e-9 {
            out += "<line class=\"dc-axis\" x1=\"\(f(plot.x - 5))\" y1=\"\(f(py(value)))\" x2=\"\(f(plot.x))\" y2=\"\(f(py(value)))\"/>"
            out += "<text class=\"dc-text dc-tick\" x=\"\(f(plot.x - 8))\" y=\"\(f(py(value) + 4))\" text-anchor=\"end\">\(ChartNumberFormat.linearTick(value, step: yTicks.step))</text>\n"
        }
        out += "<text class=\"dc-text dc-axis-label\" x=\"\(f(plot.x + plot.width / 2))\" y=\"\(f(plot.y + plot.height + 36))\" text-anchor=\"middle\">\(e(xLabel))</text>\n"
        let (labelX, labelY) = (16.0, plot.y + plot.height / 2)
        out += "<text class=\"dc-text dc-axis-label\" x=\"\(f(labelX))\" y=\"\(f(labelY))\" text-anchor=\"middle\" transform=\"rotate(-90 \(f(labelX)) \(f(labelY)))\">\(e(yLabel))</text>\n"
        out += "</g>\n"

        // Contour lines, darker for lower levels.
        out += "<g class=\"dc-contours\" clip-path=\"url(#\(e(identifier))-clip)\">\n"
        for (index, level) in levels.enumerated() {
            let opacity = levels.count > 1 ? 0.9 - 0.55 * Double(index) / Double(levels.count - 1) : 0.8
            var d = ""
            for line in ContourLines.lines(in: grid, level: level) where line.count > 1 {
                d += "M" + line.map { "\(f(px($0.x))) \(f(py($0.y)))" }.joined(separator: "L")
            }
            guard !d.isEmpty else { continue }
            out += "<path class=\"dc-contour\" data-level=\"\(ChartNumberFormat.value(level))\" stroke-opacity=\"\(f(opacity))\" d=\"\(d)\"/>\n"
        }
        out += "</g>\n"
        out += "<rect class=\"dc-frame\" x=\"\(f(plot.x))\" y=\"\(f(plot.y))\" width=\"\(f(plot.width))\" height=\"\(f(plot.height))\"/>\n"

        // Paths.
        out += "<g class=\"dc-paths\" clip-path=\"url(#\(e(identifier))-clip)\" fill=\"none\" stroke-linejoin=\"round\" stroke-linecap=\"round\">\n"
        for (index, path) in paths.enumerated() {
            let color = path.color ?? ChartPalette.color(index)
            let visited = path.finitePoints
            out += "<g class=\"dc-path\" data-name=\"\(e(path.name))\">"
            guard let start = visited.first else { out += "</g>\n"; continue }
            let coordinates = visited.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            let steps = animatesSteps ? " data-steps=\"\(visited.indices.map { String(path.step($0)) }.joined(separator: " "))\"" : ""
            // Earlier paths are drawn wider, so a path that runs along another still shows beside it.
            let strokeWidth = 2 + 2 * Double(paths.count - 1 - index)
            out += "<polyline points=\"\(coordinates)\" stroke=\"\(color)\" stroke-width=\"\(f(strokeWidth))\" stroke-opacity=\"0.9\"\(steps)/>"
            out += "<circle cx=\"\(f(px(start.x)))\" cy=\"\(f(py(start.y)))\" r=\"6\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            for (index, point) in visited.enumerated().dropFirst() {
                let tag = animatesSteps ? " data-step=\"\(path.step(index))\"" : ""
                let hover = "\(path.name), step \(path.step(index)): (\(ChartNumberFormat.value(point.x)), \(ChartNumberFormat.value(point.y)))"
                out += "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"2.6\" fill=\"\(color)\"\(tag)><title>\(e(hover))</title></circle>"
            }
            out += "</g>\n"
        }
        out += "</g>\n"

        // Labelled points.
        if !points.isEmpty {
            out += "<g class=\"dc-points\">\n"
            for point in points where point.x.isFinite && point.y.isFinite {
                let (x, y) = (px(point.x), py(point.y))
                out += "<path class=\"dc-point\" d=\"M\(f(x - 5)) \(f(y))L\(f(x)) \(f(y - 5))L\(f(x + 5)) \(f(y))L\(f(x)) \(f(y + 5))Z\"/>"
                if !point.label.isEmpty {
                    let nearRight = x > plot.x + plot.width * 0.7
                    let labelY = y < plot.y + 16 ? y + 18 : y - 9
                    out += "<text class=\"dc-text dc-point-text\" x=\"\(f(nearRight ? x - 7 : x + 7))\" y=\"\(f(labelY))\"\(nearRight ? " text-anchor=\"end\"" : "")>\(e(point.label))</text>"
                }
                out += "\n"
            }
            out += "</g>\n"
        }
        out += "</svg>\n"
        return out
    }

    private var defaultSummary: String {
        var text = "Contour map of \(title) with \(levels.count) levels."
        for path in paths {
            let visited = path.finitePoints
            guard let first = visited.first, let last = visited.last else { continue }
            let v = { ChartNumberFormat.value($0) }
            text += " \(path.name): \(visited.count) points from (\(v(first.x)), \(v(first.y))) to (\(v(last.x)), \(v(last.y)))"
                + (visited.count < path.x.count ? ", then not finite." : ".")
        }
        return text
    }
}
