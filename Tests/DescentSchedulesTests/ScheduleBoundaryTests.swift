import DescentSchedules
import Foundation
import XCTest

/// Values at step 0, the end of a warmup, the last step and past the end, against closed forms.
final class ScheduleBoundaryTests: XCTestCase {
    func assertClose(_ value: Double, _ expected: Double, _ message: String = "", line: UInt = #line) {
        XCTAssertEqual(value, expected, accuracy: max(1e-12, abs(expected) * 1e-12), message, line: line)
    }

    func testWarmupThenCosineBoundaries() throws {
        let schedule = try ScheduleParser.parse("warmup(500) >> cosine(to: 1e-5)", totalSteps: 10_000, baseLearningRate: 3e-4)
        assertClose(schedule(0), 0)
        assertClose(schedule(250), 1.5e-4)
        assertClose(schedule(500), 3e-4)                       // end of warmup: the peak
        assertClose(schedule(500 + 4750), 1e-5 + (3e-4 - 1e-5) / 2)
        assertClose(schedule(9_999), 1e-5 + (3e-4 - 1e-5) * (1 + cos(Double.pi * 9499 / 9500)) / 2)
        assertClose(schedule(10_000), 1e-5)                    // the end
        assertClose(schedule(1_000_000), 1e-5)                 // past the end: holds
        XCTAssertEqual(schedule.length, 10_000)
    }

    func testBareNamesSpanTheRun() throws {
        let total = 1000
        let cosine = try ScheduleParser.parse("cosine", totalSteps: total, baseLearningRate: 0.1)
        assertClose(cosine(0), 0.1)
        assertClose(cosine(total), 0)
        let constant = try ScheduleParser.parse("constant", totalSteps: total, baseLearningRate: 0.1)
        assertClose(constant(total * 5), 0.1)
        let step = try ScheduleParser.parse("step", totalSteps: total, baseLearningRate: 0.1)
        assertClose(step(333), 0.1)
        assertClose(step(334), 0.01)
        assertClose(step(999), 0.001)
        let exponential = try ScheduleParser.parse("exponential", totalSteps: total, baseLearningRate: 0.1)
        assertClose(exponential(0), 0.1)
        assertClose(exponential(total), 0.001)
        let oneCycle = try ScheduleParser.parse("onecycle", totalSteps: total, baseLearningRate: 0.1)
        assertClose(oneCycle(0), 0.004)
        assertClose(oneCycle(299), 0.1)
        assertClose(oneCycle(999), 0.1 / 25 / 1e4)
        let wsd = try ScheduleParser.parse("wsd", totalSteps: total, baseLearningRate: 0.1)
        assertClose(wsd(0), 0)
        assertClose(wsd(50), 0.1)
        assertClose(wsd(799), 0.1)
        assertClose(wsd(900), 0.05)
        assertClose(wsd(total), 0)
    }

    func testOneCyclePastTheEndHoldsFinalValues() throws {
        let schedule = try OneCycleSchedule(peak: 0.1, steps: 50)
        assertClose(schedule(49), 4e-7)
        assertClose(schedule(50), 4e-7)
        assertClose(schedule(10_000), 4e-7)
        assertClose(schedule.momentum(at: 0)!, 0.95)
        assertClose(schedule.momentum(at: 14)!, 0.85)
        assertClose(schedule.momentum(at: 10_000)!, 0.95)
        let noMomentum = try OneCycleSchedule(peak: 0.1, steps: 50, momentum: nil)
        XCTAssertNil(noMomentum.momentum(at: 3))
    }

    func testCosineAnnealingRisesPastPeriodButCosineDecayHolds() throws {
        let annealing = try CosineAnnealingSchedule(from: 0.1, to: 0.001, period: 30)
        assertClose(annealing(30), 0.001)
        assertClose(annealing(45), 0.0505)
        assertClose(annealing(60), 0.1)
        let decay = try CosineDecaySchedule(from: 0.1, to: 0.001, steps: 30)
        assertClose(decay(45), 0.001)
    }

    func testWarmRestartsCycles() throws {
        let schedule = try WarmRestartsSchedule(from: 0.1, to: 0.0001, period: 10, multiplier: 2)
        XCTAssertEqual(schedule.position(at: 9).current, 9)
        XCTAssertEqual(schedule.position(at: 10).current, 0)
        XCTAssertEqual(schedule.position(at: 30).cycle, 40)
        XCTAssertEqual(schedule.position(at: 150).current, 0)
        assertClose(schedule(70), 0.1)
        assertClose(schedule(5), 0.05005)
    }

