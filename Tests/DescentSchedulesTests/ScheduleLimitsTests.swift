import Foundation
import XCTest
@testable import DescentSchedules

/// Hostile text and files: deep nesting, step counts near `Int.max`, numbers no `Int` can hold.
/// Each used to end the process (SIGSEGV or a trap); each is now a `ScheduleError` that says why.
final class ScheduleLimitsTests: XCTestCase {
    func testDeepNestingIsAnErrorNotAStackOverflow() throws {
        // Was: SIGSEGV (exit 139) for 5 000 nested scaled( and for 60 000 nested [ inside join.
        let scaled = String(repeating: "scaled(", count: 5000) + "cosine" + String(repeating: ")", count: 5000)
        XCTAssertThrowsError(try ScheduleParser.parse(scaled, totalSteps: 10, baseLearningRate: 0.1)) { error in
            let error = error as? ScheduleError
            XCTAssertTrue(error?.message.contains("nested more than 100 deep") ?? false, "\(String(describing: error))")
            XCTAssertEqual(error?.column, 1 + 7 * 100)   // the 101st scaled(
        }
        let lists = "join(" + String(repeating: "[", count: 60000)
        XCTAssertThrowsError(try ScheduleParser.parse(lists, totalSteps: 10)) { error in
            XCTAssertTrue("\(error)".contains("nested more than 100 deep"), "\(error)")
        }
        // Nesting within the bound still parses.
        var fine = "cosine"
        for _ in 0..<50 { fine = "scaled(\(fine), batch: 2, base_batch: 2)" }
        XCTAssertNoThrow(try ScheduleParser.parse(fine, totalSteps: 10, baseLearningRate: 0.1))
    }

    func testHugeTotalStepsAreRefusedNotOverflowed() throws {
        // Was: `step` with 9223372036854775807 steps trapped on `(total + 2) / 3`.
        XCTAssertThrowsError(try ScheduleParser.parse("step", totalSteps: Int.max, baseLearningRate: 0.1)) { error in
            XCTAssertTrue("\(error)".contains("at most 10^15"), "\(error)")
        }
        let step = try ScheduleParser.parse("step", totalSteps: ScheduleParser.maximumTotalSteps, baseLearningRate: 0.1)
        XCTAssertEqual(step(0), 0.1)
        XCTAssertEqual(step(ScheduleParser.maximumTotalSteps - 1), 0.1 * 0.1 * 0.1, accuracy: 1e-15)
    }

    func testCosineRestartsWithAHugePeriodMultiplierDoesNotTrap() throws {
        // Was (found by the fuzz harness): "Double value cannot be converted to Int because it is
        // either infinite or NaN" — the closed-form cycle estimate overflowed to infinity.
        let schedule = try ScheduleParser.parse("cosine_restarts(from: 0.1, steps: 10, t_mul: 1e300)")
        XCTAssertEqual(schedule(0), 0.1)
        XCTAssertEqual(schedule(5), 0.05, accuracy: 1e-12)           // half-way down the first cosine
        XCTAssertEqual(schedule(10), 0.1)                            // the restart; the second cycle never ends
        XCTAssertEqual(schedule(1_000_000), 0.1 * 0.5 * (1 + cos(Double.pi * (1_000_000.0 / 10 - 1) / 1e300)), accuracy: 1e-12)
    }

    func testLongTokensAreCutInMessages() throws {
        let digits = String(repeating: "9", count: 100_000) + "x"
        XCTAssertThrowsError(try ScheduleParser.parse("cosine(to: 1" + String(repeating: "e", count: 100_000) + ")")) { error in
            XCTAssertLessThan("\(error)".count, 200, "\(error)".prefix(300).description)
        }
        XCTAssertThrowsError(try ScheduleParser.parse(digits)) { error in
            XCTAssertLessThan("\(error)".count, 200, "\(error)".prefix(300).description)
        }
    }

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

/// The JSON check in front of every conformance reader: the place of the first problem.
final class JSONTextCheckTests: XCTestCase {
    private func problem(_ text: String) -> String? {
        JSONTextCheck.firstProblem(in: Array(text.utf8)).map(\.description)
    }

    func testProblemsAreFoundByLineAndColumn() {
        XCTAssertNil(problem(#"{"cases": [1, 2.5e-3, -0, true, null, "a\"\u00e9"]}"#))
        XCTAssertEqual(problem(""), "line 1, column 1: the file is empty")
        XCTAssertEqual(problem("{\"cases\": [1, 2}"), "line 1, column 16: expected ',' or ']' but found '}'")
        XCTAssertEqual(problem("{\n  \"cases\": [\n    {\"steps\": 1e400}\n  ]\n}"),
                       "line 3, column 15: the number 1e400 is beyond the range of a 64-bit float")
        XCTAssertEqual(problem("{\"cases\": [{\"name\": \"x\""), "line 1, column 24: the file ends early (truncated?): expected '}'")
        XCTAssertEqual(problem("{\"a\": \"never ends"), "line 1, column 7: a string that never ends (the file ends early: truncated?)")
        XCTAssertEqual(problem("{} x"), "line 1, column 4: unexpected 'x' after the end of the JSON value")
        XCTAssertEqual(problem("{\"é\": 01}"), "line 1, column 8: expected ',' or '}' but found '1'")
    }

    func testDeepNestingIsCheckedWithoutRecursion() throws {
        // 100 000 nested lists: valid JSON, checked with an explicit stack; the decoder behind it
        // refuses the depth with an error, not a stack overflow.
        let deep = "{\"cases\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        XCTAssertNil(problem(deep))
        XCTAssertThrowsError(try ScheduleConformance.run(data: Data(deep.utf8)))
        XCTAssertNotNil(problem(String(repeating: "[", count: 100_000)))
    }
}
