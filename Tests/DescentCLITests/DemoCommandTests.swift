import Foundation
import XCTest

/// `descent demo` end to end on the bundled digits, and `range-test --report`.
final class DemoCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testDemoChoosesAsTrainDoesWritesLinkedPagesAndTheGuardCatchesTenTimesTheRate() throws {
        let out = directory.appendingPathComponent("demo").path
        let result = try CommandLineRunner.run(["demo", "--out", out, "--epochs", "4", "--track-sharpness", "90", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let last = try XCTUnwrap(result.standardOutput.split(separator: "\n").last)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        let chosen = try XCTUnwrap(summary["chosen_learning_rate"] as? Double)
        // The race's winner among candidates half a decade around the range test's rate (fastai's conformance valley for
        // digits with this model and optimizer is 7.6e-3; the grid's good rates for it are within a decade).
        XCTAssertGreaterThan(chosen, 1e-3)
        XCTAssertLessThan(chosen, 1e-1)
        let training = try XCTUnwrap(summary["training"] as? [String: Any])
        XCTAssertGreaterThan(try XCTUnwrap(training["final_validation_accuracy"] as? Double), 0.9)
        let guarded = try XCTUnwrap(summary["guarded_run"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(guarded["learning_rate"] as? Double), 10 * chosen, accuracy: 1e-12)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(guarded["rollbacks"] as? Int), 1, "the guard caught 10× the rate")
        let diagnosis = try XCTUnwrap(guarded["diagnosis"] as? [String: Any])
        // Caught and corrected ("rate too high"), or caught and given up on ("diverged"): either way the rate is named as the cause.
        XCTAssertTrue(["rate_too_high", "diverged"].contains(diagnosis["verdict"] as? String ?? ""), "\(diagnosis)")
        let index = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        for page in ["training.html", "training-10x.html", "range-test.html", "explorer.html"] {
            XCTAssertTrue(index.contains("href=\"\(page)\""), page)
            let html = try String(contentsOfFile: out + "/" + page, encoding: .utf8)
            XCTAssertTrue(html.contains("<svg"), page)
        }
        let tenfold = try String(contentsOfFile: out + "/training-10x.html", encoding: .utf8)
        XCTAssertTrue(tenfold.contains("rollback"))
        try checkTheNextCommandReproducesTheRun(summary)
    }

    /// The demo chooses its rate as `descent train` does without --learning-rate (the range test's first look, then the race on
    /// validation loss), and its Next command, run as printed, is the same run: the same candidates, the same rate, the same
    /// validation loss at every epoch, and sharpness tracked as the demo tracked it.
    private func checkTheNextCommandReproducesTheRun(_ summary: [String: Any]) throws {
        let automatic = try XCTUnwrap(summary["automatic_learning_rate"] as? [String: Any])
        XCTAssertEqual(automatic["source"] as? String, "validation-race")
        let candidates = try XCTUnwrap(automatic["candidates"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(candidates.count, 2)
        XCTAssertEqual(candidates.filter { $0["kept"] as? Bool == true }.count, 1)
        let training = try XCTUnwrap(summary["training"] as? [String: Any])
        XCTAssertGreaterThan(try XCTUnwrap(training["sharpness_measurements"] as? Int), 0, "sharpness tracked during training")
        let command = try XCTUnwrap(training["command"] as? String)
        let words = command.split(separator: " ").map(String.init)
        XCTAssertFalse(words.contains("--learning-rate"), "the Next command lets train choose: \(command)")
        XCTAssertTrue(words.contains("--track-sharpness"), command)

        let train = try CommandLineRunner.run(Array(words.dropFirst()) + ["--json"])
        XCTAssertEqual(train.status, 0, train.standardError)
        let trained = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try XCTUnwrap(train.standardOutput.split(separator: "\n").last).utf8))
                                    as? [String: Any])
        XCTAssertEqual(trained["learning_rate"] as? Double, try XCTUnwrap(summary["chosen_learning_rate"] as? Double))
        let trainedCandidates = try XCTUnwrap((trained["automatic_learning_rate"] as? [String: Any])?["candidates"] as? [[String: Any]])
        XCTAssertEqual(trainedCandidates.map { $0["best_validation_loss"] as? Double }, candidates.map { $0["best_validation_loss"] as? Double })
        let epochs = try XCTUnwrap(trained["epochs"] as? [[String: Any]])
        XCTAssertEqual(epochs.map { $0["validation_loss"] as? Double }, try XCTUnwrap(training["validation_losses"] as? [Double]))
        XCTAssertEqual(trained["kept_epoch"] as? Int, training["kept_epoch"] as? Int)
        let sharpness = try XCTUnwrap((trained["sharpness"] as? [String: Any])?["measurements"] as? [Any])
        XCTAssertEqual(sharpness.count, training["sharpness_measurements"] as? Int)
    }

    func testDemoOutMustBeADirectory() throws {
        let file = directory.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        let result = try CommandLineRunner.run(["demo", "--out", file.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("is a file"), result.standardError)
        let missing = try CommandLineRunner.run(["demo", "--out", "/nonexistent-dir/demo"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.standardError.contains("does not exist"), missing.standardError)
    }

    func testRangeTestReportMarksTheSuggestionsOnALogAxis() throws {
        let out = directory.appendingPathComponent("range.html").path
        let result = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--iterations", "40", "--batch-size", "16",
                                                "--optimizer", "adam", "--start", "1e-5", "--report", out])
        XCTAssertEqual(result.status, 0, result.standardError)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.contains("learning rate (log scale)"))
        for name in ["valley", "slide", "minimum", "steep"] { XCTAssertTrue(html.contains("\(name) "), name) }
        XCTAssertTrue(html.contains("Confidence: "))
        // The default three repeats are three pairs of curves.
        for seed in 0..<3 { XCTAssertTrue(html.contains("seed \(seed) (raw)") && html.contains("seed \(seed) (smoothed)"), "seed \(seed)") }
        XCTAssertTrue(html.contains("3 repeats"))
        let single = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--iterations", "40", "--repeats", "1", "--ceiling",
                                                "--report", out])
        XCTAssertEqual(single.status, 0, single.standardError)
        let singleHTML = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(singleHTML.contains("loss (raw)") && singleHTML.contains("loss (smoothed)"))
        XCTAssertTrue(singleHTML.contains("ceiling "), "the stability ceiling is marked")
        let bad = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--report", directory.path])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.standardError.contains("--report"), bad.standardError)
    }
}
