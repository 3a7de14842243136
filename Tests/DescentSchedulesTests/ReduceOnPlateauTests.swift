import DescentSchedules
import Foundation
import XCTest

/// ReduceOnPlateau: PyTorch's semantics as a controller composed with any schedule.
final class ReduceOnPlateauTests: XCTestCase {
    func testResumedControllerContinuesExactly() throws {
        var controller = try ReduceOnPlateau(factor: 0.5, patience: 1, cooldown: 1)
        let metrics = [1.0, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0, 1.1]
        var rates: [Double] = []
        var resumed: ReduceOnPlateau?
        for (index, metric) in metrics.enumerated() {
            if index == 4 {
                resumed = try JSONDecoder().decode(ReduceOnPlateau.self, from: JSONEncoder().encode(controller))
                XCTAssertEqual(resumed, controller)
            }
            let rate = controller.apply(to: 0.1)
            rates.append(rate)
            controller.observe(metric: metric, learningRate: rate)
        }
        var second = try XCTUnwrap(resumed)
        for (index, metric) in metrics.enumerated().dropFirst(4) {
            let rate = second.apply(to: 0.1)
            XCTAssertEqual(rate, rates[index])
            second.observe(metric: metric, learningRate: rate)
        }
        XCTAssertEqual(second, controller)
        // Bad reports at 2 and 3 (patience 1) reduce after 3; cooldown 1 skips 4; bad at 5, 6 reduce after 6.
        XCTAssertEqual(rates, [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025])
    }

    func testComposesWithCosineAndHonoursMinimumRate() throws {
        let schedule = try CosineDecaySchedule(from: 0.1, to: 0, steps: 100)
        var controller = try ReduceOnPlateau(factor: 0.1, patience: 0, minimumLearningRate: 0.02)
        for step in 0..<3 {
            let rate = LearningRateControllers.rate(schedule(step), controllers: [controller])
            controller.observe(metric: 1.0, learningRate: rate)
        }
        XCTAssertEqual(controller.reductions, 1)
        // Scale 0.1 would give 0.0099 at step 10; the controller holds the final rate at min_lr.
        XCTAssertEqual(LearningRateControllers.rate(schedule(10), controllers: [controller]), 0.02)
        // ...but never lifts the schedule itself: at the end of the cosine the rate is the schedule's own 0.
        XCTAssertEqual(LearningRateControllers.rate(schedule(100), controllers: [controller]), 0)
    }

    func testEpsilonSkipsTinyReductions() throws {
        var controller = try ReduceOnPlateau(factor: 0.5, patience: 0, epsilon: 0.1)
        controller.observe(metric: 1, learningRate: 0.1)
        controller.observe(metric: 1, learningRate: 0.1)
        XCTAssertEqual(controller.scale, 1)
        XCTAssertEqual(controller.reductions, 0)
    }

    func testMaxModeWithAbsoluteThreshold() throws {
        var controller = try ReduceOnPlateau(mode: .max, factor: 0.5, patience: 0, threshold: 0.1, thresholdMode: .absolute)
        controller.observe(metric: 0.5, learningRate: 0.1)
        XCTAssertTrue(controller.isBetter(0.61, than: controller.best))
        XCTAssertFalse(controller.isBetter(0.6, than: controller.best))
        controller.observe(metric: 0.55, learningRate: 0.1)
        XCTAssertEqual(controller.scale, 0.5)
    }
}

final class ReduceOnPlateauDecodingTests: XCTestCase {
    func testCorruptedSettingsAreADecodingError() throws {
        let controller = try ReduceOnPlateau(factor: 0.5)
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(controller)) as? [String: Any])
        object["factor"] = 2.0
        let data = try JSONSerialization.data(withJSONObject: object)
        XCTAssertThrowsError(try JSONDecoder().decode(ReduceOnPlateau.self, from: data)) { error in
            XCTAssertTrue("\(error)".contains("factor must lie in [0, 1)"), "\(error)")
        }
    }
}
