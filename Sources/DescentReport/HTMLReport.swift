import Foundation

/// A report as one self-contained HTML file: inline CSS and inline SVG charts, nothing fetched
/// from the network, so it can be mailed, archived or opened offline. The only script is the
/// small inline ``StepAnimation``, included when a page has a `.stepper` block; without
/// JavaScript such a page shows every step at once.
///
/// A report is a title, an optional subtitle and sections; each section has a heading and
/// blocks (paragraphs, lists, key–value tables, tables, charts, preformatted text). Typography is
/// readable (system fonts, a measure of about 80 characters, tabular figures in tables) and
/// the page follows the reader's light or dark preference (`prefers-color-scheme`).
/// All text is escaped, so any data-set name or label is safe.
///
/// Example:
///
///     var report = HTMLReport(title: "Training report", subtitle: "iris, 20 epochs")
///     report.sections.append(HTMLReport.Section(heading: "Summary", blocks: [
///         .keyValues([("Data set", "iris"), ("Final accuracy", "0.9667")]),
///     ]))
///     let html = report.html()          // "<!DOCTYPE html>…<table class=\"kv\">…"
///     try report.write(toFile: "report.html")
public struct HTMLReport: Sendable {
    /// One piece of content in a section.
    public enum Block: Sendable {
        /// A paragraph of text.
        case paragraph(String)
        /// A bulleted list.
        case list([String])
        /// A two-column table of names and values.
        case keyValues([(key: String, value: String)])
        /// A table with a header row; numeric-looking cells are right-aligned.
        case table(header: [String], rows: [[String]])
        /// A chart, inlined as SVG.
        case chart(SVGLineChart)
        /// Text shown as is, in a monospaced font (logs, terminal output).
        case preformatted(String)
        /// A ready SVG document (a ``SVGContourMap``, a chart drawn elsewhere), inlined in a figure.
        case svg(String)
        /// Small multiples: SVG documents side by side, wrapping onto more rows on narrow screens.
        case figures([String])
        /// Links to other pages: the link text, the address (relative or absolute) and a line about it.
        case links([(text: String, address: String, about: String)])
        /// A play button and a slider over steps 0…`steps` that reveal the page's animated
        /// elements (those with `data-step`/`data-steps`) step by step; see ``StepAnimation``.
        case stepper(steps: Int)
    }

    /// A heading and what goes under it.
    public struct Section: Sendable {
        public var heading: String
        public var blocks: [Block]

        public init(heading: String, blocks: [Block] = []) {
            self.heading = heading
            self.blocks = blocks
        }
    }

    public var title: String
    public var subtitle: String?
    public var sections: [Section]
    /// A wider page (1200 px instead of 800 px), for maps and charts side by side.
    public var wide: Bool

    public init(title: String, subtitle: String? = nil, sections: [Section] = [], wide: Bool = false) {
        self.title = title
        self.subtitle = subtitle
        self.sections = sections
        self.wide = wide
    }

    /// The page's CSS (light, with a dark variant).
    public static let styleSheet = """
    :root{color-scheme:light dark;--fg:#1d1d1f;--muted:#6e6e73;--bg:#fbfbfd;--card:#fff;--rule:#e5e5ea;--code:#f3f3f6}
    @media (prefers-color-scheme:dark){:root{--fg:#e8e8ed;--muted:#a1a1a6;--bg:#111113;--card:#1c1c1e;--rule:#38383a;--code:#242426}}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
    main{max-width:800px;margin:0 auto;padding:2.5rem 1.25rem 4rem}
    h1{font-size:1.9rem;line-height:1.2;margin:0 0 .25rem}
    .subtitle{color:var(--muted);margin:0 0 2rem}
    h2{font-size:1.25rem;margin:2.5rem 0 .75rem;padding-bottom:.3rem;border-bottom:1px solid var(--rule)}
    p,ul{max-width:70ch}
    li{margin:.2rem 0}
    table{border-collapse:collapse;margin:.5rem 0 1rem;font-variant-numeric:tabular-nums;font-size:.95rem}
    th,td{padding:.35rem .9rem .35rem 0;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
    thead th{color:var(--muted);font-weight:600;font-size:.85rem}
    table.kv th{color:var(--muted);font-weight:500;padding-right:2rem;white-space:nowrap}
    td.num{text-align:right;white-space:nowrap}
    .table-wrap{overflow-x:auto}
    figure{margin:1rem 0 2rem;background:var(--card);border:1px solid var(--rule);border-radius:10px;padding:.5rem}
    figure svg{display:block;width:100%;height:auto}
    pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--code);padding:.9rem 1rem;border-radius:8px;overflow-x:auto;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
    footer{margin-top:3rem;color:var(--muted);font-size:.85rem}
    main.wide{max-width:1200px}
    .multiples{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:1rem;margin:1rem 0 2rem}
    .multiples figure{margin:0}
    .links dt{font-weight:600;margin-top:.8rem}.links dd{margin:.2rem 0 0 0;color:var(--muted)}
    .stepper{display:flex;gap:1rem;align-items:center;margin:.5rem 0}.stepper input{flex:1}
    .stepper button{font:inherit;padding:.3rem 1.1rem;border-radius:6px;border:1px solid var(--rule);background:var(--card);color:var(--fg);cursor:pointer}
    .stepper output{font-variant-numeric:tabular-nums;min-width:9ch}
    a{color:#0a62c9}@media (prefers-color-scheme:dark){a{color:#6cb2ff}}
    """

