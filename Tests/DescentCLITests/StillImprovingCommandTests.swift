import Foundation
import XCTest

/// #22: an unfinished run is named, advice names values and commands, sharpness is tracked, resuming a finished run
/// says what the run said, and range-test defaults to train's optimizer with the ceiling that applies to it.
final class StillImprovingCommandTests: XCTestCase {
    private func lastObject(_ output: String) throws -> [String: Any] {
        let line = try XCTUnwrap(output.split(separator: "\n").last)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-still-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    /// The issue's first case: 20 epochs of AdamW at 0.003 on iris (200 epochs reach a third of its validation loss).
    func testIrisAtThreeThousandthsIsStillImprovingWithTheCommandToGoOn() throws {
        let directory = try temporaryDirectory()
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--learning-rate", "0.003",
                                                "--checkpoint-dir", directory.path])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("Diagnosis: still improving"), result.standardOutput)
        XCTAssertFalse(result.standardOutput.contains("good fit"), result.standardOutput)
        // The advice's command goes on from this run's checkpoint: the same command with --epochs M --resume.
        XCTAssertTrue(result.standardOutput.contains("--checkpoint-dir \(directory.path) --epochs 40 --resume`"), result.standardOutput)
    }

    /// The issue's second case: the digits CNN for 3 epochs at the then default rate 3e-3 (validation 1.46 → 0.31 → 0.15 in the issue).
    func testTheThreeEpochCNNIsStillImproving() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "digits", "--model", "cnn", "--epochs", "3",
                                                "--learning-rate", "3e-3", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let diagnosis = try XCTUnwrap(try lastObject(result.standardOutput)["diagnosis"] as? [String: Any])
        XCTAssertEqual(diagnosis["verdict"] as? String, "still_improving", "\(diagnosis)")
        XCTAssertEqual(diagnosis["advice_kind"] as? String, "continue_training")
        XCTAssertGreaterThan(try XCTUnwrap(diagnosis["advice_epochs"] as? Int), 3)
    }

    /// Resuming a run that already finished prints the diagnosis the run printed (the curves are kept beside the checkpoint;
    /// 4 epochs are read as bins of steps, which a resume without them could not rebuild).
    func testResumingAFinishedRunGivesTheSameDiagnosis() throws {
        let directory = try temporaryDirectory()
        let arguments = ["train", "--dataset", "iris", "--epochs", "4", "--hidden", "16", "--checkpoint-dir", directory.path, "--json"]
        let first = try CommandLineRunner.run(arguments)
        XCTAssertEqual(first.status, 0, first.standardError)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("curves.json").path))
        let again = try CommandLineRunner.run(arguments + ["--resume"])
        XCTAssertEqual(again.status, 0, again.standardError)
        let before = try XCTUnwrap(try lastObject(first.standardOutput)["diagnosis"] as? [String: Any])
        let after = try XCTUnwrap(try lastObject(again.standardOutput)["diagnosis"] as? [String: Any])
        XCTAssertEqual(before["verdict"] as? String, after["verdict"] as? String)
        XCTAssertEqual(before["evidence"] as? [String], after["evidence"] as? [String])
        XCTAssertEqual(before["confidence"] as? String, after["confidence"] as? String)
    }

    /// `--track-sharpness N`: measurements every N steps in the JSON summary, the log and the report.
    func testTrackSharpnessIsLoggedSummarisedAndCharted() throws {
        let directory = try temporaryDirectory()
        let log = directory.appendingPathComponent("run.jsonl").path, report = directory.appendingPathComponent("run.html").path
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "2", "--hidden", "8", "--optimizer", "sgd",
                                                "--learning-rate", "0.05", "--track-sharpness", "2", "--log", log, "--report", report, "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let sharpness = try XCTUnwrap(try lastObject(result.standardOutput)["sharpness"] as? [String: Any])
        let measurements = try XCTUnwrap(sharpness["measurements"] as? [[String: Any]])
        XCTAssertEqual(measurements.map { $0["step"] as? Int }, [2, 4, 6, 8])   // 4 steps an epoch (120 rows, batches of 32)
        for measurement in measurements {
            XCTAssertGreaterThan(try XCTUnwrap(measurement["lambda_max"] as? Double), 0)
            XCTAssertEqual(try XCTUnwrap(measurement["edge"] as? Double), 2 * 1.9 / 0.05, accuracy: 1e-9)
        }
        XCTAssertNotNil(sharpness["seconds_per_measurement"] as? Double)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.contains("\"kind\":\"sharpness\"") }.count, 4)
        let page = try String(contentsOfFile: report, encoding: .utf8)
        XCTAssertTrue(page.contains("Sharpness against the edge of stability"))
        // `diagnose` reads the measurements back from the log.
        let diagnosed = try CommandLineRunner.run(["diagnose", log])
        XCTAssertEqual(diagnosed.status, 0, diagnosed.standardError)
        XCTAssertTrue(diagnosed.standardOutput.contains("edge of stability"), diagnosed.standardOutput)
    }

    func testTrackSharpnessOutOfRangeIsAUsageError() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--track-sharpness", "0"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("--track-sharpness"), result.standardError)
    }

    /// range-test defaults to train's optimizer (AdamW), and the ceiling it shows is the one that applies: none for AdamW,
    /// 2(1 + β)/λmax for SGD; "measured at the start" either way.
    func testRangeTestDefaultsToTrainsOptimizerAndShowsTheCeilingThatApplies() throws {
        let adamw = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--hidden", "8", "--repeats", "1", "--ceiling"])
        XCTAssertEqual(adamw.status, 0, adamw.standardError)
        XCTAssertTrue(adamw.standardOutput.contains("optimizer adamw"), adamw.standardOutput)
        XCTAssertTrue(adamw.standardOutput.contains("measured at the start"), adamw.standardOutput)
        XCTAssertTrue(adamw.standardOutput.contains("No ceiling applies to adamw's rate"), adamw.standardOutput)
        let sgd = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--hidden", "8", "--repeats", "1", "--ceiling",
                                             "--optimizer", "sgd", "--json"])
        XCTAssertEqual(sgd.status, 0, sgd.standardError)
        let ceiling = try XCTUnwrap(try lastObject(sgd.standardOutput)["ceiling"] as? [String: Any])
        let lambda = try XCTUnwrap(ceiling["lambda_max"] as? Double)
        XCTAssertEqual(try XCTUnwrap(ceiling["for_optimizer"] as? Double), 2 * 1.9 / lambda, accuracy: 1e-9 * (2 * 1.9 / lambda))
        XCTAssertEqual(ceiling["measured_at"] as? String, "start")
    }

    /// "The four suggestions span … (a to b)": the range covers every suggestion listed (the medians of the repeats).
    func testTheSpanOfTheSuggestionsCoversEveryListedOne() throws {
        let result = try CommandLineRunner.run(["range-test", "--dataset", "digits", "--optimizer", "sgd", "--hidden", "32", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let object = try lastObject(result.standardOutput)
        let suggestions = try XCTUnwrap(object["suggestions"] as? [String: Double])
        let reason = try XCTUnwrap((object["reasons"] as? [String])?.first { $0.contains("suggestions span") })
        let range = try XCTUnwrap(reason.range(of: #"\(([0-9.e+-]+) to ([0-9.e+-]+)\)"#, options: .regularExpression))
        let numbers = reason[range].dropFirst().dropLast().components(separatedBy: " to ").compactMap(Double.init)
        XCTAssertEqual(numbers.count, 2, reason)
        for (name, rate) in suggestions {
            XCTAssertGreaterThanOrEqual(rate, numbers[0] * 0.995, "\(name) \(reason)")
            XCTAssertLessThanOrEqual(rate, numbers[1] * 1.005, "\(name) \(reason)")
        }
    }
}
