import DescentExplore
import DescentOptim
import DescentSchedules
import XCTest

/// Paths of Descent's own optimizers on the landscapes, against the closed form of gradient
/// descent on a quadratic (each coordinate multiplied by 1 − ηλ per step), and their verdicts.
final class PathBehaviourTests: XCTestCase {
    private func sgdPath(_ landscape: Landscape, rate: Double, steps: Int = 40,
                         start: (x: Double, y: Double) = (-1.6, 1.2)) throws -> LandscapePath {
        var optimizer = try Optimizer(SGD(), learningRate: rate)
        return try LandscapePath(on: landscape, from: start, steps: steps, optimizer: &optimizer)
    }

    func testBowlPathFollowsTheClosedForm() throws {
        let path = try sgdPath(.bowl, rate: 0.1, steps: 10)
        for k in 0...10 {
            XCTAssertEqual(path.x[k], -1.6 * pow(0.8, Double(k)), accuracy: 1e-5)
            XCTAssertEqual(path.y[k], 1.2 * pow(0.8, Double(k)), accuracy: 1e-5)
        }
        XCTAssertEqual(path.learningRates, Array(repeating: 0.1, count: 10))
    }

    /// The done-when: on the bowl (2/λ = 1), 0.01 crawls, 0.5 converges, 1.05 diverges.
    func testBowlRatesCrawlConvergeAndDiverge() throws {
        let crawl = PathBehaviour(of: try sgdPath(.bowl, rate: 0.01))
        XCTAssertEqual(crawl.verdict, .crawled)
        XCTAssertEqual(crawl.finalGap, 4 * pow(0.98, 80), accuracy: 1e-5)   // 0.794
        XCTAssertEqual(crawl.overshootFraction, 0)
        XCTAssertEqual(Double(crawl.stepsToConverge ?? 0), log(1e-3) / log(0.98 * 0.98), accuracy: 1.5)   // 171

        let converge = PathBehaviour(of: try sgdPath(.bowl, rate: 0.5))
        XCTAssertEqual(converge.verdict, .converged)
        XCTAssertEqual(converge.convergedAtStep, 1)
        XCTAssertEqual(converge.finalGap, 0)

        let diverge = PathBehaviour(of: try sgdPath(.bowl, rate: 1.05))
        XCTAssertEqual(diverge.verdict, .diverged)
        XCTAssertEqual(diverge.finalGap / diverge.initialGap, pow(1.21, 40), accuracy: 1e-3 * pow(1.21, 40))
        XCTAssertEqual(diverge.overshootFraction, 1)
    }

    func testJumpingOverTheMinimumIsOvershotOrOscillated() throws {
        // η = 0.9: the point is multiplied by −0.8 each step; it reaches the minimum by jumping over it.
        XCTAssertEqual(PathBehaviour(of: try sgdPath(.bowl, rate: 0.9)).verdict, .overshot)
        // η = 1 = 2/λ: the point flips sign and never gets closer.
        let bounce = PathBehaviour(of: try sgdPath(.bowl, rate: 1))
        XCTAssertEqual(bounce.verdict, .oscillated)
        XCTAssertEqual(bounce.finalGap, bounce.initialGap, accuracy: 1e-6)
        // The ravine just under its limit 0.1: the steep direction bounces (factor −0.98) while the flat one crawls.
        XCTAssertEqual(PathBehaviour(of: try sgdPath(.ravine, rate: 0.099, start: (-2.5, 1))).verdict, .oscillated)
        XCTAssertEqual(PathBehaviour(of: try sgdPath(.ravine, rate: 0.11, start: (-2.5, 1))).verdict, .diverged)
    }

    func testABlownUpRunStopsAndIsDiverged() throws {
        let path = try sgdPath(.rosenbrock, rate: 0.01, steps: 200, start: (-1.2, 1))
        XCTAssertNotNil(path.stoppedAt)
        XCTAssertLessThan(path.stepsTaken, 200)
        XCTAssertEqual(PathBehaviour(of: path).verdict, .diverged)
    }

    func testSchedulesAndOtherRulesDriveThePath() throws {
        let warmup = try ScheduleParser.parse("warmup(10) >> constant", totalSteps: 20, baseLearningRate: 0.5)
        var optimizer = try Optimizer(SGD(), learningRate: 0.5, schedule: .schedule(warmup))
        let path = try LandscapePath(on: .bowl, from: (-1.6, 1.2), steps: 20, optimizer: &optimizer)
        XCTAssertLessThan(path.learningRates[0], 0.5)
        XCTAssertEqual(path.learningRates[19], 0.5, accuracy: 1e-12)
        for k in 1...20 {   // each step multiplies by 1 − 2·rate
            XCTAssertEqual(path.x[k], path.x[k - 1] * (1 - 2 * path.learningRates[k - 1]), accuracy: 1e-5)
        }
        var adam = try Optimizer(Adam(), learningRate: 0.1)
        let adamPath = try LandscapePath(on: .bowl, from: (-1.6, 1.2), steps: 1, optimizer: &adam)
        // Adam's first step moves each coordinate by the rate against the sign of its gradient.
        XCTAssertEqual(adamPath.x[1], -1.5, accuracy: 1e-5)
        XCTAssertEqual(adamPath.y[1], 1.1, accuracy: 1e-5)
    }
}
