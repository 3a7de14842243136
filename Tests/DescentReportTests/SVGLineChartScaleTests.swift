@testable import DescentReport
import XCTest

/// The log x axis, scatter series and labelled points of the line chart.
final class SVGLineChartScaleTests: XCTestCase {
    func testLogXAxisPutsDecadesAtEqualDistances() throws {
        let chart = SVGLineChart(title: "range test", xLabel: "learning rate", xScale: .logarithmic,
                                 series: [ChartSeries(name: "loss", x: [1e-4, 1e-3, 1e-2, 1e-1, 0, -1], y: [2, 1.5, 1, 3, 9, 9])],
                                 points: [ChartPoint(x: 1e-2, y: 1, label: "valley")])
        let document = try parseXML(chart.svg())
        let ticks = try document.elements(named: "text").filter { $0.attribute("class") == "dc-text dc-tick" && $0.attribute("text-anchor") == "middle" }
        XCTAssertEqual(ticks.compactMap(\.stringValue), ["1e-4", "0.001", "0.01", "0.1"])
        let xs = ticks.compactMap { Double($0.attribute("x")!) }
        XCTAssertEqual(xs[1] - xs[0], xs[2] - xs[1], accuracy: 0.02)
        XCTAssertEqual(xs[2] - xs[1], xs[3] - xs[2], accuracy: 0.02)
        let point = try document.elements(named: "circle").first { $0.attribute("class") == "dc-point" }!
        XCTAssertEqual(Double(point.attribute("cx")!)!, xs[2], accuracy: 0.02)   // the labelled point sits on 0.01
        XCTAssertTrue(try document.elements(named: "text").contains { $0.stringValue == "valley" })
    }

    func testScatterSeriesHasDotsAndNoLine() throws {
        let chart = SVGLineChart(title: "s", series: [ChartSeries(name: "trials", x: [1, 2, 3], y: [3, 1, 2], style: .points)])
        let document = try parseXML(chart.svg())
        let line = try document.elements(named: "g").first { $0.attribute("class") == "dc-line" }!
        XCTAssertEqual(try line.elements(named: "path").count, 0)
        XCTAssertEqual(try line.elements(named: "circle").count, 3)
    }

    func testAnimatedSeriesAreStepTagged() throws {
        var chart = SVGLineChart(title: "loss", series: [ChartSeries(name: "a", x: [0, 1, 2], y: [4, 2, 1], color: "#123456")])
        chart.animatesSteps = true
        let document = try parseXML(chart.svg())
        let polyline = try document.elements(named: "polyline")
        XCTAssertEqual(polyline.count, 1)
        XCTAssertEqual(polyline[0].attribute("data-steps"), "0 1 2")
        XCTAssertEqual(polyline[0].attribute("stroke"), "#123456")
        XCTAssertEqual(try document.elements(named: "circle").compactMap { $0.attribute("data-step") }, ["0", "1", "2"])
    }
}
