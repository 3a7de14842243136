import Foundation
import XCTest

/// `descent schedule show` and `descent conformance schedules`, end to end.
final class ScheduleCommandTests: XCTestCase {
    func testShowPrintsValuesAndChart() throws {
        let result = try CommandLineRunner.run(["schedule", "show", "warmup(10) >> cosine(to: 0.001)", "--steps", "100"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "schedule: linear(from: 0.0, to: 0.1, steps: 10) >> cosine(from: 0.1, to: 0.001, steps: 90)")
        XCTAssertTrue(lines.contains("learning rate"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("0.1 ┤") }, result.standardOutput)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  0 ┤") }, result.standardOutput)
        XCTAssertFalse(lines.contains("momentum"))
        XCTAssertTrue(lines.contains("0\t0.0"), result.standardOutput)
        XCTAssertTrue(lines.contains { $0.hasPrefix("99\t0.00103015406") }, result.standardOutput)
    }

    func testShowJSONHasEveryStepAndCycledMomentum() throws {
        let result = try CommandLineRunner.run(["schedule", "show", "onecycle", "--steps", "50", "--base-lr", "0.1", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let rates = try XCTUnwrap(object["lr"] as? [Double])
        let momentum = try XCTUnwrap(object["momentum"] as? [Double])
        XCTAssertEqual(rates.count, 50)
        XCTAssertEqual(rates[0], 0.004, accuracy: 1e-15)
        XCTAssertEqual(rates[14], 0.1, accuracy: 1e-15)
        XCTAssertEqual(momentum[14], 0.85, accuracy: 1e-15)
        XCTAssertEqual(object["schedule"] as? String,
                       "onecycle(peak: 0.1, steps: 50, warmup: 0.3, anneal: cosine, div: 25.0, final_div: 10000.0, momentum: [0.85, 0.95])")
    }

    func testShowParseErrorPointsAtTheColumn() throws {
        let result = try CommandLineRunner.run(["schedule", "show", "cosine(to: 1e-5, stepz: 10)", "--steps", "100"])
        XCTAssertEqual(result.status, 2, "the schedule text is the command's argument: a usage error")
        XCTAssertEqual(result.standardError, """
            error: column 18: cosine has no argument 'stepz'
              cosine(to: 1e-5, stepz: 10)
                               ^

            """)
    }

    func testConformanceRunsTheSharedFile() throws {
        let file = CommandLineRunner.repositoryRoot.appendingPathComponent("conformance/schedules.json").path
        let result = try CommandLineRunner.run(["conformance", "schedules", file])
        XCTAssertEqual(result.status, 0, result.standardOutput)
        let lines = result.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.count, 24)
        XCTAssertEqual(lines.last, "23 passed, 0 failed")
        XCTAssertTrue(lines.first?.hasPrefix("PASS step: 40 values") ?? false, result.standardOutput)
    }

    func testConformanceFailsOnAWrongValueAndOnAMalformedFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-schedule-tests-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let wrong = directory.appendingPathComponent("wrong.json")
        try Data(#"{"cases": [{"name": "ok", "source": "optax", "schedule": "constant_schedule", "params": {"value": 0.5}, "steps": 2, "lr": [0.5, 0.5]}, {"name": "off", "source": "pytorch", "schedule": "ExponentialLR", "base_lr": 0.1, "params": {"gamma": 0.5}, "steps": 2, "lr": [0.1, 0.06]}]}"#.utf8).write(to: wrong)
        let failing = try CommandLineRunner.run(["conformance", "schedules", wrong.path])
        XCTAssertEqual(failing.status, 1)
        XCTAssertTrue(failing.standardOutput.hasSuffix("1 passed, 1 failed\n"), failing.standardOutput)
        XCTAssertTrue(failing.standardOutput.contains("FAIL off: lr[1] = 0.05, expected 0.06"), failing.standardOutput)

        let malformed = directory.appendingPathComponent("malformed.json")
        try Data(#"{"cases": [{"name": "no-steps", "source": "pytorch", "schedule": "StepLR", "base_lr": 0.1, "params": {"step_size": 2}, "steps": 3, "lr": [0.1, "x", 0.01]}]}"#.utf8).write(to: malformed)
        let broken = try CommandLineRunner.run(["conformance", "schedules", malformed.path])
        XCTAssertEqual(broken.status, 1)
        XCTAssertEqual(broken.standardError, "error: case 'no-steps': field 'lr' item 1 is \"x\", not a number\n")

        let missing = try CommandLineRunner.run(["conformance", "schedules", directory.appendingPathComponent("none.json").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.standardError.hasPrefix("error: cannot read"), missing.standardError)
    }
}

final class ScheduleShowLongRunTests: XCTestCase {
    /// A run of 10¹¹ steps is charted from samples and its table still ends at the last step.
    func testVeryLongRunsAreSampledNotAllocated() throws {
        let result = try CommandLineRunner.run(["schedule", "show", "cosine", "--steps", "100000000000", "--base-lr", "0.1"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.last, "99999999999\t0.0")
        XCTAssertTrue(lines.contains("49999999999\t0.05000000000078539") || lines.contains { $0.hasPrefix("49999999999\t0.05") })
        XCTAssertTrue(result.standardOutput.contains("99999999999\n"), "the chart's x axis ends at the last step")
        let listed = try CommandLineRunner.run(["schedule", "show", "cosine", "--steps", "100000000000", "--json"])
        XCTAssertEqual(listed.status, 2)
        XCTAssertTrue(listed.standardError.contains("--steps"), listed.standardError)
    }
}
