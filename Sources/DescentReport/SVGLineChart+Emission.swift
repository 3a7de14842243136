/// The parts of an ``SVGLineChart``'s SVG, each written from its ``LineChartLayout``.
extension SVGLineChart {
    /// Gridlines, the axes with their tick labels (category names on a categorical x axis) and the axis labels.
    func gridAndAxes(_ layout: LineChartLayout) -> String {
        let f = ChartNumberFormat.coordinate
        let (plot, xTicks, yTicks) = (layout.plot, layout.xTicks, layout.yTicks)
        var out = "<g class=\"dc-grid-lines\">\n"
        for value in yTicks.values {
            let y = layout.py(value, yTicks, yAxis.scale)
            out += "<line class=\"dc-grid\" x1=\"\(f(plot.x))\" y1=\"\(f(y))\" x2=\"\(f(plot.x + plot.width))\" y2=\"\(f(y))\"/>\n"
        }
        for value in xTicks.values {
            let x = layout.px(value)
            out += "<line class=\"dc-grid\" x1=\"\(f(x))\" y1=\"\(f(plot.y))\" x2=\"\(f(x))\" y2=\"\(f(plot.y + plot.height))\"/>\n"
        }
        out += "</g>\n<g class=\"dc-axes\">\n"
        out += "<line class=\"dc-axis\" x1=\"\(f(plot.x))\" y1=\"\(f(plot.y + plot.height))\" x2=\"\(f(plot.x + plot.width))\" y2=\"\(f(plot.y + plot.height))\"/>\n"
        out += "<line class=\"dc-axis\" x1=\"\(f(plot.x))\" y1=\"\(f(plot.y))\" x2=\"\(f(plot.x))\" y2=\"\(f(plot.y + plot.height))\"/>\n"
        for value in yTicks.values {
            out += "<text class=\"dc-text dc-tick\" x=\"\(f(plot.x - 6))\" y=\"\(f(layout.py(value, yTicks, yAxis.scale) + 4))\" text-anchor=\"end\">\(Self.tickLabel(value, ticks: yTicks, scale: yAxis.scale))</text>\n"
        }
        for value in xTicks.values {
            out += "<text class=\"dc-text dc-tick\" x=\"\(f(layout.px(value)))\" y=\"\(f(plot.y + plot.height + 16))\" text-anchor=\"middle\">\(xTickLabel(value, ticks: xTicks))</text>\n"
        }
        if let secondaryTicks = layout.secondaryTicks, let axis = secondaryYAxis {
            let x = plot.x + plot.width
            out += "<line class=\"dc-axis\" x1=\"\(f(x))\" y1=\"\(f(plot.y))\" x2=\"\(f(x))\" y2=\"\(f(plot.y + plot.height))\"/>\n"
            for value in secondaryTicks.values {
                out += "<text class=\"dc-text dc-tick\" x=\"\(f(x + 6))\" y=\"\(f(layout.py(value, secondaryTicks, axis.scale) + 4))\">\(Self.tickLabel(value, ticks: secondaryTicks, scale: axis.scale))</text>\n"
            }
        }
        if let xLabel {
            out += "<text class=\"dc-text dc-axis-label\" x=\"\(f(plot.x + plot.width / 2))\" y=\"\(f(layout.height - 10))\" text-anchor=\"middle\">\(XMLEscaping.escape(xLabel))</text>\n"
        }
        if let label = yAxis.label {
            let (x, y) = (16.0, plot.y + plot.height / 2)
            out += "<text class=\"dc-text dc-axis-label\" x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"middle\" transform=\"rotate(-90 \(f(x)) \(f(y)))\">\(XMLEscaping.escape(label))</text>\n"
        }
        if layout.hasSecondaryAxis, let label = secondaryYAxis?.label {
            let (x, y) = (layout.width - 12, plot.y + plot.height / 2)
            out += "<text class=\"dc-text dc-axis-label\" x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"middle\" transform=\"rotate(90 \(f(x)) \(f(y)))\">\(XMLEscaping.escape(label))</text>\n"
        }
        return out + "</g>\n"
    }

