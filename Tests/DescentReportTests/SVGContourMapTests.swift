@testable import DescentReport
import XCTest

/// The map's SVG structure: contour paths, clipped paths with one dot per step, labelled points, animation tags.
final class SVGContourMapTests: XCTestCase {
    private func map(animated: Bool = false) -> SVGContourMap {
        let grid = ScalarGrid(x: -2...2, y: -2...2, columns: 41, rows: 41) { $0 * $0 + $1 * $1 }
        return SVGContourMap(title: "bowl <x² + y²>", grid: grid,
                             levels: ContourLines.levels(low: 0, high: 8, count: 6, scale: .linear),
                             paths: [ChartPath(name: "rate 0.25", x: [1.5, 0.75, 0.375], y: [1.5, 0.75, 0.375]),
                                     ChartPath(name: "rate 1.05", x: [1, -1.1, 1.21, .nan], y: [0, 0, 0, .nan])],
                             points: [ChartPoint(x: 0, y: 0, label: "minimum")], animatesSteps: animated)
    }

    func testStructure() throws {
        let document = try parseXML(map().svg())
        let contours = try document.elements(named: "path").filter { $0.attribute("class") == "dc-contour" }
        XCTAssertEqual(contours.count, 6)
        let polylines = try document.elements(named: "polyline")
        XCTAssertEqual(polylines.count, 2)
        XCTAssertEqual(polylines[0].attribute("points")?.split(separator: " ").count, 3)
        XCTAssertEqual(polylines[1].attribute("points")?.split(separator: " ").count, 3, "stops at the first non-finite point")
        XCTAssertEqual(polylines[0].attribute("stroke"), ChartPalette.color(0))
        XCTAssertEqual(polylines[1].attribute("stroke"), ChartPalette.color(1))
        let clip = try document.elements(named: "clipPath")
        XCTAssertEqual(clip.first?.attribute("id"), "dc-map-clip")
        let texts = try document.elements(named: "text").compactMap(\.stringValue)
        XCTAssertTrue(texts.contains("minimum"))
        XCTAssertTrue(texts.contains("rate 0.25"))
        XCTAssertTrue(texts.contains("rate 1.05 (leaves the map)"))
        XCTAssertTrue(texts.contains("bowl <x² + y²>"))
        XCTAssertNil(polylines[0].attribute("data-steps"))
    }

    func testEqualUnitsOnBothAxes() throws {
        var wide = map()
        wide.width = 800
        wide.height = 400
        let document = try parseXML(wide.svg())
        let frame = try document.elements(named: "rect").first { $0.attribute("class") == "dc-frame" }!
        XCTAssertEqual(Double(frame.attribute("width")!)!, Double(frame.attribute("height")!)!, accuracy: 0.01)
    }

    func testAnimationTags() throws {
        let document = try parseXML(map(animated: true).svg())
        let polylines = try document.elements(named: "polyline")
        XCTAssertEqual(polylines[0].attribute("data-steps"), "0 1 2")
        let stepped = try document.elements(named: "circle").compactMap { $0.attribute("data-step") }
        XCTAssertEqual(stepped, ["1", "2", "1", "2"])
    }

    func testALongPathDrawnFromEveryKthStepKeepsItsStepNumbers() throws {
        var thinned = map(animated: true)
        thinned.paths = [ChartPath(name: "long", x: [1, 0.5, 0.25], y: [1, 0.5, 0.25], steps: [0, 10, 20])]
        let document = try parseXML(thinned.svg())
        XCTAssertEqual(try document.elements(named: "polyline").first?.attribute("data-steps"), "0 10 20")
        XCTAssertEqual(try document.elements(named: "circle").compactMap { $0.attribute("data-step") }, ["10", "20"])
    }

    func testStepperPageCarriesTheScriptAndControls() {
        let page = HTMLReport(title: "t", sections: [.init(heading: "h", blocks: [.stepper(steps: 40), .svg(map(animated: true).svg())])])
        let html = page.html()
        XCTAssertTrue(html.contains("<script>"))
        XCTAssertTrue(html.contains("id=\"dc-step\" min=\"0\" max=\"40\""))
        XCTAssertFalse(html.contains("http://") && html.contains("src="), "nothing fetched")
        let plain = HTMLReport(title: "t", sections: [.init(heading: "h", blocks: [.svg(map().svg())])]).html()
        XCTAssertFalse(plain.contains("<script>"))
    }

    func testLinksAndSmallMultiples() {
        let page = HTMLReport(title: "t", sections: [.init(heading: "h", blocks: [
            .links([(text: "Training <report>", address: "train.html", about: "the run")]),
            .figures(["<svg></svg>", "<svg></svg>"]),
        ])], wide: true)
        let html = page.html()
        XCTAssertTrue(html.contains("<a href=\"train.html\">Training &lt;report&gt;</a>"))
        XCTAssertEqual(html.components(separatedBy: "<figure>").count - 1, 2)
        XCTAssertTrue(html.contains("<main class=\"wide\">"))
    }
}
