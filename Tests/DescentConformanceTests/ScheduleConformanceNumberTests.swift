import DescentConformance
import DescentSchedules
import Foundation
import XCTest

/// The schedule conformance reader takes every JSON number where a number belongs: integers (`1`),
/// integral decimals (`1.0`, `7.0`) and fractions alike (the Linux parser yields integral values for the first two).
final class ScheduleConformanceNumberTests: XCTestCase {
    func testACaseWrittenWithIntegralNumbersPasses() throws {
        // StepLR(step_size 2, gamma 0.5) from base 1: 1, 1, 0.5, 0.5, 0.25.
        let text = """
        {"about": "integral numbers", "cases": [
          {"name": "integral", "source": "pytorch", "schedule": "StepLR", "base_lr": 1,
           "params": {"step_size": 2.0, "gamma": 0.5}, "steps": 5.0, "lr": [1, 1.0, 0.5, 0.5, 0.25]}
        ]}
        """
        let results = try ScheduleConformance.run(data: Data(text.utf8), fileName: "integral.json")
        XCTAssertEqual(results.count, 1)
        XCTAssertTrue(results[0].passed, results[0].description)
    }
}