    /// The vertical event markers with their labels (markers at the same pixel merged).
    func markerLines(_ layout: LineChartLayout) -> String {
        guard !layout.markers.isEmpty else { return "" }
        let f = ChartNumberFormat.coordinate
        let plot = layout.plot
        var out = "<g class=\"dc-markers\">\n"
        let merged = Self.merged(layout.markers, position: layout.px).filter { $0.x >= plot.x - 0.5 && $0.x <= plot.x + plot.width + 0.5 }
        let placements = Self.placeLabels(merged, plot: (plot.x, plot.width))
        for (marker, placement) in zip(merged, placements) {
            let x = marker.x
            out += "<line class=\"dc-marker\" x1=\"\(f(x))\" y1=\"\(f(plot.y))\" x2=\"\(f(x))\" y2=\"\(f(plot.y + plot.height))\"/>"
            let labelX = placement.left ? x - 4 : x + 4
            let labelY = plot.y + 12 + Double(placement.row) * 13
            out += "<text class=\"dc-text dc-marker-text\" x=\"\(f(labelX))\" y=\"\(f(labelY))\"\(placement.left ? " text-anchor=\"end\"" : "")>\(XMLEscaping.escape(marker.label))</text>\n"
        }
        return out + "</g>\n"
    }

    /// Every series: its line (thinned when long), and dots — each with its value as a hover `<title>` —
    /// for a scatter, for a line of few points, and for isolated points.
    func seriesLines(_ layout: LineChartLayout) -> String {
        let f = ChartNumberFormat.coordinate
        let plot = layout.plot
        var out = ""
        var clip = ""
        if layout.xDomain != nil || layout.yDomain != nil {
            // A clip rectangle for data outside the fixed ranges; its id is derived from the chart so pages stay deterministic.
            let id = "dc-clip-" + Self.fingerprint("\(title)|\(f(plot.x))|\(f(plot.y))|\(f(plot.width))|\(f(plot.height))")
            out += "<defs><clipPath id=\"\(id)\"><rect x=\"\(f(plot.x))\" y=\"\(f(plot.y - 4))\" width=\"\(f(plot.width))\" height=\"\(f(plot.height + 8))\"/></clipPath></defs>\n"
            clip = " clip-path=\"url(#\(id))\""
        }
        out += "<g class=\"dc-series\"\(clip) fill=\"none\" stroke-linejoin=\"round\" stroke-linecap=\"round\">\n"
        for (index, item) in series.enumerated() {
            let onSecondary = item.axis == .secondary && layout.hasSecondaryAxis
            let ticks = onSecondary ? layout.secondaryTicks ?? layout.yTicks : layout.yTicks
            let scale = onSecondary ? secondaryYAxis?.scale ?? .linear : yAxis.scale
            // Each drawable point with its pixel position and its index in the series (for its hover text).
            let points: [(Double, Double, Int)?] = zip(item.x, item.y).enumerated().map { offset, pair in
                xScale.canPlot(pair.0) && scale.canPlot(pair.1) ? (layout.px(pair.0), layout.py(pair.1, ticks, scale), offset) : nil
            }
            let color = item.color ?? ChartPalette.color(index)
            let dash = onSecondary ? " stroke-dasharray=\"6 4\"" : ""
            let width = item.style == .thinLine ? "1.2\" stroke-opacity=\"0.5" : "2"
            let radius = item.style == .points ? "3.5" : "2.5"
            func dot(_ point: (Double, Double, Int), step: String = "") -> String {
                "<circle cx=\"\(f(point.0))\" cy=\"\(f(point.1))\" r=\"\(radius)\" fill=\"\(color)\"\(step)><title>\(XMLEscaping.escape(hoverText(item, at: point.2)))</title></circle>"
            }
            out += "<g class=\"dc-line\" data-name=\"\(XMLEscaping.escape(item.name))\">"
            var runs: [[(Double, Double, Int)]] = [[]]
            if animatesSteps {
                // One polyline per run, each point tagged with its step, for StepAnimation.
                for point in points {
                    if let point { runs[runs.count - 1].append(point) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
                }
                for run in runs where !run.isEmpty {
                    if item.style != .points {
                        let coordinates = run.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
                        let steps = run.map { ChartNumberFormat.value(item.x[$0.2], significantDigits: 12) }.joined(separator: " ")
                        out += "<polyline points=\"\(coordinates)\" data-steps=\"\(steps)\" stroke=\"\(color)\" stroke-width=\"\(width)\"\(dash)/>"
                    }
                    if let last = run.last, item.style != .thinLine {
                        for point in run.count <= 80 || item.style == .points ? run : [last] {
                            out += dot(point, step: " data-step=\"\(ChartNumberFormat.value(item.x[point.2], significantDigits: 12))\"")
                        }
                    }
                }
                out += "</g>\n"
                continue
            }
            let thinned = item.style == .points ? points : Self.thin(points, columns: Int(plot.width))
            for point in thinned {
                if let point { runs[runs.count - 1].append(point) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
            }
            var path = ""
            for run in runs where run.count > 1 && item.style != .points {
                path += "M" + run.map { "\(f($0.0)) \(f($0.1))" }.joined(separator: "L")
            }
            if !path.isEmpty {
                out += "<path d=\"\(path)\" stroke=\"\(color)\" stroke-width=\"\(width)\"\(dash)/>"
            }
            // Dots for a scatter, where the points are few enough to see, and always for isolated points.
            let plotted = points.compactMap { $0 }
            let dots = item.style == .points || (plotted.count <= 40 && item.style == .line) ? plotted : runs.filter { $0.count == 1 }.map { $0[0] }
            for point in dots { out += dot(point) }
            out += "</g>\n"
        }
        return out + "</g>\n"
    }

    /// The labelled points, over the series, each label placed clear of the marker labels.
    func labelledPoints(_ layout: LineChartLayout) -> String {
        guard !layout.labelledPoints.isEmpty else { return "" }
        let f = ChartNumberFormat.coordinate
        let plot = layout.plot
        var out = "<g class=\"dc-points\">\n"
        for (index, point) in layout.labelledPoints.enumerated() {
            let (x, y) = (layout.px(point.x), layout.py(point.y, layout.yTicks, yAxis.scale))
            out += "<circle class=\"dc-point\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"5\"/>"
            if !point.label.isEmpty {
                let nearRight = x > plot.x + plot.width * 0.75
                // Above the point, unless that is where the marker labels are (the top four rows): then below it.
                let above = y - 9 - Double(index % 2) * 13
                let markerRows = layout.markers.isEmpty ? plot.y + 10 : plot.y + 4 * 13 + 6
                let labelY = above >= markerRows ? above : y + 17 + Double(index % 2) * 13
                out += "<text class=\"dc-text dc-point-text\" x=\"\(f(nearRight ? x - 6 : x + 6))\" y=\"\(f(labelY))\"\(nearRight ? " text-anchor=\"end\"" : "")>\(XMLEscaping.escape(point.label))</text>"
            }
            out += "\n"
        }
        return out + "</g>\n"
    }

    /// "no data to plot", and how many values a log axis left out.
    func notes(_ layout: LineChartLayout) -> String {
        let f = ChartNumberFormat.coordinate
        let plot = layout.plot
        var out = ""
        if !layout.hasData {
            out += "<text class=\"dc-text dc-note\" x=\"\(f(plot.x + plot.width / 2))\" y=\"\(f(plot.y + plot.height / 2))\" text-anchor=\"middle\">no data to plot</text>\n"
        }
        if layout.skippedNonPositive > 0 {
            let noun = layout.skippedNonPositive == 1 ? "value" : "values"
            out += "<text class=\"dc-text dc-note\" x=\"\(f(plot.x + plot.width))\" y=\"\(f(layout.height - 4))\" text-anchor=\"end\">\(layout.skippedNonPositive) \(noun) ≤ 0 not shown on the log scale</text>\n"
        }
        return out
    }

    /// The text shown when the pointer rests on point `index` of `item`: its own label when it has
    /// one, else "name: xLabel x, y" (the category's name on a categorical axis).
    func hoverText(_ item: ChartSeries, at index: Int) -> String {
        if let labels = item.pointLabels, index < labels.count, !labels[index].isEmpty { return labels[index] }
        let x = item.x[index]
        let xText: String
        if let categories = xCategories, x == x.rounded(), x >= 0, Int(x) < categories.count {
            xText = categories[Int(x)]
        } else {
            xText = (xLabel.map { $0 + " " } ?? "x ") + ChartNumberFormat.value(x, significantDigits: 6)
        }
        return "\(item.name): \(xText), \(ChartNumberFormat.value(item.y[index], significantDigits: 4))"
    }

    private func xTickLabel(_ value: Double, ticks: AxisTicks) -> String {
        if let categories = xCategories, !categories.isEmpty, xScale == .linear {
            let index = Int(value.rounded())
            return index >= 0 && index < categories.count ? XMLEscaping.escape(categories[index]) : ""
        }
        return Self.tickLabel(value, ticks: ticks, scale: xScale)
    }

    private static func tickLabel(_ value: Double, ticks: AxisTicks, scale: AxisScale) -> String {
        scale == .logarithmic ? ChartNumberFormat.logTick(value) : ChartNumberFormat.linearTick(value, step: ticks.step)
    }
}
