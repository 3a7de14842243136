/// The opening of every chart's SVG document: the `<svg>` element with its `viewBox`, the
/// accessible `<title>` and `<desc>`, the inline style sheet, and (``header``) the background and
/// the visible title. Shared by ``SVGLineChart`` and ``SVGContourMap``.
///
/// Example: `SVGPreamble.opening(width: 720, height: 360, className: "descent-chart", title: "Loss",
/// summary: "Line chart.", styleSheet: SVGLineChart.styleSheet)` starts
/// `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720.00 360.00" …><title>Loss</title>`.
enum SVGPreamble {
    /// `<svg …>`, `<title>`, `<desc>` and `<style>`.
    static func opening(width: Double, height: Double, className: String, title: String, summary: String, styleSheet: String) -> String {
        let f = ChartNumberFormat.coordinate
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" class=\"\(className)\">\n"
        out += "<title>\(XMLEscaping.escape(title))</title>\n"
        out += "<desc>\(XMLEscaping.escape(summary))</desc>\n"
        out += "<style>\(styleSheet)</style>\n"
        return out
    }

    /// The background rectangle and the visible title at (`left`, 22).
    static func header(width: Double, height: Double, left: Double, title: String) -> String {
        let f = ChartNumberFormat.coordinate
        return "<rect class=\"dc-bg\" x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\"/>\n"
            + "<text class=\"dc-text dc-title\" x=\"\(f(left))\" y=\"22\">\(XMLEscaping.escape(title))</text>\n"
    }
}
