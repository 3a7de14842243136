import DescentSchedules
import XCTest

/// Invalid settings are errors at construction that name the parameter.
final class ScheduleSettingsTests: XCTestCase {
    func assertParameter(_ parameter: String, line: UInt = #line, _ body: () throws -> Any) {
        XCTAssertThrowsError(try body(), line: line) { error in
            XCTAssertEqual((error as? ScheduleError)?.parameter, parameter, "\(error)", line: line)
        }
    }

    func testDescentConstructorsNameTheParameter() {
        assertParameter("rate") { try ConstantSchedule(rate: -0.1) }
        assertParameter("from") { try CosineDecaySchedule(from: .infinity, steps: 10) }
        assertParameter("steps") { try CosineDecaySchedule(from: 0.1, steps: 0) }
        assertParameter("warmup") { try WarmupStableDecaySchedule(peak: 0.1, steps: 10, warmup: 20, decay: 0) }
        assertParameter("decay") { try WarmupStableDecaySchedule(peak: 0.1, steps: 10, warmup: 5, decay: 6) }
        assertParameter("multiplier") { try WarmRestartsSchedule(from: 0.1, period: 10, multiplier: 0) }
        assertParameter("warmup") { try OneCycleSchedule(peak: 0.1, steps: 100, warmupFraction: 0) }
        assertParameter("warmup") { try OneCycleSchedule(peak: 0.1, steps: 100, warmupFraction: 1) }
        assertParameter("steps") { try OneCycleSchedule(peak: 0.1, steps: 0) }
        assertParameter("at") { try PiecewiseConstantSchedule(from: 0.1, boundaries: [10, 5], scales: [0.1, 0.1]) }
        assertParameter("t_mul") { try CosineRestartsSchedule(from: 0.1, steps: 10, periodMultiplier: 0.5) }
        assertParameter("factor") { try ReduceOnPlateau(factor: 1.0) }
        assertParameter("min_lr") { try ReduceOnPlateau(minimumLearningRate: -1) }
    }
}
