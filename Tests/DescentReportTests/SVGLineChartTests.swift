import DescentReport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

final class SVGLineChartTests: XCTestCase {
    private func sampleChart() -> SVGLineChart {
        let steps = (0..<200).map(Double.init)
        let loss = steps.map { 2.3 * exp(-$0 / 50) + 0.05 }
        let rate = steps.map { 1e-3 * 0.5 * (1 + cos(Double.pi * $0 / 199)) + 1e-5 }
        return SVGLineChart(
            title: "Training loss", xLabel: "step",
            yAxis: ChartAxis(label: "loss", scale: .logarithmic),
            secondaryYAxis: ChartAxis(label: "learning rate", scale: .logarithmic),
            series: [ChartSeries(name: "loss", x: steps, y: loss),
                     ChartSeries(name: "learning rate", x: steps, y: rate, axis: .secondary)],
            markers: [ChartMarker(x: 120, label: "rollback")])
    }

    func testStructureTitleDescLegendAndMarkers() throws {
        let svg = sampleChart().svg()
        let document = try parseXML(svg)
        let root = try XCTUnwrap(document.rootElement())
        XCTAssertEqual(root.name, "svg")
        XCTAssertEqual(root.attribute("role"), "img")
        XCTAssertEqual(root.attribute("viewBox"), "0 0 720.00 360.00")
        XCTAssertEqual(try root.elements(named: "title").first?.stringValue, "Training loss")
        XCTAssertTrue(try root.elements(named: "desc").first?.stringValue?.contains("loss: 200 points") == true)
        let texts = try root.elements(named: "text").compactMap(\.stringValue)
        XCTAssertTrue(texts.contains("learning rate (right axis)"))
        XCTAssertTrue(texts.contains("rollback"))
        XCTAssertTrue(texts.contains("step"))
        // Left (loss) axis: decades 0.01…10; right (rate) axis: decades 1e-5…0.01.
        for label in ["0.01", "0.1", "1", "10", "1e-5", "1e-4", "0.001"] { XCTAssertTrue(texts.contains(label), label) }
        let paths = try root.elements(named: "path")
        XCTAssertEqual(paths.count, 2)
        XCTAssertEqual(paths[0].attribute("stroke"), ChartPalette.color(0))
        XCTAssertEqual(paths[1].attribute("stroke-dasharray"), "6 4")   // the secondary series is dashed
        XCTAssertEqual(try root.elements(named: "line").filter { $0.attribute("class") == "dc-marker" }.count, 1)
    }

    func testMarkerSitsAtItsX() throws {
        let chart = SVGLineChart(title: "t", series: [ChartSeries(name: "a", x: [0, 10], y: [1, 2])],
                                 markers: [ChartMarker(x: 5, label: "best epoch")])
        let root = try XCTUnwrap(parseXML(chart.svg()).rootElement())
        let marker = try XCTUnwrap(root.elements(named: "line").first { $0.attribute("class") == "dc-marker" })
        // Plot from x = 66 to 720 − 24 = 696; x = 5 of 0…10 is its middle, 381.
        XCTAssertEqual(marker.attribute("x1"), "381.00")
    }

    /// A chart of 20 epochs (x = 1…20, a tick step of 5) labels its first tick 1 at the plot's left edge, and no epoch 0.
    func testEpochChartStartsAtEpochOne() throws {
        let epochs = (1...20).map(Double.init)
        let chart = SVGLineChart(title: "Loss per epoch", xLabel: "epoch",
                                 series: [ChartSeries(name: "loss", x: epochs, y: epochs.map { 2 / $0 })])
        let root = try XCTUnwrap(parseXML(chart.svg()).rootElement())
        // The x axis's tick labels are the centred ones under the plot.
        let xLabels = try root.elements(named: "text").filter { $0.attribute("text-anchor") == "middle" && $0.attribute("class") == "dc-text dc-tick" }
        XCTAssertEqual(xLabels.compactMap(\.stringValue), ["1", "5", "10", "15", "20"])
        // Epoch 1 is labelled at the plot's left edge (x = 66), where the path starts.
        XCTAssertEqual(xLabels.first?.attribute("x"), "66.00")
        let d = try XCTUnwrap(root.elements(named: "path").first?.attribute("d"))
        XCTAssertTrue(d.hasPrefix("M66.00 "), d)
    }

    func testMarkersAtTheSameXAreMerged() throws {
        let chart = SVGLineChart(title: "t", series: [ChartSeries(name: "a", x: [0, 10], y: [1, 2])],
                                 markers: [ChartMarker(x: 7, label: "rollback"), ChartMarker(x: 7, label: "rollback"),
                                           ChartMarker(x: 7, label: "early stop"), ChartMarker(x: 2, label: "best epoch")])
        let root = try XCTUnwrap(parseXML(chart.svg()).rootElement())
        XCTAssertEqual(try root.elements(named: "line").filter { $0.attribute("class") == "dc-marker" }.count, 2)
        let texts = try root.elements(named: "text").compactMap(\.stringValue)
        XCTAssertTrue(texts.contains("rollback ×2, early stop"))
        XCTAssertTrue(texts.contains("best epoch"))
    }

