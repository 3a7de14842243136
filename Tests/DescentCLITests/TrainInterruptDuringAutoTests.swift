import Foundation
import XCTest

/// SIGINT and SIGTERM while `descent train` chooses its automatic learning rate (the range test, then the race on
/// validation loss) stop it as they stop training: within a step, one interrupted JSON object last, 130 or 143,
/// nothing saved but a note that lets `--resume` start the run over.
final class TrainInterruptDuringAutoTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-auto-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func lastObject(_ output: String) throws -> [String: Any] {
        let line = try XCTUnwrap(output.split(separator: "\n").last, output)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
    }

    /// Starts `arguments`, waits until the run holds its checkpoint directory (the signals are watched from before
    /// then, and the automatic rate is chosen right after), sends `signal`, and returns the exit status and output.
    private func interrupt(_ arguments: [String], lock: String, with signal: Int32) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: lock) && process.isRunning && Date() < deadline { usleep(2_000) }
        kill(process.processIdentifier, signal)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, printed)
    }

    func testAFirstSignalDuringTheAutomaticRateStopsItWithinAStepAndResumeStartsOver() throws {
        // Digits, 40 epochs: the automatic rate takes seconds in a debug build (100 sweep steps, then a race of 5
        // candidates with rungs at epochs 3, 5 and 15), so the signal lands in it.
        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let checkpoints = directory.appendingPathComponent("run-\(signal)").path
            let arguments = ["train", "--dataset", "digits", "--hidden", "64", "--epochs", "40", "--optimizer", "adam",
                             "--checkpoint-dir", checkpoints, "--json"]
            let (exit, printed) = try interrupt(arguments, lock: checkpoints + "/checkpoint.lock", with: signal)
            XCTAssertEqual(exit, status, printed)
            let summary = try lastObject(printed)
            XCTAssertEqual(printed.split(separator: "\n").filter { $0.hasPrefix("{") }.count, 1, "exactly one JSON object")
            XCTAssertEqual(summary["status"] as? String, "interrupted")
            XCTAssertEqual(summary["epochs_run"] as? Int, 0, "the run itself never started")
            let automatic = try XCTUnwrap(summary["automatic_learning_rate"] as? [String: Any], printed)
            XCTAssertEqual(automatic["interrupted"] as? Bool, true, "stopped while the rate was chosen, not after it")
            let interruption = try XCTUnwrap(automatic["interruption"] as? [String: Any])
            XCTAssertEqual(interruption["reason"] as? String, signal == SIGINT ? "SIGINT" : "SIGTERM")
            // Prompt: inside the sweep, or in the race before its first rung was done (5 candidates × 3 epochs).
            switch interruption["stage"] as? String {
            case "range-test":
                XCTAssertLessThanOrEqual(try XCTUnwrap(interruption["sweep_iterations"] as? Int), 100)
            case "race":
                XCTAssertLessThan(try XCTUnwrap(interruption["race_epochs"] as? Int), 15)
                let candidates = try XCTUnwrap(automatic["candidates"] as? [[String: Any]])
                XCTAssertFalse(candidates.contains { $0["kept"] as? Bool == true }, "no winner")
            default:
                XCTFail("stage \(interruption["stage"] ?? "none")")
            }
            // Nothing saved: no checkpoint, no curves, no temporary file; the note that nothing was trained.
            let left = try FileManager.default.contentsOfDirectory(atPath: checkpoints).sorted()
            XCTAssertEqual(left, ["interrupted-before-training.json"])
        }
        // --resume on that directory starts the run over (a short run here: the note, not the run, decides).
        let checkpoints = directory.appendingPathComponent("run-\(SIGINT)").path
        let resumed = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "8", "--epochs", "3",
                                                 "--checkpoint-dir", checkpoints, "--resume", "--json"])
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        XCTAssertTrue(resumed.standardError.contains("it starts from the beginning"), resumed.standardError)
        let summary = try lastObject(resumed.standardOutput)
        XCTAssertEqual(summary["status"] as? String, "completed")
        XCTAssertEqual(summary["epochs_run"] as? Int, 3)
        XCTAssertEqual(summary["resumed_from_epoch"] as? Int, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoints + "/checkpoint.json"))
    }

    /// Two SIGINTs at once: whichever ends the run (the first's summary or the second's "stopped at once" object),
    /// the output ends with exactly one JSON object and the status is 130.
    func testTwoSignalsAtOnceLeaveExactlyOneJSONObject() throws {
        for attempt in 0..<3 {
            let checkpoints = directory.appendingPathComponent("twice-\(attempt)").path
            let process = Process()
            process.executableURL = CommandLineRunner.executable
            process.arguments = ["train", "--dataset", "digits", "--hidden", "64", "--epochs", "40", "--checkpoint-dir", checkpoints, "--json"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while !FileManager.default.fileExists(atPath: checkpoints + "/checkpoint.lock") && process.isRunning && Date() < deadline {
                usleep(2_000)
            }
            usleep(UInt32(attempt) * 20_000)
            kill(process.processIdentifier, SIGINT)
            usleep(UInt32(attempt) * 1_000)
            kill(process.processIdentifier, SIGINT)
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 130, printed)
            let objects = printed.split(separator: "\n").filter { $0.hasPrefix("{") }
            XCTAssertEqual(objects.count, 1, printed)
            XCTAssertEqual(try lastObject(printed)["status"] as? String, "interrupted")
        }
    }

    /// Without the note, a directory with no checkpoint is still refused by --resume.
    func testResumeWithoutACheckpointOrTheNoteIsStillRefused() throws {
        let checkpoints = directory.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: checkpoints, withIntermediateDirectories: true)
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "8", "--epochs", "3",
                                                "--checkpoint-dir", checkpoints, "--resume"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("there is no checkpoint"), result.standardError)
    }
}