    /// The whole page.
    public func html() -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"color-scheme\" content=\"light dark\">\n"
        out += "<title>\(XMLEscaping.escape(title))</title>\n<style>\n\(Self.styleSheet)\n</style>\n</head>\n<body>\n<main\(wide ? " class=\"wide\"" : "")>\n"
        out += "<h1>\(XMLEscaping.escape(title))</h1>\n"
        if let subtitle { out += "<p class=\"subtitle\">\(XMLEscaping.escape(subtitle))</p>\n" }
        for section in sections {
            out += "<section>\n<h2>\(XMLEscaping.escape(section.heading))</h2>\n"
            for block in section.blocks { out += Self.html(block) }
            out += "</section>\n"
        }
        out += "</main>\n"
        if hasStepper { out += "<script>\n\(StepAnimation.script)\n</script>\n" }
        out += "</body>\n</html>\n"
        return out
    }

    private var hasStepper: Bool {
        sections.contains { $0.blocks.contains { if case .stepper = $0 { return true } else { return false } } }
    }

    private static func html(_ block: Block) -> String {
        let e = XMLEscaping.escape
        switch block {
        case let .paragraph(text):
            return "<p>\(e(text))</p>\n"
        case let .list(items):
            return "<ul>\n" + items.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
        case let .keyValues(pairs):
            var out = "<table class=\"kv\">\n<tbody>\n"
            for pair in pairs { out += "<tr><th scope=\"row\">\(e(pair.key))</th><td>\(e(pair.value))</td></tr>\n" }
            return out + "</tbody>\n</table>\n"
        case let .table(header, rows):
            var out = "<div class=\"table-wrap\"><table>\n<thead><tr>"
            for cell in header { out += "<th scope=\"col\">\(e(cell))</th>" }
            out += "</tr></thead>\n<tbody>\n"
            for row in rows {
                out += "<tr>" + row.map { isNumeric($0) ? "<td class=\"num\">\(e($0))</td>" : "<td>\(e($0))</td>" }.joined() + "</tr>\n"
            }
            return out + "</tbody>\n</table></div>\n"
        case let .chart(chart):
            return "<figure>\n\(chart.svg())</figure>\n"
        case let .preformatted(text):
            return "<pre>\(e(text))</pre>\n"
        case let .svg(svg):
            return "<figure>\n\(svg)</figure>\n"
        case let .figures(svgs):
            return "<div class=\"multiples\">\n" + svgs.map { "<figure>\n\($0)</figure>\n" }.joined() + "</div>\n"
        case let .links(links):
            return "<dl class=\"links\">\n" + links.map { link in
                "<dt><a href=\"\(e(link.address))\">\(e(link.text))</a></dt><dd>\(e(link.about))</dd>\n"
            }.joined() + "</dl>\n"
        case let .stepper(steps):
            let last = Swift.max(steps, 0)
            return "<div class=\"stepper\"><button type=\"button\" id=\"dc-play\">Play</button>"
                + "<input type=\"range\" id=\"dc-step\" min=\"0\" max=\"\(last)\" value=\"\(last)\" aria-label=\"step\">"
                + "<output id=\"dc-step-label\">step \(last) of \(last)</output></div>\n"
        }
    }

    private static func isNumeric(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return !trimmed.isEmpty && (Double(trimmed) != nil || ["nan", "inf", "-inf", "—"].contains(trimmed))
    }

    /// Writes the page to `path` atomically (see ``ReportFile``).
    public func write(toFile path: String) throws {
        try ReportFile.write(html(), toFile: path)
    }
}
