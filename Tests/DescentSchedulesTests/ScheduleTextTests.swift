import DescentSchedules
import Foundation
import XCTest

/// The text form: every schedule prints as text that parses back to an equal schedule, Codable
/// round trips, and parse errors point at the column.
final class ScheduleTextTests: XCTestCase {
    static let texts = [
        "constant(0.1)",
        "constant(0.01, steps: 100) >> step(every: 1000, gamma: 0.5)",
        "warmup(500) >> cosine(to: 1e-5)",
        "linear(from: 0.0, to: 0.2, steps: 8, begin: 3)",
        "polynomial(from: 0.1, to: 0.01, power: 2.0, steps: 20, begin: 5, precision: single)",
        "exponential(decay: 0.5, every: 5, begin: 3, staircase: true, to: 0.005)",
        "exponential",
        "step",
        "multistep(at: [10, 25, 35], gamma: 0.2)",
        "piecewise(at: [10, 20], scales: [0.5, 0.1])",
        "interpolate(cosine, at: [4, 15], scales: [0.5, 0.01])",
        "cosine(exponent: 2.0)",
        "cosine_annealing(to: 0.001, period: 30)",
        "restarts(period: 10, multiplier: 2, to: 0.0001)",
        "cosine_restarts(steps: 10, t_mul: 2.0, m_mul: 0.5, alpha: 0.1)",
        "onecycle",
        "onecycle(warmup: 0.25, anneal: linear, three_phase: true, momentum: none)",
        "cyclic(low: 0.001, high: 0.1, up: 5, mode: exp_range, gamma: 0.95, momentum: [0.8, 0.95])",
        "wsd(shape: sqrt)",
        "inverse_time(decay: 0.5, every: 10, staircase: true)",
        "scaled(warmup(10) >> cosine, batch: 1024, base_batch: 256, warmup: 50)",
        "join([linear(from: 0.0, to: 0.1, steps: 10), exponential(decay: 0.9)], at: [12])",
        "chain([constant(0.05, steps: 4) >> constant(0.1), exponential(decay: 0.9)])",
    ]

    func testEveryScheduleRoundTripsThroughText() throws {
        for text in Self.texts {
            let schedule = try ScheduleParser.parse(text, totalSteps: 1000, baseLearningRate: 0.1)
            let printed = schedule.description
            // The printed form gives every parameter: no run is needed to read it back.
            let reparsed = try ScheduleParser.parse(printed)
            XCTAssertEqual(reparsed, schedule, text)
            XCTAssertEqual(reparsed.description, printed, text)
            for step in [0, 1, 7, 99, 500, 999, 1000, 5000] {
                XCTAssertEqual(reparsed(step), schedule(step), "\(text) at \(step)")
                XCTAssertEqual(reparsed.momentum(at: step), schedule.momentum(at: step), "\(text) at \(step)")
            }
        }
    }

    func testEveryScheduleRoundTripsThroughJSON() throws {
        for text in Self.texts {
            let schedule = try ScheduleParser.parse(text, totalSteps: 1000, baseLearningRate: 0.1)
            let data = try JSONEncoder().encode([schedule])
            let decoded = try JSONDecoder().decode([AnySchedule].self, from: data)
            XCTAssertEqual(decoded, [schedule], text)
            XCTAssertEqual(decoded[0](123), schedule(123), text)
        }
        let cosine = try CosineDecaySchedule(from: 0.1, to: 0.001, steps: 50)
        let decoded = try JSONDecoder().decode(CosineDecaySchedule.self, from: JSONEncoder().encode(cosine))
        XCTAssertEqual(decoded, cosine)
        XCTAssertThrowsError(try JSONDecoder().decode(CosineDecaySchedule.self, from: Data("\"constant(0.1)\"".utf8)))
    }

    func testSequenceUsesWhatIsLeftOfTheRun() throws {
        let schedule = try ScheduleParser.parse("warmup(100) >> cosine", totalSteps: 1000, baseLearningRate: 0.5)
        XCTAssertEqual(schedule.description, "linear(from: 0.0, to: 0.5, steps: 100) >> cosine(from: 0.5, to: 0.0, steps: 900)")
    }

    func assertParseError(_ text: String, column: Int, contains fragment: String,
                          totalSteps: Int? = 100, line: UInt = #line) {
        XCTAssertThrowsError(try ScheduleParser.parse(text, totalSteps: totalSteps, baseLearningRate: 0.1), line: line) { error in
            guard let error = error as? ScheduleError else { return XCTFail("not a ScheduleError: \(error)", line: line) }
            XCTAssertEqual(error.column, column, "\(error)", line: line)
            XCTAssertTrue(error.message.contains(fragment), "\(error)", line: line)
        }
    }

    func testParseErrorsPointAtTheColumn() {
        assertParseError("cosine(to: 1e-5, stepz: 10)", column: 18, contains: "no argument 'stepz'")
        assertParseError("warmup(50) >> cosin", column: 15, contains: "unknown schedule 'cosin'")
        assertParseError("cosine(to: 1e-5", column: 16, contains: "expected ')'")
        assertParseError("cosine(to: 1e-5) cosine", column: 18, contains: "expected '>>'")
        assertParseError("cosine(to: 1.2.3)", column: 12, contains: "not a number")
        assertParseError("cosine(to: $)", column: 12, contains: "unexpected character '$'")
        assertParseError("exponential >> cosine", column: 1, contains: "goes on for ever")
        assertParseError("cosine(to: -0.1)", column: 8, contains: "to must be a finite rate")
        assertParseError("warmup(200) >> cosine", column: 8, contains: "warmup (200 steps) is longer than the run (100 steps)")
        assertParseError("constant(0.1, steps: 150) >> cosine", column: 1, contains: "longer than the run")
        assertParseError("onecycle(warmup: 1.5)", column: 10, contains: "warmup must lie strictly between 0 and 1")
        assertParseError("restarts(period: 10, multiplier: 0)", column: 22, contains: "multiplier must be at least 1")
        assertParseError("multistep(at: [20, 10])", column: 11, contains: "increasing order")
        assertParseError("cosine", column: 1, contains: "needs 'steps'", totalSteps: nil)
        assertParseError("cosine(steps: 2.5)", column: 8, contains: "whole number")
        assertParseError("cosine(0.1)", column: 8, contains: "unlabelled")
    }

    func testRunSettingsAreChecked() {
        XCTAssertThrowsError(try ScheduleParser.parse("cosine", totalSteps: 0, baseLearningRate: 0.1)) { error in
            XCTAssertEqual((error as? ScheduleError)?.parameter, "totalSteps")
        }
        XCTAssertThrowsError(try ScheduleParser.parse("cosine", totalSteps: 10, baseLearningRate: .nan)) { error in
            XCTAssertEqual((error as? ScheduleError)?.parameter, "baseLearningRate")
        }
    }
}
