import DescentConformance
import DescentFiles
import DescentSchedules
import Foundation
import XCTest

/// The reference schedule factory names the library's parameter in every error; a malformed
/// schedule conformance file names the case and the field.
final class ReferenceScheduleTests: XCTestCase {
    func assertParameter(_ parameter: String, line: UInt = #line, _ body: () throws -> Any) {
        XCTAssertThrowsError(try body(), line: line) { error in
            XCTAssertEqual((error as? ScheduleError)?.parameter, parameter, "\(error)", line: line)
        }
    }

    func testReferenceFactoryNamesTheLibrariesParameter() {
        func make(_ source: String, _ name: String, _ parameters: [String: JSONValue]) throws -> Any {
            try ReferenceSchedule.make(source: source, name: name, parameters: parameters, baseLearningRate: 0.1)
        }
        assertParameter("T_max") { try make("pytorch", "CosineAnnealingLR", [:]) }
        assertParameter("T_max") { try make("pytorch", "CosineAnnealingLR", ["T_max": .number(0)]) }
        assertParameter("T_mult") { try make("pytorch", "CosineAnnealingWarmRestarts", ["T_0": .number(5), "T_mult": .number(0.5)]) }
        assertParameter("pct_start") { try make("pytorch", "OneCycleLR", ["max_lr": .number(0.1), "total_steps": .number(10), "pct_start": .number(1.5)]) }
        assertParameter("total_steps") { try make("pytorch", "OneCycleLR", ["max_lr": .number(0.1), "total_steps": .number(0)]) }
        assertParameter("total_steps") { try make("pytorch", "OneCycleLR", ["max_lr": .number(0.1)]) }
        assertParameter("milestones") { try make("pytorch", "MultiStepLR", ["milestones": .array([.number(5), .number(2)])]) }
        assertParameter("step_size") { try make("pytorch", "StepLR", ["step_size": .string("7")]) }
        assertParameter("tmax") { try make("pytorch", "CosineAnnealingLR", ["T_max": .number(5), "tmax": .number(5)]) }
        assertParameter("lr_lambda") { try make("pytorch", "LambdaLR", [:]) }
        assertParameter("decay_steps") {
            try make("optax", "warmup_cosine_decay_schedule", ["init_value": .number(0), "peak_value": .number(0.1),
                                                               "warmup_steps": .number(50), "decay_steps": .number(40)])
        }
        assertParameter("init_value") { try make("optax", "cosine_decay_schedule", ["decay_steps": .number(10)]) }
        assertParameter("source") { try make("tensorflow2", "x", [:]) }
        XCTAssertThrowsError(try ReferenceSchedule.make(source: "pytorch", name: "StepLR", parameters: ["step_size": .number(3)],
                                                        baseLearningRate: nil)) { error in
            XCTAssertEqual((error as? ScheduleError)?.parameter, "base_lr")
        }
    }

    func testReferenceFactoryReturnsMomentumOnlyWhenCycled() throws {
        let oneCycle = try ReferenceSchedule.make(source: "pytorch", name: "OneCycleLR",
            parameters: ["max_lr": .number(0.1), "total_steps": .number(50)], baseLearningRate: 0.1)
        XCTAssertEqual(oneCycle.rate(0), 0.004, accuracy: 1e-15)
        XCTAssertEqual(oneCycle.momentum?(0) ?? .nan, 0.95, accuracy: 1e-15)
        let step = try ReferenceSchedule.make(source: "pytorch", name: "StepLR",
            parameters: ["step_size": .number(3)], baseLearningRate: 0.1)
        XCTAssertNil(step.momentum)
        XCTAssertEqual(step.rate(3), 0.01, accuracy: 1e-15)
    }

    func testMalformedConformanceFileNamesCaseAndField() {
        let file = #"{"cases": [{"name": "broken", "source": "pytorch", "schedule": "StepLR", "base_lr": 0.1, "params": {"step_size": 2}, "steps": 3, "lr": [0.1, 0.1]}]}"#
        XCTAssertThrowsError(try ScheduleConformance.run(data: Data(file.utf8))) { error in
            let error = error as? ScheduleError
            XCTAssertEqual(error?.parameter, "lr")
            XCTAssertTrue(error?.message.contains("case 'broken'") ?? false, "\(String(describing: error))")
        }
        XCTAssertThrowsError(try ScheduleConformance.run(data: Data("{\"case\": []}".utf8))) { error in
            XCTAssertEqual((error as? ScheduleError)?.parameter, "cases")
        }
    }

    func testConformanceCaseCanFail() throws {
        let file = #"{"cases": [{"name": "wrong", "source": "pytorch", "schedule": "StepLR", "base_lr": 0.1, "params": {"step_size": 2}, "steps": 3, "lr": [0.1, 0.1, 0.0100001]}]}"#
        let results = try ScheduleConformance.run(data: Data(file.utf8))
        XCTAssertEqual(results.count, 1)
        XCTAssertFalse(results[0].passed)
        XCTAssertTrue(results[0].detail.contains("lr[2]"), results[0].detail)
    }
}
