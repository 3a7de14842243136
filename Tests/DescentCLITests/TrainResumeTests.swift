import Foundation
import XCTest

/// Checkpoints, exact resume after SIGKILL and SIGINT, and the checkpoint's bad-input cases, end to end.
final class TrainResumeTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A run with a warmup-cosine schedule, a plateau controller and the guard, so the checkpoint must carry all of them.
    private func arguments(checkpoints: String, weights: String) -> [String] {
        ["train", "--dataset", "digits", "--hidden", "32", "--epochs", "14", "--optimizer", "adam", "--learning-rate", "0.01",
         "--schedule", "warmup(40) >> cosine", "--reduce-on-plateau", "--plateau-patience", "1", "--plateau-factor", "0.5",
         "--checkpoint-dir", checkpoints, "--save-weights", weights, "--json"]
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func summary(_ output: String) throws -> [String: Any] {
        let line = try XCTUnwrap(output.split(separator: "\n").last, output)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
    }

    /// Starts the command, waits until its first checkpoint exists, then sends `signal` after a random delay.
    private func start(_ arguments: [String], signal: Int32, after checkpoint: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: checkpoint) && process.isRunning && Date() < deadline {
            usleep(2_000)
        }
        usleep(UInt32.random(in: 0...150_000))
        kill(process.processIdentifier, signal)
        return (process, output)
    }

    func testAResumedRunAfterSIGKILLEndsBitIdenticalToTheRunLeftAlone() throws {
        let reference = try CommandLineRunner.run(arguments(checkpoints: path("reference"), weights: path("reference.safetensors")))
        XCTAssertEqual(reference.status, 0, reference.standardError)
        let expected = try summary(reference.standardOutput)
        XCTAssertEqual(expected["status"] as? String, "completed")

        let checkpoints = path("killed")
        let (process, output) = try start(arguments(checkpoints: checkpoints, weights: path("killed.safetensors")),
                                          signal: SIGKILL, after: checkpoints + "/checkpoint.json")
        _ = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let resumed = try CommandLineRunner.run(arguments(checkpoints: checkpoints, weights: path("killed.safetensors")) + ["--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        let actual = try summary(resumed.standardOutput)
        XCTAssertEqual(actual["status"] as? String, "completed")
        // Bit-identical: the weights file byte for byte, and every epoch's losses and rates.
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("killed.safetensors"))),
                       try Data(contentsOf: URL(fileURLWithPath: path("reference.safetensors"))))
        XCTAssertEqual(actual["epochs"] as? NSArray, expected["epochs"] as? NSArray)
        XCTAssertEqual(actual["best_validation_loss"] as? Double, expected["best_validation_loss"] as? Double)
        if process.terminationReason == .uncaughtSignal {   // killed before the end: it really resumed
            XCTAssertGreaterThan(actual["resumed_from_epoch"] as? Int ?? 0, 0)
        }
        // No temporary files are left beside the checkpoint (and the curves saved with it, for the resumed run's diagnosis).
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: checkpoints)
            .filter { $0 != "checkpoint.json" && $0 != "curves.json" }
        XCTAssertEqual(leftovers.filter { !$0.hasSuffix(".partial") || !$0.contains(".\(process.processIdentifier).") }, [])
    }

    func testSIGINTFinishesTheStepSavesAndExits130WithAnInterruptedSummary() throws {
        let checkpoints = path("interrupted")
        let weights = path("interrupted.safetensors")
        let (process, output) = try start(arguments(checkpoints: checkpoints, weights: weights), signal: SIGINT,
                                          after: checkpoints + "/checkpoint.json")
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let result = try summary(printed)
        if result["status"] as? String == "completed" { return }   // it finished before the signal arrived
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertEqual(result["status"] as? String, "interrupted")
        XCTAssertTrue(FileManager.default.fileExists(atPath: weights), "the weights are saved on interruption")
        let resumed = try CommandLineRunner.run(arguments(checkpoints: checkpoints, weights: weights) + ["--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        XCTAssertEqual(try summary(resumed.standardOutput)["epochs_run"] as? Int, 14)
    }

    func testSIGINTBeforeTheFirstEpochEndsKeepsTheModelAlreadySaved() throws {
        // Was: Ctrl-C half a second into `train --save-weights m.safetensors` replaced the model there with the
        // untrained initial weights (epochs_run 0).
        let weights = path("model.safetensors"), checkpoints = path("checkpoints")
        let old = Data("a model trained last week".utf8)
        try old.write(to: URL(fileURLWithPath: weights))
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = ["train", "--dataset", "digits", "--hidden", "256", "--batch-size", "1", "--epochs", "3",
                             "--learning-rate", "0.001", "--checkpoint-dir", checkpoints, "--save-weights", weights, "--json"]
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // The lock is taken just before training starts; the first epoch (1 438 steps of one row) is far from over.
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: checkpoints + "/checkpoint.lock") && process.isRunning && Date() < deadline {
            usleep(2_000)
        }
        kill(process.processIdentifier, SIGINT)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let said = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let result = try summary(printed)
        guard result["epochs_run"] as? Int == 0 else { return }   // an epoch ended before the signal arrived
        XCTAssertEqual(process.terminationStatus, 130, said)
        XCTAssertEqual(result["status"] as? String, "interrupted")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: weights)), old)
        XCTAssertTrue(said.contains("note: nothing was saved to \(weights): the run was interrupted before its first epoch ended "
                                    + "(the file there is as it was)"), said)
    }

    func testCheckpointBadInputIsAClearError() throws {
        let file = path("a-file")
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let notADirectory = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--checkpoint-dir", file])
        XCTAssertEqual(notADirectory.status, 2)
        XCTAssertTrue(notADirectory.standardError.contains("is a file, not a directory"), notADirectory.standardError)

        let noDirectory = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--resume"])
        XCTAssertEqual(noDirectory.status, 2)
        XCTAssertTrue(noDirectory.standardError.contains("--checkpoint-dir"), noDirectory.standardError)

        let empty = path("empty")
        let nothing = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--checkpoint-dir", empty, "--resume", "--json"])
        XCTAssertEqual(nothing.status, 1)
        XCTAssertTrue(nothing.standardError.contains("no checkpoint"), nothing.standardError)
        XCTAssertEqual(try summary(nothing.standardOutput)["status"] as? String, "failed")

        // A checkpoint of another model is refused, naming the difference; a truncated one likewise; neither is overwritten.
        let saved = path("saved")
        XCTAssertEqual(try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "2", "--checkpoint-dir", saved]).status, 0)
        let checkpoint = saved + "/checkpoint.json"
        let before = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
        let other = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "2", "--hidden", "8", "--checkpoint-dir", saved, "--resume"])
        XCTAssertEqual(other.status, 1)
        XCTAssertTrue(other.standardError.contains("another run: model"), other.standardError)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: checkpoint)), before)
        try before.prefix(before.count / 2).write(to: URL(fileURLWithPath: checkpoint))
        let truncated = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "2", "--checkpoint-dir", saved, "--resume"])
        XCTAssertEqual(truncated.status, 1)
        XCTAssertTrue(truncated.standardError.contains("not a checkpoint (truncated or not JSON)"), truncated.standardError)
    }
}

/// The 1000-epoch digits run that the old guard stopped at step 26,025 (loss 3.7e-9, "diverged"):
/// a converged loss that wanders near zero is not divergence.
final class LongRunGuardTests: XCTestCase {
    func testAThousandEpochsOnDigitsCompleteWithoutRollback() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "digits", "--epochs", "1000", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let line = try XCTUnwrap(result.standardOutput.split(separator: "\n").last)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(summary["status"] as? String, "completed")
        XCTAssertEqual(summary["epochs_run"] as? Int, 1000)
        XCTAssertEqual(summary["rollbacks"] as? Int, 0)
        XCTAssertGreaterThanOrEqual(summary["final_validation_accuracy"] as? Double ?? 0, 0.97)
        XCTAssertLessThan(summary["final_training_loss"] as? Double ?? 1, 1e-4, "the loss did converge to (near) zero")
    }
}