    func testWarmupStableDecayShapes() throws {
        for shape in WarmupStableDecaySchedule.Shape.allCases {
            let schedule = try WarmupStableDecaySchedule(peak: 0.1, steps: 100, warmup: 10, decay: 20, shape: shape)
            assertClose(schedule(0), 0)
            assertClose(schedule(10), 0.1)       // end of warmup
            assertClose(schedule(80), 0.1)       // start of the cool-down
            assertClose(schedule(100), 0)        // end
            assertClose(schedule(150), 0)        // past the end
        }
        let sqrt = try WarmupStableDecaySchedule(peak: 0.1, steps: 100, warmup: 10, decay: 20, shape: .sqrt)
        assertClose(sqrt(85), 0.1 * (1 - 0.25.squareRoot()))
        let cosine = try WarmupStableDecaySchedule(peak: 0.1, steps: 100, warmup: 10, decay: 20, shape: .cosine)
        assertClose(cosine(90), 0.05)
    }

    func testLinearScalingRule() throws {
        let schedule = try ScheduleParser.parse("scaled(constant(0.1), batch: 1024, base_batch: 256, warmup: 10)")
        assertClose(schedule(0), 0.1)
        assertClose(schedule(5), 0.25)
        assertClose(schedule(10), 0.4)
        assertClose(schedule(99_999), 0.4)
    }

    func testCyclicMomentumMovesInversely() throws {
        let schedule = try CyclicSchedule(low: 0.001, high: 0.1, up: 5)
        assertClose(schedule(0), 0.001)
        assertClose(schedule(5), 0.1)
        assertClose(schedule(10), 0.001)
        assertClose(schedule.momentum(at: 0)!, 0.9)
        assertClose(schedule.momentum(at: 5)!, 0.8)
        assertClose(schedule(1_000_005), 0.1)
    }

    func testLambdaScheduleUsesClosure() throws {
        let schedule = try LambdaSchedule(base: 0.1) { pow(0.95, Double($0)) }
        assertClose(schedule(0), 0.1)
        assertClose(schedule(1), 0.095)
    }

    func testKerasCosineRestartsExactCycles() throws {
        let schedule = try CosineRestartsSchedule(from: 1.0, steps: 10, periodMultiplier: 2, rateMultiplier: 0.5)
        assertClose(schedule(0), 1.0)
        assertClose(schedule(5), 0.5)
        assertClose(schedule(10), 0.5)
        assertClose(schedule(30), 0.25)
        XCTAssertEqual(schedule.position(at: 70).cycle, 3)
    }
}

/// Combinators in code match the text form.
final class ScheduleCombinatorTests: XCTestCase {
    func testThenMatchesTheTextForm() throws {
        let schedule = try PolynomialSchedule.warmup(steps: 500, to: 3e-4)
            .then(CosineDecaySchedule(from: 3e-4, to: 1e-5, steps: 9_500))
            .then(ConstantSchedule(rate: 1e-5))
        let parsed = try ScheduleParser.parse("warmup(500) >> cosine(to: 1e-5) >> constant(1e-5)",
                                              totalSteps: 10_000, baseLearningRate: 3e-4)
        XCTAssertEqual(AnySchedule(schedule), parsed)
        XCTAssertEqual(schedule.boundaries, [500, 10_000])
        let explicit = try ConstantSchedule(rate: 0.1).then(ConstantSchedule(rate: 0.01), at: 7)
        XCTAssertEqual(explicit(6), 0.1)
        XCTAssertEqual(explicit(7), 0.01)
        XCTAssertEqual(explicit.description, "join([constant(0.1), constant(0.01)], at: [7])")
        XCTAssertThrowsError(try ConstantSchedule(rate: 0.1).then(ConstantSchedule(rate: 0.01)))
    }

    func testNegativeStepsReadAsStepZero() throws {
        for text in ScheduleTextTests.texts {
            let schedule = try ScheduleParser.parse(text, totalSteps: 1000, baseLearningRate: 0.1)
            XCTAssertEqual(schedule(-5), schedule(0), text)
        }
    }
}

final class ScheduleMomentumTests: XCTestCase {
    func testCyclesMomentumLooksInsideCombinators() throws {
        let cycled = try ScheduleParser.parse("constant(0.01, steps: 10) >> onecycle(peak: 0.1, steps: 50)")
        XCTAssertTrue(cycled.cyclesMomentum)
        XCTAssertNil(cycled.momentum(at: 3))
        XCTAssertEqual(ScheduledMomentum(cycled)(10), 0.95)
        let plain = try ScheduleParser.parse("onecycle(peak: 0.1, steps: 50, momentum: none)")
        XCTAssertFalse(plain.cyclesMomentum)
        XCTAssertFalse(try ScheduleParser.parse("cosine(from: 0.1, steps: 5)").cyclesMomentum)
    }
}
