import DescentTrain
import XCTest

/// The rate-scaling rules of Goyal et al. 2017 (linear) and Malladi et al. 2022 (square root).
final class RateScalingTests: XCTestCase {
    func testFactors() {
        XCTAssertEqual(RateScaling.linear.factor(processes: 4), 4)
        XCTAssertEqual(RateScaling.squareRoot.factor(processes: 4), 2)
        XCTAssertEqual(RateScaling.none.factor(processes: 4), 1)
        XCTAssertEqual(RateScaling.linear.factor(processes: 1), 1)
    }

    func testDefaultsByFamily() {
        XCTAssertEqual(RateScaling.standard(for: .momentumSGD), .linear)
        XCTAssertEqual(RateScaling.standard(for: .adaptive), .squareRoot)
        XCTAssertEqual(RateScaling.standard(for: .learningRateFree), .none)
    }

    /// A warmup only when the rate more than doubles; Goyal's 5 epochs, a fifth of a shorter run.
    func testWarmup() {
        XCTAssertTrue(RateScaling.needsWarmup(base: 0.1, scaled: 0.4))
        XCTAssertFalse(RateScaling.needsWarmup(base: 0.1, scaled: 0.2))
        XCTAssertFalse(RateScaling.needsWarmup(base: 1e-3, scaled: 1e-3 * 2.squareRoot()))
        XCTAssertTrue(RateScaling.warmupSteps(stepsPerEpoch: 100, epochs: 90) == (500, 5))
        XCTAssertTrue(RateScaling.warmupSteps(stepsPerEpoch: 100, epochs: 10) == (200, 2))
        XCTAssertEqual(RateScaling.warmupSteps(stepsPerEpoch: 1, epochs: 1).steps, 1)
    }
}
