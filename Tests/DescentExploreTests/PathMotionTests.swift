import DescentExplore
import DescentOptim
import XCTest

/// What the explorer says a path does, against the closed forms of gradient descent on quadratics.
final class PathMotionTests: XCTestCase {
    private func path(_ landscape: Landscape, rate: Double, momentum: Double = 0, steps: Int = 40,
                      start: (x: Double, y: Double) = (-1.6, 1.2)) throws -> LandscapePath {
        var optimizer = try Optimizer(SGD(momentum: momentum), learningRate: rate)
        return try LandscapePath(on: landscape, from: start, steps: steps, optimizer: &optimizer)
    }

    /// Bowl at 1.05: x ← (1 − 2·1.05)x = −1.1x, every step reverses the last: a zig-zag, not a spiral.
    func testBowlAboveTheLimitZigZags() throws {
        let behaviour = PathBehaviour(of: try path(.bowl, rate: 1.05))
        XCTAssertEqual(behaviour.motion, .zigZag)
        XCTAssertTrue(behaviour.explanation.hasPrefix("zig-zags across the minimum, each jump longer than the last"), behaviour.explanation)
    }

    /// Bowl at 0.01: x ← 0.98x, every step in the same direction.
    func testBowlBelowHalfTheLimitIsStraight() throws {
        let crawl = PathBehaviour(of: try path(.bowl, rate: 0.01))
        XCTAssertEqual(crawl.motion, .straight)
        XCTAssertTrue(crawl.explanation.hasPrefix("creeps straight toward the minimum"), crawl.explanation)
        // 0.5 lands on the minimum in one step and stays: one moving step.
        XCTAssertEqual(PathBehaviour(of: try path(.bowl, rate: 0.5)).motion, .straight)
    }

    /// Bowl at 0.8: x ← −0.6x, a zig-zag that shrinks.
    func testBowlBetweenHalfAndTheLimitZigZagsIn() throws {
        let behaviour = PathBehaviour(of: try path(.bowl, rate: 0.8))
        XCTAssertEqual(behaviour.motion, .zigZag)
        XCTAssertTrue(behaviour.movement.hasPrefix("zig-zags in"), behaviour.movement)
    }

    /// Heavy-ball momentum 0.9 on the ravine (curvatures 1 and 20) at 0.02: both directions ring
    /// (complex roots of z² − (1 + β − ηλ)z + β), but at different speeds — 7.8° and 37.8° per step — so
    /// the step's direction does not keep turning one way: neither a zig-zag nor a spiral, a curve.
    func testMomentumOnTheRavineCurves() throws {
        let behaviour = PathBehaviour(of: try path(.ravine, rate: 0.02, momentum: 0.9, steps: 200, start: (-2.5, 1)))
        XCTAssertEqual(behaviour.motion, .curved, behaviour.explanation)
        XCTAssertTrue(behaviour.explanation.hasPrefix("curves in to the minimum"), behaviour.explanation)
    }

    func testMotionOfHandMadePoints() {
        XCTAssertEqual(PathMotion(x: [0, 0, 0], y: [1, 1, 1]), .still)
        XCTAssertEqual(PathMotion(x: [0, 1, 2, 3], y: [0, 0, 0, 0]), .straight)
        XCTAssertEqual(PathMotion(x: [0, 1, -1, 2, -2], y: [0, 0, 0, 0, 0]), .zigZag)
        // Fourteen steps around a circle: thirteen turns of 30°, 390° in all.
        let angles = (0...14).map { Double($0) * Double.pi / 6 }
        XCTAssertEqual(PathMotion(x: angles.map { cos($0) }, y: angles.map { sin($0) }), .spiral)
    }
}
