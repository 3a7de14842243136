import DescentConformance
import Foundation
import XCTest

/// Hostile schedule conformance files: numbers no `Int` can hold are errors that name the field.
final class ScheduleConformanceLimitsTests: XCTestCase {
    private func conformance(_ caseJSON: String) -> String {
        do {
            let results = try ScheduleConformance.run(data: Data(#"{"cases": [\#(caseJSON)]}"#.utf8))
            return results.map(\.description).joined(separator: "\n")
        } catch {
            return "error: \(error)"
        }
    }

    func testConformanceNumbersBeyondIntAreErrorsNamingTheField() {
        // Was: "Double value cannot be converted to Int because the result would be greater than Int.max" (exit 132).
        for steps in ["1e308", "9223372036854775807"] {
            let result = conformance(#"{"name": "s", "source": "pytorch", "schedule": "StepLR", "base_lr": 0.1, "params": {"step_size": 2}, "steps": \#(steps), "lr": [0.1]}"#)
            XCTAssertTrue(result.contains("field 'steps'"), result)
        }
        let multiplier = conformance(#"{"name": "r", "source": "pytorch", "schedule": "CosineAnnealingWarmRestarts", "base_lr": 0.1, "params": {"T_0": 2, "T_mult": 1e308}, "steps": 1, "lr": [0.1]}"#)
        XCTAssertTrue(multiplier.contains("T_mult"), multiplier)
        for parameter in ["pct_start", "pct_final"] {
            let onecycle = conformance(#"{"name": "o", "source": "optax", "schedule": "linear_onecycle_schedule", "params": {"transition_steps": 10, "peak_value": 0.1, "\#(parameter)": 1e308}, "steps": 1, "lr": [0.1]}"#)
            XCTAssertTrue(onecycle.contains(parameter), onecycle)
            XCTAssertTrue(onecycle.hasPrefix("FAIL"), onecycle)
        }
    }
}
