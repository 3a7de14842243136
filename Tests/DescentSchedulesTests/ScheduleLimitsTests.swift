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
}