    func testNonFinitePointsLeaveAGap() throws {
        let chart = SVGLineChart(title: "gaps", series: [ChartSeries(name: "loss", values: [4, 3, .nan, 2, 1, .infinity, 0.5, 0.4])])
        let root = try XCTUnwrap(parseXML(chart.svg()).rootElement())
        let d = try XCTUnwrap(root.elements(named: "path").first?.attribute("d"))
        // Runs [4, 3], [2, 1], [0.5, 0.4]: three subpaths.
        XCTAssertEqual(d.filter { $0 == "M" }.count, 3)
        XCTAssertFalse(d.lowercased().contains("nan"))
        XCTAssertFalse(d.contains("inf"))
    }

    func testIsolatedPointIsDrawnAsADot() throws {
        let values: [Double] = [1, .nan, 2, .nan, 3, 4] + Array(repeating: 5, count: 60)
        let chart = SVGLineChart(title: "dots", series: [ChartSeries(name: "s", values: values)])
        let root = try XCTUnwrap(parseXML(chart.svg()).rootElement())
        XCTAssertEqual(try root.elements(named: "circle").count, 2)   // 1 and 2 stand alone
    }

    func testLogAxisLeavesOutNonPositiveValuesAndSaysSo() throws {
        let chart = SVGLineChart(title: "log", yAxis: ChartAxis(scale: .logarithmic),
                                 series: [ChartSeries(name: "s", values: [1, 0.1, 0, -1, 0.01, 0.001])])
        let svg = chart.svg()
        let root = try XCTUnwrap(parseXML(svg).rootElement())
        let d = try XCTUnwrap(root.elements(named: "path").first?.attribute("d"))
        XCTAssertEqual(d.filter { $0 == "M" }.count, 2)
        XCTAssertTrue(svg.contains("2 values ≤ 0 not shown on the log scale"))
        let texts = try root.elements(named: "text").compactMap(\.stringValue)
        for label in ["0.001", "0.01", "0.1", "1"] { XCTAssertTrue(texts.contains(label), label) }
    }

    func testAllNonPositiveOnALogAxisGivesAnEmptyChart() throws {
        let chart = SVGLineChart(title: "nothing", yAxis: ChartAxis(scale: .logarithmic),
                                 series: [ChartSeries(name: "s", values: [0, -2, .nan])])
        let svg = chart.svg()
        _ = try parseXML(svg)
        XCTAssertTrue(svg.contains("no data to plot"))
        XCTAssertFalse(svg.contains("<path"))
    }

    func testTextIsEscaped() throws {
        let chart = SVGLineChart(title: "a < b & \"c\"", xLabel: "x's </text>",
                                 series: [ChartSeries(name: "<script>alert(1)</script>\u{1}", values: [1, 2])],
                                 markers: [ChartMarker(x: 1, label: "&amp;")])
        let svg = chart.svg()
        XCTAssertFalse(svg.contains("<script>"))
        let root = try XCTUnwrap(parseXML(svg).rootElement())
        XCTAssertEqual(try root.elements(named: "title").first?.stringValue, "a < b & \"c\"")
        let texts = try root.elements(named: "text").compactMap(\.stringValue)
        XCTAssertTrue(texts.contains("<script>alert(1)</script>"))
        XCTAssertTrue(texts.contains("&amp;"))
        XCTAssertTrue(texts.contains("x's </text>"))
    }

    func testOutputIsDeterministic() {
        XCTAssertEqual(sampleChart().svg(), sampleChart().svg())
    }

    func testLongSeriesIsThinnedButKeepsSpikes() throws {
        var values = (0..<100_000).map { 1 + 0.001 * Double($0 % 7) }
        values[54_321] = 50
        let chart = SVGLineChart(title: "long", series: [ChartSeries(name: "s", values: values)])
        let svg = chart.svg()
        XCTAssertLessThan(svg.utf8.count, 100_000)
        let root = try XCTUnwrap(parseXML(svg).rootElement())
        let d = try XCTUnwrap(root.elements(named: "path").first?.attribute("d"))
        // The plot runs from y = 60 to 330 (270 px); about 4 intervals for 1…50 gives the step 20
        // and the axis 0…60, so the spike at 50 must be drawn at 60 + 270 · (60 − 50) / 60 = 105.
        let ys = d.split(whereSeparator: { $0 == "M" || $0 == "L" }).compactMap { Double($0.split(separator: " ")[1]) }
        XCTAssertEqual(ys.min() ?? 0, 105, accuracy: 0.01)
        let texts = try root.elements(named: "text").compactMap(\.stringValue)
        XCTAssertTrue(texts.contains("60"))
    }

    func testNoSeriesAtAll() throws {
        let svg = SVGLineChart(title: "empty").svg()
        _ = try parseXML(svg)
        XCTAssertTrue(svg.contains("no data to plot"))
    }

    func testEscapingFunction() {
        XCTAssertEqual(XMLEscaping.escape("loss <α & β>"), "loss &lt;α &amp; β&gt;")
        XCTAssertEqual(XMLEscaping.escape("a\u{0}b\tc"), "ab\tc")
    }
}
