import DescentTrain
import Foundation
import XCTest

/// The guard's detection on synthetic and recorded loss curves.
final class DivergenceGuardTests: XCTestCase {
    /// Feeds raw step losses to a fresh guard state; returns the (1-based) step of the first divergence.
    private func firstDivergence(_ losses: [Double], reference: Double, settings: DivergenceGuard = DivergenceGuard()) -> Int? {
        var state = DivergenceGuardState()
        state.reference = reference
        for (index, loss) in losses.enumerated() where state.observe(loss, settings: settings) { return index + 1 }
        return nil
    }

    func testALossConvergedToOneBillionthWithNoiseIsNotDivergence() {
        // From 2.3 down to ~1e-9 exponentially, then 20,000 steps of multiplicative noise between 1e-10 and 1e-8.
        var generator = SystemRandomNumberGenerator()
        var losses = (0..<2_000).map { 2.3 * Foundation.pow(1e-9 / 2.3, Double($0) / 1_999) }
        losses += (0..<20_000).map { _ in Foundation.pow(10, Double.random(in: -10 ... -8, using: &generator)) }
        XCTAssertNil(firstDivergence(losses, reference: 2.3))
    }

    func testAdamsSpikesNearZeroLossAreNotDivergence() {
        // Recorded: descent train --dataset digits --epochs 1000 (Adam 3e-3), steps 30421–30469, after ~1e-9 losses.
        let converged = [Double](repeating: 1e-9, count: 3_000)
        let spikes: [Double] = [0, 2.6e-08, 0, 0, 0, 3.7e-09, 0, 3.7e-09, 0, 4.9e-06, 0, 0, 0.00027, 2.6e-08, 0, 3.7e-09,
                                3.7e-09, 3.4e-08, 6.4e-07, 6.7e-08, 2.5e-05, 0.00045, 3.3e-07, 0.00013, 8.2e-08, 0.00018, 0,
                                1.8e-07, 0.0010, 0.1997, 9.6e-07, 1.2e-05, 2.6e-07, 0.1724, 0.00019, 5.9e-05, 8.5e-05, 0.0196,
                                6.6e-05, 0.0169, 0.3171, 0.0109, 0.1766, 0.6370, 2.0e-08, 6.6e-05, 1.9e-06, 0.6452, 0.0067]
        XCTAssertNil(firstDivergence(converged + spikes + converged, reference: 2.3))
    }

    func testABlowUpIsCaughtAtOnceAfterTheGracePeriod() {
        // A rate far too high: the loss is up by orders of magnitude before the grace period ends.
        let losses = [2.3, 40, 900, 5e3, 2e4, 8e4, 1e5, 3e5, 6e5, 1e6, 1e6, 1e6]
        XCTAssertEqual(firstDivergence(losses, reference: 2.3), 11)
        XCTAssertEqual(firstDivergence([2.3, .nan], reference: 2.3), 2, "a non-finite loss counts even in the grace period")
    }

    func testARiseOfFourfoldAndAFifthOfTheStartIsDivergence() {
        // Down to 0.1, then up to 1.0: 10× the minimum and 0.9 above it (> 0.1 × 2.3).
        let losses = [Double](repeating: 0.1, count: 200) + [Double](repeating: 1.0, count: 400)
        let step = firstDivergence(losses, reference: 2.3)
        XCTAssertNotNil(step)
        XCTAssertGreaterThan(step!, 200)
    }

    func testBackingOffHarderAtTheSamePlace() {
        let settings = DivergenceGuard(backoff: 0.5)
        XCTAssertEqual(settings.backoff(consecutive: 1), 0.5)
        XCTAssertEqual(settings.backoff(consecutive: 2), 0.25)
        XCTAssertEqual(settings.backoff(consecutive: 3), 0.125)
    }
}
