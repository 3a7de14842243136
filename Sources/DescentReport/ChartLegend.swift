/// The legend of a chart: one entry per series or path (a short stroke in its colour and its name),
/// laid out in rows under the title, a new row when the next entry would pass `availableWidth`.
///
/// Shared by ``SVGLineChart`` and ``SVGContourMap``, so their legends look and wrap alike. Row `r`
/// sits at y = 40 + 18·r; entries are 28 px of stroke and gap plus the text plus 18 px of space.
/// Example: three entries of 10 characters (68 px of text each, 114 px an entry) in 300 px wrap into
/// two rows, two entries and one.
struct ChartLegend {
    /// One entry: its text, stroke colour, and how the stroke is drawn.
    struct Entry {
        var text: String
        var color: String
        /// A dashed stroke (a series on the right axis).
        var dashed = false
        /// A thin, half-transparent stroke (raw data behind a smoothed line, a faded path).
        var thin = false
    }

    /// The entries of each row with their x offset from the legend's left edge.
    let rows: [[(entry: Entry, x: Double)]]

    init(entries: [Entry], availableWidth: Double) {
        var rows: [[(entry: Entry, x: Double)]] = [[]]
        var cursor = 0.0
        for entry in entries {
            let entryWidth = 28 + SVGLineChart.textWidth(entry.text) + 18
            if cursor > 0 && cursor + entryWidth > availableWidth { rows.append([]); cursor = 0 }
            rows[rows.count - 1].append((entry, cursor))
            cursor += entryWidth
        }
        if rows.last?.isEmpty == true { rows.removeLast() }
        self.rows = rows
    }

    /// The height the rows take (18 px each).
    var height: Double { Double(rows.count) * 18 }

    /// The legend as an SVG group, its left edge at `left`.
    func svg(left: Double) -> String {
        let f = ChartNumberFormat.coordinate
        var out = "<g class=\"dc-legend\">\n"
        for (row, entries) in rows.enumerated() {
            let y = 34 + Double(row) * 18 + 6
            for (entry, offset) in entries {
                let x = left + offset
                let dash = entry.dashed ? " stroke-dasharray=\"6 4\"" : ""
                out += "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 22))\" y2=\"\(f(y))\" stroke=\"\(entry.color)\" stroke-width=\"\(entry.thin ? "1.5\" stroke-opacity=\"0.6" : "2.5")\"\(dash)/>"
                out += "<text class=\"dc-text\" x=\"\(f(x + 28))\" y=\"\(f(y + 4))\">\(XMLEscaping.escape(entry.text))</text>\n"
            }
        }
        return out + "</g>\n"
    }
}
