@testable import DescentReport
import XCTest

/// Marching squares against closed forms: circles of the bowl, straight lines of a plane, saddles.
final class ContourLinesTests: XCTestCase {
    private let bowl = ScalarGrid(x: -2...2, y: -2...2, columns: 81, rows: 81) { x, y in x * x + y * y }

    func testBowlLevelsAreClosedCirclesAtTheirRadii() {
        for radius in [0.5, 1.0, 1.5] {
            let lines = ContourLines.lines(in: bowl, level: radius * radius)
            XCTAssertEqual(lines.count, 1, "one circle at radius \(radius)")
            guard let circle = lines.first, let first = circle.first, let last = circle.last else { continue }
            XCTAssertEqual(first.x, last.x)
            XCTAssertEqual(first.y, last.y)   // closed
            // Linear interpolation of x² along an edge of length h = 0.05 errs by at most h²/(8r) in radius.
            for point in circle {
                XCTAssertEqual((point.x * point.x + point.y * point.y).squareRoot(), radius, accuracy: 0.05 * 0.05 / 2)
            }
            // It goes all the way round: every one of 36 sectors of 10° holds a point.
            let sectors = Set(circle.map { Int(((atan2($0.y, $0.x) + .pi) / (2 * .pi) * 36).rounded(.down)) % 36 })
            XCTAssertEqual(sectors.count, 36)
            // A polygon inscribed in the circle: its perimeter is just under 2πr.
            let perimeter = zip(circle, circle.dropFirst()).reduce(0.0) { $0 + hypot($1.1.x - $1.0.x, $1.1.y - $1.0.y) }
            XCTAssertEqual(perimeter, 2 * .pi * radius, accuracy: 0.01 * radius)
        }
    }

    func testLevelsOutsideTheValuesGiveNoLines() {
        XCTAssertTrue(ContourLines.lines(in: bowl, level: -1).isEmpty)
        XCTAssertTrue(ContourLines.lines(in: bowl, level: 100).isEmpty)
        XCTAssertTrue(ContourLines.lines(in: bowl, level: .nan).isEmpty)
    }

    func testAPlaneGivesOneOpenStraightLineExactly() {
        // f = x + 2y is linear, so interpolation is exact: the level 0.5 is the line x = 0.5 − 2y.
        let plane = ScalarGrid(x: -1...1, y: -1...1, columns: 11, rows: 11) { x, y in x + 2 * y }
        let lines = ContourLines.lines(in: plane, level: 0.5)
        XCTAssertEqual(lines.count, 1)
        let line = lines[0]
        XCTAssertFalse(line.first!.x == line.last!.x && line.first!.y == line.last!.y, "open")
        for point in line { XCTAssertEqual(point.x + 2 * point.y, 0.5, accuracy: 1e-12) }
        // It runs from border to border: from y = 0.75 (x = −1) to y = −0.25 (x = 1).
        let ys = line.map(\.y).sorted()
        XCTAssertEqual(ys.first!, -0.25, accuracy: 1e-12)
        XCTAssertEqual(ys.last!, 0.75, accuracy: 1e-12)
    }

    func testTheSaddleIsResolvedByTheCentre() {
        // One cell with opposite corners above: corners (0,0)=1, (1,0)=0, (1,1)=1, (0,1)=0; centre 0.5.
        let saddle = ScalarGrid(xs: [0, 1], ys: [0, 1], values: [1, 0, 0, 1])
        // Level 0.4: the centre (0.5) is above, so the high corners connect through the middle: two segments.
        let lines = ContourLines.lines(in: saddle, level: 0.4)
        XCTAssertEqual(lines.count, 2)
        for line in lines { XCTAssertEqual(line.count, 2) }
    }

    func testNonFiniteCellsAreSkipped() {
        var grid = bowl
        grid.values[40 * 81 + 60] = .nan   // a hole on the circle of radius 1 (x = 1, y = 0)
        let lines = ContourLines.lines(in: grid, level: 1)
        XCTAssertEqual(lines.count, 1)
        XCTAssertFalse(lines[0].first!.x == lines[0].last!.x && lines[0].first!.y == lines[0].last!.y, "opened by the hole")
    }

    func testLevels() {
        XCTAssertEqual(ContourLines.levels(low: 0, high: 10, count: 4, scale: .linear), [2, 4, 6, 8])
        let log = ContourLines.levels(low: 0, high: 1000, count: 4, scale: .logarithmic)
        XCTAssertEqual(log.first!, 0.1, accuracy: 1e-12)
        XCTAssertEqual(log.last!, 900, accuracy: 1e-9)
        XCTAssertEqual(log[1] / log[0], log[2] / log[1], accuracy: 1e-9)   // geometric
    }
}
