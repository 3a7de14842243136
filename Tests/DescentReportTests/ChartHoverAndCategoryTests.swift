import DescentReport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// Hover values on points, categorical x axes, the legend shared by line charts and maps, and
/// terminal charts that count epochs from 1.
final class ChartHoverAndCategoryTests: XCTestCase {
    func testEveryDotCarriesItsValueAsAHoverTitle() throws {
        let chart = SVGLineChart(title: "History", xLabel: "trial", series: [
            ChartSeries(name: "value", x: [0, 1, 2], y: [0.5, 0.25, 0.125], style: .points,
                        pointLabels: ["trial #0: 0.5", "", "trial #2: 0.125"]),
        ])
        let root = try XCTUnwrap(try parseXML(chart.svg()).rootElement())
        let circles = try root.elements(named: "circle")
        XCTAssertEqual(circles.count, 3)
        let titles = circles.map { ($0.children ?? []).compactMap { $0 as? XMLElement }.first { $0.localName == "title" }?.stringValue }
        // Its own label where it has one, else "name: xLabel x, y".
        XCTAssertEqual(titles, ["trial #0: 0.5", "value: trial 1, 0.25", "trial #2: 0.125"])
    }

    func testCategoricalAxisLabelsItsTicksWithTheNames() throws {
        var chart = SVGLineChart(title: "Value by optimizer", xLabel: "optimizer", series: [
            ChartSeries(name: "adam", x: [0, 0], y: [0.1, 0.2], style: .points),
            ChartSeries(name: "sgd", x: [1], y: [0.3], style: .points),
        ])
        chart.xCategories = ["adam", "sgd"]
        let root = try XCTUnwrap(try parseXML(chart.svg()).rootElement())
        let ticks = try root.elements(named: "text").filter { $0.attribute("class") == "dc-text dc-tick" && $0.attribute("text-anchor") == "middle" }
        XCTAssertEqual(ticks.map(\.stringValue), ["adam", "sgd"])
        // The two categories sit a quarter and three quarters across the plot (the axis runs −0.5 … 1.5).
        let xs = try root.elements(named: "circle").compactMap { $0.attribute("cx").flatMap(Double.init) }
        let left = 66.0, width = 720.0 - 66 - 24
        XCTAssertEqual(xs[0], left + width / 4, accuracy: 0.01)
        XCTAssertEqual(xs[2], left + 3 * width / 4, accuracy: 0.01)
        let hover = try root.elements(named: "title").map(\.stringValue)
        XCTAssertTrue(hover.contains("sgd: sgd, 0.3"), "\(hover)")
    }

    func testLineChartAndContourMapShareTheirLegend() throws {
        let chart = SVGLineChart(title: "t", series: [ChartSeries(name: "rate 0.5", x: [0, 1], y: [1, 2], color: "#0072B2")])
        let grid = ScalarGrid(x: -1...1, y: -1...1, columns: 11, rows: 11) { $0 * $0 + $1 * $1 }
        let map = SVGContourMap(title: "t", grid: grid, levels: [0.5], paths: [ChartPath(name: "rate 0.5", x: [0.5, 0], y: [0.5, 0])])
        func legend(_ svg: String) -> String {
            let start = svg.range(of: "<g class=\"dc-legend\">")!, end = svg.range(of: "</g>", range: start.upperBound..<svg.endIndex)!
            return String(svg[start.lowerBound..<end.upperBound])
        }
        // The same entry at the same place; only the left edge differs (66 px beside a y axis, 60 beside a map).
        XCTAssertEqual(legend(chart.svg()).replacingOccurrences(of: "66.00", with: "L").replacingOccurrences(of: "88.00", with: "L22")
                           .replacingOccurrences(of: "94.00", with: "L28"),
                       legend(map.svg()).replacingOccurrences(of: "60.00", with: "L").replacingOccurrences(of: "82.00", with: "L22")
                           .replacingOccurrences(of: "88.00", with: "L28"))
    }

    func testTerminalEpochChartCountsFromOne() {
        let chart = TerminalChart(width: 20, height: 4)
        let lines = chart.render([2.0, 1.5, 1.2, 1.1, 1.05], title: "loss per epoch", firstIndex: 1).split(separator: "\n")
        let axis = lines.last!.trimmingCharacters(in: .whitespaces)
        XCTAssertTrue(axis.hasPrefix("1 "), axis)
        XCTAssertTrue(axis.hasSuffix(" 5"), axis)
        // The default still counts from 0 (steps, iterations).
        let steps = chart.render([2.0, 1.5, 1.2]).split(separator: "\n").last!.trimmingCharacters(in: .whitespaces)
        XCTAssertTrue(steps.hasPrefix("0 ") && steps.hasSuffix(" 2"), steps)
    }
}
