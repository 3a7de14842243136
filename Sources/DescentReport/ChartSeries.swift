/// One named line on a chart: points `(x[i], y[i])`, drawn against the left (primary) or right
/// (secondary) y axis.
///
/// Points whose x or y is NaN or infinite (or not positive, on a log axis) are skipped and the
/// line has a gap there. Example: `ChartSeries(name: "loss", values: [2.3, 1.1, .nan, 0.4], firstX: 1)`
/// is the points (1, 2.3), (2, 1.1), (4, 0.4) with a gap between x = 2 and x = 4.
public struct ChartSeries: Sendable, Equatable {
    /// Which y axis a series is measured against.
    public enum Axis: Sendable, Equatable {
        /// The left axis.
        case primary
        /// The right axis (drawn dashed, and marked "right axis" in the legend).
        case secondary
    }

    /// How the points are drawn.
    public enum Style: Sendable, Equatable {
        /// A line of width 2 (with dots when there are few points).
        case line
        /// A thin, half-transparent line: raw data behind its smoothed version.
        case thinLine
        /// Dots only: a scatter plot.
        case points
    }

    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var axis: Axis
    public var style: Style = .line
    /// A CSS colour; nil takes the palette's colour of the series' position.
    public var color: String?
    /// The text shown when the pointer rests on a point's dot (the SVG `<title>` of point `i` is
    /// `pointLabels[i]`); nil or an empty text: "name: x, y". Example: `["trial #3: 0.0412"]`.
    public var pointLabels: [String]?

    /// A series with explicit x values; extra values in the longer of `x` and `y` are ignored.
    public init(name: String, x: [Double], y: [Double], axis: Axis = .primary, style: Style = .line, color: String? = nil,
                pointLabels: [String]? = nil) {
        let count = Swift.min(x.count, y.count)
        self.pointLabels = pointLabels
        self.name = name
        self.x = Array(x.prefix(count))
        self.y = Array(y.prefix(count))
        self.axis = axis
        self.style = style
        self.color = color
    }

    /// A series of evenly spaced values: `values[i]` at x = `firstX + i`.
    public init(name: String, values: [Double], firstX: Double = 0, axis: Axis = .primary) {
        self.init(name: name, x: values.indices.map { firstX + Double($0) }, y: values, axis: axis)
    }
}

/// A labelled vertical line across a chart at `x`, marking an event such as "rollback",
/// "early stop" or "best epoch". Example: `ChartMarker(x: 12, label: "best epoch")`.
public struct ChartMarker: Sendable, Equatable {
    public var x: Double
    public var label: String

    public init(x: Double, label: String) {
        self.x = x
        self.label = label
    }
}

/// A y axis of a chart: its label and whether it is linear or logarithmic.
/// Example: `ChartAxis(label: "learning rate", scale: .logarithmic)`.
public struct ChartAxis: Sendable, Equatable {
    public var label: String?
    public var scale: AxisScale

    public init(label: String? = nil, scale: AxisScale = .linear) {
        self.label = label
        self.scale = scale
    }
}

/// A labelled point drawn over a chart: a suggestion on a curve, the minimum of a landscape.
/// Example: `ChartPoint(x: 0.0229, y: 1.31, label: "valley 2.29e-2")`.
public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var label: String

    public init(x: Double, y: Double, label: String = "") {
        self.x = x
        self.y = y
        self.label = label
    }
}
