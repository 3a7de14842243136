import Foundation
import XCTest

/// `descent train --report FILE.html` end to end.
final class TrainReportTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-train-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    func testWritesAReportWithThreeCharts() throws {
        let path = try temporaryDirectory().appendingPathComponent("run.html").path
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "5", "--learning-rate", "3e-3", "--report", path])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("Wrote the report to \(path)"))
        let html = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 3)
        for text in ["Training loss per step", "Loss per epoch", "Validation accuracy per epoch", "learning rate (right axis)",
                     "<th scope=\"row\">Data set</th>", "<th scope=\"row\">Best epoch</th>", "<th scope=\"row\">Schedule</th>",
                     "best epoch</text>", "<h2>Diagnosis</h2>"] {
            XCTAssertTrue(html.contains(text), text)
        }
        XCTAssertFalse(html.contains("<script"))
        // One row per epoch in the epoch table.
        XCTAssertEqual(html.components(separatedBy: "<tr><td class=\"num\">").count - 1, 5)
    }

    func testEarlyStopIsMarked() throws {
        let path = try temporaryDirectory().appendingPathComponent("stop.html").path
        // A large rate with patience 1: validation loss soon fails to improve for one epoch.
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "60", "--patience", "1",
                                                "--learning-rate", "0.3", "--report", path, "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        if html.contains("<th scope=\"row\">Early stop</th>") {
            XCTAssertTrue(html.contains("early stop</text>"))
            XCTAssertTrue(html.contains("stopped early after epoch"))
        } else {
            XCTFail("expected the run to stop early with --patience 1")
        }
    }

    func testAFailedRunStillWritesItsReport() throws {
        let path = try temporaryDirectory().appendingPathComponent("failed.html").path
        // SGD at rate 10¹² on iris diverges even at the guard's floor (10⁻⁴ of the rate, still 10⁸).
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "15", "--optimizer", "sgd",
                                                "--learning-rate", "1e12", "--report", path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("wrote the report of the failed run to \(path)"), result.standardError)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(html.contains("<h2>Training failed</h2>"))
        XCTAssertTrue(html.contains("diverged"))
        XCTAssertTrue(html.contains(">rollback ×"), "the repeated rollbacks are one labelled marker")
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 3)
    }

    func testUnwritablePathIsAnErrorNamingIt() throws {
        let path = try temporaryDirectory().appendingPathComponent("missing/run.html").path
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--report", path])
        XCTAssertEqual(result.status, 2, "a bad output path is a usage error, as for --save-weights")
        XCTAssertTrue(result.standardError.contains("cannot write '\(path)'"), result.standardError)
        XCTAssertFalse(result.standardOutput.contains("epoch"), "should fail before training")
    }
}
