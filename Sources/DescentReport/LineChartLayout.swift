/// Where everything of an ``SVGLineChart`` goes, computed before anything is written: the legend
/// rows, the plot rectangle, the x and y domains with their ticks, and the maps from data to
/// pixels. ``SVGLineChart/svg()`` only writes what this decides.
///
/// The plot leaves 66 px on the left for tick labels (and on the right when a series uses the
/// secondary axis, else 24 px), 30 px at the bottom (48 with an x label), and the title and
/// legend rows above. Example: a 720 × 360 chart with one legend row and an x label has its plot
/// at x 66…696, y 60…312.
struct LineChartLayout {
    let width: Double
    let height: Double
    /// Whether a series is drawn against the right axis (which then exists).
    let hasSecondaryAxis: Bool
    let legend: ChartLegend
    let plot: (x: Double, y: Double, width: Double, height: Double)
    let xTicks: AxisTicks
    let yTicks: AxisTicks
    let secondaryTicks: AxisTicks?
    /// The markers and labelled points that can be placed on the axes' scales.
    let markers: [ChartMarker]
    let labelledPoints: [ChartPoint]
    /// Finite values left out because they are not positive on a log axis.
    let skippedNonPositive: Int
    /// Whether any series value can be drawn.
    let hasData: Bool
    /// The fixed x and y ranges that apply (nil: fitted to the data).
    let xDomain: ClosedRange<Double>?
    let yDomain: ClosedRange<Double>?
    private let xScale: AxisScale

    init(_ chart: SVGLineChart) {
        width = Swift.min(Swift.max(chart.width.isFinite ? chart.width : 720, 200), 10_000)
        height = Swift.min(Swift.max(chart.height.isFinite ? chart.height : 360, 150), 10_000)
        xScale = chart.xScale
        let secondaryAxis = chart.secondaryYAxis
        let secondary = secondaryAxis != nil && chart.series.contains { $0.axis == .secondary }
        hasSecondaryAxis = secondary

        legend = ChartLegend(entries: chart.series.enumerated().map { index, item in
            let onRight = item.axis == .secondary && secondary
            return ChartLegend.Entry(text: item.name + (onRight ? " (right axis)" : ""), color: item.color ?? ChartPalette.color(index),
                                     dashed: onRight, thin: item.style == .thinLine)
        }, availableWidth: width - 80)

        let top = 34 + legend.height + 8
        let left = 66.0
        let right = secondary ? 66.0 : 24.0
        let bottom = chart.xLabel == nil ? 30.0 : 48.0
        plot = (x: left, y: top, width: Swift.max(width - left - right, 40), height: Swift.max(height - top - bottom, 40))

        // Domains.
        var xs: [Double] = []
        var primaryValues: [Double] = [], secondaryValues: [Double] = []
        var skipped = 0
        for item in chart.series {
            let onSecondary = item.axis == .secondary && secondary
            let scale = onSecondary ? secondaryAxis?.scale ?? .linear : chart.yAxis.scale
            for (x, y) in zip(item.x, item.y) where chart.xScale.canPlot(x) {
                if scale.canPlot(y) {
                    xs.append(x)
                    if onSecondary { secondaryValues.append(y) } else { primaryValues.append(y) }
                } else if y.isFinite {
                    skipped += 1
                }
            }
        }
        skippedNonPositive = skipped
        hasData = !primaryValues.isEmpty || !secondaryValues.isEmpty
        markers = chart.markers.filter { chart.xScale.canPlot($0.x) }
        labelledPoints = chart.points.filter { chart.xScale.canPlot($0.x) && chart.yAxis.scale.canPlot($0.y) }
        primaryValues += labelledPoints.map(\.y)
        let allX = xs + markers.map(\.x) + labelledPoints.map(\.x)
        let integersOnly = !allX.isEmpty && allX.allSatisfy { $0 == $0.rounded() }
        var xDomain = chart.xDomain.flatMap { chart.xScale.canPlot($0.lowerBound) && chart.xScale.canPlot($0.upperBound) ? $0 : nil }
        if let categories = chart.xCategories, !categories.isEmpty, xDomain == nil, chart.xScale == .linear {
            // Half a category of room on each side, so the first and last categories' points are not on the frame.
            xDomain = -0.5...(Double(categories.count) - 0.5)
        }
        self.xDomain = xDomain
        yDomain = chart.yDomain.flatMap { chart.yAxis.scale.canPlot($0.lowerBound) && chart.yAxis.scale.canPlot($0.upperBound) ? $0 : nil }
        let xLow = xDomain?.lowerBound ?? allX.min(), xHigh = xDomain?.upperBound ?? allX.max()
        if let categories = chart.xCategories, !categories.isEmpty, chart.xScale == .linear {
            // One tick per category, at 0, 1, 2, …; the frame spans the domain.
            xTicks = AxisTicks(low: xLow ?? -0.5, high: xHigh ?? 0.5, values: categories.indices.map(Double.init), step: 1)
        } else {
            xTicks = chart.xScale == .logarithmic
                ? AxisTicks.logarithmic(low: xLow ?? 1, high: xHigh ?? 10)
                : AxisTicks.linear(low: xLow ?? 0, high: xHigh ?? 1, targetCount: Swift.max(2, Int(plot.width / 90)),
                                   integersOnly: integersOnly)
        }
        let count = Swift.max(2, Int(plot.height / 55))
        yTicks = Self.ticks(yDomain.map { [$0.lowerBound, $0.upperBound] } ?? primaryValues, scale: chart.yAxis.scale, count: count)
        secondaryTicks = secondary ? Self.ticks(secondaryValues, scale: secondaryAxis?.scale ?? .linear, count: count) : nil
    }

    /// The pixel column of `x`.
    func px(_ x: Double) -> Double {
        let low = xScale.transform(xTicks.low), high = xScale.transform(xTicks.high)
        return plot.x + (xScale.transform(x) - low) / (high - low) * plot.width
    }

    /// The pixel row of `y` on the axis with `ticks` and `scale`.
    func py(_ y: Double, _ ticks: AxisTicks, _ scale: AxisScale) -> Double {
        let low = scale.transform(ticks.low), high = scale.transform(ticks.high)
        return plot.y + plot.height - (scale.transform(y) - low) / (high - low) * plot.height
    }

    private static func ticks(_ values: [Double], scale: AxisScale, count: Int) -> AxisTicks {
        switch scale {
        case .linear: return AxisTicks.linear(low: values.min() ?? 0, high: values.max() ?? 1, targetCount: count)
        case .logarithmic: return AxisTicks.logarithmic(low: values.min() ?? 1, high: values.max() ?? 10)
        }
    }
}
