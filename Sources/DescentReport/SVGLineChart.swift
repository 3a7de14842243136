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
    public func svg() -> String {
        let width = Swift.min(Swift.max(self.width.isFinite ? self.width : 720, 200), 10_000)
        let height = Swift.min(Swift.max(self.height.isFinite ? self.height : 360, 150), 10_000)
        let secondary = secondaryYAxis != nil && series.contains { $0.axis == .secondary }
        let f = ChartNumberFormat.coordinate

        // Legend rows (wrapped to the width), under the title.
        let legendEntries = series.enumerated().map { index, item in
            (index: index, text: item.name + (item.axis == .secondary && secondary ? " (right axis)" : ""), dashed: item.axis == .secondary && secondary)
        }
        var legendRows: [[(index: Int, text: String, dashed: Bool, x: Double)]] = [[]]
        var cursor = 0.0
        for entry in legendEntries {
            let entryWidth = 28 + Self.textWidth(entry.text) + 18
            if cursor > 0 && cursor + entryWidth > width - 80 { legendRows.append([]); cursor = 0 }
            legendRows[legendRows.count - 1].append((entry.index, entry.text, entry.dashed, cursor))
            cursor += entryWidth
        }
        if legendRows.last?.isEmpty == true { legendRows.removeLast() }

        let top = 34 + Double(legendRows.count) * 18 + 8
        let left = 66.0
        let right = secondary ? 66.0 : 24.0
        let bottom = xLabel == nil ? 30.0 : 48.0
        let plot = (x: left, y: top, width: Swift.max(width - left - right, 40), height: Swift.max(height - top - bottom, 40))

        // Domains.
        var xs: [Double] = []
        var primaryValues: [Double] = [], secondaryValues: [Double] = []
        var skippedNonPositive = 0
        for item in series {
            let onSecondary = item.axis == .secondary && secondary
            let scale = onSecondary ? secondaryYAxis!.scale : yAxis.scale
            for (x, y) in zip(item.x, item.y) where xScale.canPlot(x) {
                if scale.canPlot(y) {
                    xs.append(x)
                    if onSecondary { secondaryValues.append(y) } else { primaryValues.append(y) }
                } else if y.isFinite {
                    skippedNonPositive += 1
                }
            }
        }
        let markers = self.markers.filter { xScale.canPlot($0.x) }
        let labelledPoints = self.points.filter { xScale.canPlot($0.x) && yAxis.scale.canPlot($0.y) }
        primaryValues += labelledPoints.map(\.y)
        let allX = xs + markers.map(\.x) + labelledPoints.map(\.x)
        let integersOnly = !allX.isEmpty && allX.allSatisfy { $0 == $0.rounded() }
        let xDomain = self.xDomain.flatMap { xScale.canPlot($0.lowerBound) && xScale.canPlot($0.upperBound) ? $0 : nil }
        let yDomain = self.yDomain.flatMap { yAxis.scale.canPlot($0.lowerBound) && yAxis.scale.canPlot($0.upperBound) ? $0 : nil }
        let xLow = xDomain?.lowerBound ?? allX.min(), xHigh = xDomain?.upperBound ?? allX.max()
        let xTicks = xScale == .logarithmic
            ? AxisTicks.logarithmic(low: xLow ?? 1, high: xHigh ?? 10)
            : AxisTicks.linear(low: xLow ?? 0, high: xHigh ?? 1, targetCount: Swift.max(2, Int(plot.width / 90)),
                               integersOnly: integersOnly)
        let yTicks = Self.ticks(yDomain.map { [$0.lowerBound, $0.upperBound] } ?? primaryValues, scale: yAxis.scale,
                                count: Swift.max(2, Int(plot.height / 55)))
        let secondaryTicks = secondary ? Self.ticks(secondaryValues, scale: secondaryYAxis!.scale, count: Swift.max(2, Int(plot.height / 55))) : nil

        func px(_ x: Double) -> Double {
            let low = xScale.transform(xTicks.low), high = xScale.transform(xTicks.high)
            return plot.x + (xScale.transform(x) - low) / (high - low) * plot.width
        }
        func py(_ y: Double, _ ticks: AxisTicks, _ scale: AxisScale) -> Double {
            let low = scale.transform(ticks.low), high = scale.transform(ticks.high)
            return plot.y + plot.height - (scale.transform(y) - low) / (high - low) * plot.height
        }

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" class=\"descent-chart\">\n"
        out += "<title>\(XMLEscaping.escape(title))</title>\n"
        out += "<desc>\(XMLEscaping.escape(summary ?? defaultSummary(skippedNonPositive: skippedNonPositive)))</desc>\n"
        out += "<style>\(Self.styleSheet)</style>\n"
        out += "<rect class=\"dc-bg\" x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\"/>\n"
        out += "<text class=\"dc-text dc-title\" x=\"\(f(left))\" y=\"22\">\(XMLEscaping.escape(title))</text>\n"

        // Legend.
        out += "<g class=\"dc-legend\">\n"
        for (row, entries) in legendRows.enumerated() {
            let y = 34 + Double(row) * 18 + 6
            for entry in entries {
                let x = left + entry.x
                let dash = entry.dashed ? " stroke-dasharray=\"6 4\"" : ""
                out += "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 22))\" y2=\"\(f(y))\" stroke=\"\(series[entry.index].color ?? ChartPalette.color(entry.index))\" stroke-width=\"\(series[entry.index].style == .thinLine ? "1.5\" stroke-opacity=\"0.6" : "2.5")\"\(dash)/>"
                out += "<text class=\"dc-text\" x=\"\(f(x + 28))\" y=\"\(f(y + 4))\">\(XMLEscaping.escape(entry.text))</text>\n"
            }
        }
        out += "</g>\n"

        // Gridlines and axes.
        out += "<g class=\"dc-grid-lines\">\n"
        for value in yTicks.values {
            let y = py(value, yTicks, yAxis.scale)
            out += "<line class=\"dc-grid\" x1=\"\(f(plot.x))\" y1=\"\(f(y))\" x2=\"\(f(plot.x + plot.width))\" y2=\"\(f(y))\"/>\n"
        }
        for value in xTicks.values {
            let x = px(value)
            out += "<line class=\"dc-grid\" x1=\"\(f(x))\" y1=\"\(f(plot.y))\" x2=\"\(f(x))\" y2=\"\(f(plot.y + plot.height))\"/>\n"
        }
        out += "</g>\n<g class=\"dc-axes\">\n"
        out += "<line class=\"dc-axis\" x1=\"\(f(plot.x))\" y1=\"\(f(plot.y + plot.height))\" x2=\"\(f(plot.x + plot.width))\" y2=\"\(f(plot.y + plot.height))\"/>\n"
        out += "<line class=\"dc-axis\" x1=\"\(f(plot.x))\" y1=\"\(f(plot.y))\" x2=\"\(f(plot.x))\" y2=\"\(f(plot.y + plot.height))\"/>\n"
        for value in yTicks.values {
            let label = yAxis.scale == .logarithmic ? ChartNumberFormat.logTick(value) : ChartNumberFormat.linearTick(value, step: yTicks.step)
            out += "<text class=\"dc-text dc-tick\" x=\"\(f(plot.x - 6))\" y=\"\(f(py(value, yTicks, yAxis.scale) + 4))\" text-anchor=\"end\">\(label)</text>\n"
        }
        for value in xTicks.values {
            out += "<text class=\"dc-text dc-tick\" x=\"\(f(px(value)))\" y=\"\(f(plot.y + plot.height + 16))\" text-anchor=\"middle\">\(xScale == .logarithmic ? ChartNumberFormat.logTick(value) : ChartNumberFormat.linearTick(value, step: xTicks.step))</text>\n"
        }
        if let secondaryTicks, let axis = secondaryYAxis {
            let x = plot.x + plot.width
            out += "<line class=\"dc-axis\" x1=\"\(f(x))\" y1=\"\(f(plot.y))\" x2=\"\(f(x))\" y2=\"\(f(plot.y + plot.height))\"/>\n"
            for value in secondaryTicks.values {
                let label = axis.scale == .logarithmic ? ChartNumberFormat.logTick(value) : ChartNumberFormat.linearTick(value, step: secondaryTicks.step)
                out += "<text class=\"dc-text dc-tick\" x=\"\(f(x + 6))\" y=\"\(f(py(value, secondaryTicks, axis.scale) + 4))\">\(label)</text>\n"
            }
        }
        if let xLabel {
            out += "<text class=\"dc-text dc-axis-label\" x=\"\(f(plot.x + plot.width / 2))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">\(XMLEscaping.escape(xLabel))</text>\n"
        }
        if let label = yAxis.label {
            let (x, y) = (16.0, plot.y + plot.height / 2)
            out += "<text class=\"dc-text dc-axis-label\" x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"middle\" transform=\"rotate(-90 \(f(x)) \(f(y)))\">\(XMLEscaping.escape(label))</text>\n"
        }
        if secondary, let label = secondaryYAxis?.label {
            let (x, y) = (width - 12, plot.y + plot.height / 2)
            out += "<text class=\"dc-text dc-axis-label\" x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"middle\" transform=\"rotate(90 \(f(x)) \(f(y)))\">\(XMLEscaping.escape(label))</text>\n"
        }
        out += "</g>\n"

        // Event markers.
        if !markers.isEmpty {
            out += "<g class=\"dc-markers\">\n"
            let merged = Self.merged(markers, position: px).filter { $0.x >= plot.x - 0.5 && $0.x <= plot.x + plot.width + 0.5 }
            let placements = Self.placeLabels(merged, plot: (plot.x, plot.width))
            for (marker, placement) in zip(merged, placements) {
                let x = marker.x
                out += "<line class=\"dc-marker\" x1=\"\(f(x))\" y1=\"\(f(plot.y))\" x2=\"\(f(x))\" y2=\"\(f(plot.y + plot.height))\"/>"
                let labelX = placement.left ? x - 4 : x + 4
                let labelY = plot.y + 12 + Double(placement.row) * 13
                out += "<text class=\"dc-text dc-marker-text\" x=\"\(f(labelX))\" y=\"\(f(labelY))\"\(placement.left ? " text-anchor=\"end\"" : "")>\(XMLEscaping.escape(marker.label))</text>\n"
            }
            out += "</g>\n"
        }

        // Series.
        var clip = ""
        if xDomain != nil || yDomain != nil {
            // A clip rectangle for data outside the fixed ranges; its id is derived from the chart so pages stay deterministic.
            let id = "dc-clip-" + Self.fingerprint("\(title)|\(f(plot.x))|\(f(plot.y))|\(f(plot.width))|\(f(plot.height))")
            out += "<defs><clipPath id=\"\(id)\"><rect x=\"\(f(plot.x))\" y=\"\(f(plot.y - 4))\" width=\"\(f(plot.width))\" height=\"\(f(plot.height + 8))\"/></clipPath></defs>\n"
            clip = " clip-path=\"url(#\(id))\""
        }
        out += "<g class=\"dc-series\"\(clip) fill=\"none\" stroke-linejoin=\"round\" stroke-linecap=\"round\">\n"
        for (index, item) in series.enumerated() {
            let onSecondary = item.axis == .secondary && secondary
            let ticks = onSecondary ? secondaryTicks! : yTicks
            let scale = onSecondary ? secondaryYAxis!.scale : yAxis.scale
            let points: [(Double, Double)?] = zip(item.x, item.y).map { x, y in
                xScale.canPlot(x) && scale.canPlot(y) ? (px(x), py(y, ticks, scale)) : nil
            }
            let color = item.color ?? ChartPalette.color(index)
            let dash = onSecondary ? " stroke-dasharray=\"6 4\"" : ""
            let width = item.style == .thinLine ? "1.2\" stroke-opacity=\"0.5" : "2"
            out += "<g class=\"dc-line\" data-name=\"\(XMLEscaping.escape(item.name))\">"
            if animatesSteps {
                // One polyline per run, each point tagged with its step, for StepAnimation.
                var runs: [[(Double, Double, Double)]] = [[]]
                for (point, x) in zip(points, item.x) {
                    if let point { runs[runs.count - 1].append((point.0, point.1, x)) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
                }
                for run in runs where !run.isEmpty {
                    if item.style != .points {
                        let coordinates = run.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
                        let steps = run.map { ChartNumberFormat.value($0.2, significantDigits: 12) }.joined(separator: " ")
                        out += "<polyline points=\"\(coordinates)\" data-steps=\"\(steps)\" stroke=\"\(color)\" stroke-width=\"\(width)\"\(dash)/>"
                    }
                    if let last = run.last, item.style != .thinLine {
                        for dot in run.count <= 80 || item.style == .points ? run : [last] {
                            out += "<circle cx=\"\(f(dot.0))\" cy=\"\(f(dot.1))\" r=\"2.5\" fill=\"\(color)\" data-step=\"\(ChartNumberFormat.value(dot.2, significantDigits: 12))\"/>"
                        }
                    }
                }
                out += "</g>\n"
                continue
            }
            let thinned = item.style == .points ? points : Self.thin(points, columns: Int(plot.width))
            var path = ""
            var runs: [[(Double, Double)]] = [[]]
            for point in thinned {
                if let point { runs[runs.count - 1].append(point) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
            }
            for run in runs where run.count > 1 && item.style != .points {
                path += "M" + run.map { "\(f($0.0)) \(f($0.1))" }.joined(separator: "L")
            }
            if !path.isEmpty {
                out += "<path d=\"\(path)\" stroke=\"\(color)\" stroke-width=\"\(width)\"\(dash)/>"
            }
            // Dots for a scatter, where the points are few enough to see, and always for isolated points.
            let plotted = points.compactMap { $0 }
            let dots = item.style == .points || (plotted.count <= 40 && item.style == .line) ? plotted : runs.filter { $0.count == 1 }.map { $0[0] }
            for dot in dots {
                out += "<circle cx=\"\(f(dot.0))\" cy=\"\(f(dot.1))\" r=\"\(item.style == .points ? "3.5" : "2.5")\" fill=\"\(color)\"/>"
            }
            out += "</g>\n"
        }
        out += "</g>\n"

        // Labelled points, over the series.
        if !labelledPoints.isEmpty {
            out += "<g class=\"dc-points\">\n"
            for (index, point) in labelledPoints.enumerated() {
                let (x, y) = (px(point.x), py(point.y, yTicks, yAxis.scale))
                out += "<circle class=\"dc-point\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"5\"/>"
                if !point.label.isEmpty {
                    let nearRight = x > plot.x + plot.width * 0.75
                    // Above the point, unless that is where the marker labels are (the top four rows): then below it.
                    let above = y - 9 - Double(index % 2) * 13
                    let markerRows = markers.isEmpty ? plot.y + 10 : plot.y + 4 * 13 + 6
                    let labelY = above >= markerRows ? above : y + 17 + Double(index % 2) * 13
                    out += "<text class=\"dc-text dc-point-text\" x=\"\(f(nearRight ? x - 6 : x + 6))\" y=\"\(f(labelY))\"\(nearRight ? " text-anchor=\"end\"" : "")>\(XMLEscaping.escape(point.label))</text>"
                }
                out += "\n"
            }
            out += "</g>\n"
        }

        if primaryValues.isEmpty && secondaryValues.isEmpty {
            out += "<text class=\"dc-text dc-note\" x=\"\(f(plot.x + plot.width / 2))\" y=\"\(f(plot.y + plot.height / 2))\" text-anchor=\"middle\">no data to plot</text>\n"
        }
        if skippedNonPositive > 0 {
            let noun = skippedNonPositive == 1 ? "value" : "values"
            out += "<text class=\"dc-text dc-note\" x=\"\(f(plot.x + plot.width))\" y=\"\(f(height - 4))\" text-anchor=\"end\">\(skippedNonPositive) \(noun) ≤ 0 not shown on the log scale</text>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// Markers drawn at the same pixel become one, labelled "rollback ×3" or "best epoch, early stop",
    /// so labels do not pile up; `x` of the result is the pixel position.
    static func merged(_ markers: [ChartMarker], position: (Double) -> Double) -> [ChartMarker] {
        var groups: [(x: Double, labels: [(label: String, count: Int)])] = []
        for marker in markers {
            let x = position(marker.x)
            let index = groups.firstIndex { Swift.abs($0.x - x) < 1 } ?? {
                groups.append((x, []))
                return groups.count - 1
            }()
            if let label = groups[index].labels.firstIndex(where: { $0.label == marker.label }) {
                groups[index].labels[label].count += 1
            } else {
                groups[index].labels.append((marker.label, 1))
            }
        }
        return groups.map { group in
            ChartMarker(x: group.x, label: group.labels.map { $0.count > 1 ? "\($0.label) ×\($0.count)" : $0.label }.joined(separator: ", "))
        }
    }

    /// Where each marker's label goes: the first of up to four rows where it fits to the right of its
    /// line (or else to the left) without overlapping a label already placed; markers sorted by x.
    static func placeLabels(_ markers: [ChartMarker], plot: (x: Double, width: Double)) -> [(row: Int, left: Bool)] {
        var taken: [[ClosedRange<Double>]] = Array(repeating: [], count: 4)
        return markers.enumerated().map { index, marker in
            let width = textWidth(marker.label) * 11 / 12
            let right = (marker.x + 4)...(marker.x + 4 + width), left = (marker.x - 4 - width)...(marker.x - 4)
            for row in 0..<taken.count {
                for (span, isLeft) in [(right, false), (left, true)] {
                    guard span.lowerBound >= plot.x - 2, span.upperBound <= plot.x + plot.width + 2,
                          !taken[row].contains(where: { $0.overlaps(span) }) else { continue }
                    taken[row].append((span.lowerBound - 3)...(span.upperBound + 3))
                    return (row, isLeft)
                }
            }
            return (index % taken.count, marker.x > plot.x + plot.width * 0.7)
        }
    }

    /// A short stable hexadecimal fingerprint of `text` (FNV-1a, 32 bits), for element ids.
    static func fingerprint(_ text: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return String(hash, radix: 16)
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

    private static func ticks(_ values: [Double], scale: AxisScale, count: Int) -> AxisTicks {
        switch scale {
        case .linear: return AxisTicks.linear(low: values.min() ?? 0, high: values.max() ?? 1, targetCount: count)
        case .logarithmic: return AxisTicks.logarithmic(low: values.min() ?? 1, high: values.max() ?? 10)
        }
    }

    /// About how wide `text` is at 12 px (for laying out the legend).
    static func textWidth(_ text: String) -> Double { Double(text.count) * 6.8 }

    /// Keeps, for each pixel column, the first, lowest, highest and last point (in order), when
    /// there are more than two points per column; gaps (nil) are kept.
    static func thin(_ points: [(Double, Double)?], columns: Int) -> [(Double, Double)?] {
        guard points.count > 2 * Swift.max(columns, 1) else { return points }
        var result: [(Double, Double)?] = []
        var bucket: [(Double, Double)] = []
        var bucketColumn = Int.min
        func flush() {
            guard !bucket.isEmpty else { return }
            var lowest = 0, highest = 0
            for index in bucket.indices {
                if bucket[index].1 < bucket[lowest].1 { lowest = index }
                if bucket[index].1 > bucket[highest].1 { highest = index }
            }
            for index in Set([0, lowest, highest, bucket.count - 1]).sorted() { result.append(bucket[index]) }
            bucket.removeAll(keepingCapacity: true)
        }
        for point in points {
            guard let point else { flush(); result.append(nil); bucketColumn = Int.min; continue }
            let column = Int(point.0.rounded(.down))
            if column != bucketColumn { flush(); bucketColumn = column }
            bucket.append(point)
        }
        flush()
        return result
    }
}
