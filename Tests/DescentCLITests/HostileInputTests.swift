import Foundation
import XCTest

/// The command line with input built to break it (deep nesting, counts near `Int.max`, sizes no
/// machine holds): each ends with a message naming the flag and status 2, never a signal.
final class HostileInputTests: XCTestCase {
    private func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> CommandLineRunner.Result {
        let result = try CommandLineRunner.run(arguments)
        XCTAssertTrue([0, 1, 2].contains(result.status), "status \(result.status); stderr: \(result.standardError.prefix(500))",
                      file: file, line: line)
        return result
    }

    func testDeeplyNestedSchedulesAreAnError() throws {
        // Was: SIGSEGV (exit 139).
        let scaled = String(repeating: "scaled(", count: 5000) + "cosine" + String(repeating: ")", count: 5000)
        let lists = "join(" + String(repeating: "[", count: 60000)
        for text in [scaled, lists] {
            let result = try run(["schedule", "show", text, "--steps", "10"])
            XCTAssertNotEqual(result.status, 0)
            XCTAssertTrue(result.standardError.contains("nested more than 100 deep"), String(result.standardError.prefix(300)))
            XCTAssertLessThan(result.standardError.count, 1000, "the echoed text is cut")
        }
    }

    func testStepCountsNearIntMaxAreRefusedByFlag() throws {
        // Was: "arithmetic overflow" traps in ScheduleParser+Kinds.swift.
        let show = try run(["schedule", "show", "step", "--steps", "9223372036854775807"])
        XCTAssertEqual(show.status, 2)
        XCTAssertTrue(show.standardError.contains("--steps"), show.standardError)
        let train = try run(["train", "--dataset", "iris", "--epochs", "4611686018427387903", "--schedule", "step"])
        XCTAssertEqual(train.status, 2)
        XCTAssertTrue(train.standardError.contains("--epochs"), train.standardError)
        XCTAssertFalse(train.standardOutput.contains("epoch "), "refused before training")
    }

    func testBenchAdamEstimatesMemoryBeforeAllocating() throws {
        // Was: "Fatal error: failed to allocate" (10⁹) and "randomNormal: invalid argument" (10¹¹).
        for params in ["100000000000", "1000000000000000"] {
            let result = try run(["bench", "adam", "--params", params, "--steps", "1"])
            XCTAssertEqual(result.status, 2)
            XCTAssertTrue(result.standardError.contains("--params \(params) needs about"), result.standardError)
            XCTAssertTrue(result.standardError.contains("GiB"), result.standardError)
        }
    }
}

/// `train --task` and `--hidden` spelled with empty sizes.
final class TrainTaskAndHiddenTests: XCTestCase {
    func testTrainTakesTheTaskLikeInspect() throws {
        // Was: no --task on train; an integer-valued target was always classification.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-task-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("counts.csv").path
        let rows = (0..<40).map { "\($0 % 7),\(($0 * 3) % 5),\(($0 % 7) * 2 + ($0 * 3) % 5)" }
        try ("a,b,y\n" + rows.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let regression = try CommandLineRunner.run(["train", "--csv", csv, "--task", "regression", "--epochs", "1", "--hidden", "3"])
        XCTAssertEqual(regression.status, 0, regression.standardError)
        XCTAssertTrue(regression.standardOutput.contains("R²") || regression.standardOutput.contains("regression"), regression.standardOutput)
        let classification = try CommandLineRunner.run(["train", "--csv", csv, "--task", "classification", "--epochs", "1", "--hidden", "3"])
        XCTAssertEqual(classification.status, 0, classification.standardError)
        XCTAssertTrue(classification.standardOutput.contains("accuracy") || classification.standardOutput.contains("classes"),
                      classification.standardOutput)
        let withDataset = try CommandLineRunner.run(["train", "--dataset", "iris", "--task", "regression"])
        XCTAssertEqual(withDataset.status, 2)
        XCTAssertTrue(withDataset.standardError.contains("--task goes with --csv"), withDataset.standardError)
    }

    func testEmptyHiddenSizesAreRefused() throws {
        // Was: "64,,32" trained as 64,32 and ",64" as 64.
        for hidden in ["64,,32", ",64", "64,"] {
            let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", hidden, "--epochs", "1"])
            XCTAssertEqual(result.status, 2, hidden)
            XCTAssertTrue(result.standardError.contains("--hidden: an empty layer size"), result.standardError)
        }
        let linear = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "", "--epochs", "1"])
        XCTAssertEqual(linear.status, 0, linear.standardError)
    }
}
