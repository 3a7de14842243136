import Foundation
import XCTest

/// `descent train --learning-rate auto` and the range test's new options, run as a user runs them.
final class AutomaticLearningRateCommandTests: XCTestCase {
    private func lastLineJSON(_ output: String) throws -> [String: Any] {
        let last = try XCTUnwrap(output.split(separator: "\n").last)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    func testAutoOnIrisChoosesARateSaysWhyAndTrainsWithIt() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "16", "--epochs", "5", "--optimizer", "adam",
                                                "--learning-rate", "auto", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let summary = try lastLineJSON(result.standardOutput)
        let rate = try XCTUnwrap(summary["learning_rate"] as? Double)
        let choice = try XCTUnwrap(summary["automatic_learning_rate"] as? [String: Any])
        XCTAssertEqual(choice["learning_rate"] as? Double, rate)
        XCTAssertEqual(choice["source"] as? String, "range-test")
        let edge = try XCTUnwrap(choice["edge"] as? Double), factor = try XCTUnwrap(choice["factor"] as? Double)
        let valley = try XCTUnwrap(choice["valley"] as? Double)
        XCTAssertEqual(rate, Swift.max(edge * factor, valley), accuracy: 1e-12 * rate)
        // 5 epochs of 4 steps: the shortest budgets sit a factor 0.1 below the edge.
        XCTAssertEqual(factor, 0.1, accuracy: 1e-12)
        XCTAssertTrue((choice["reasons"] as? [String] ?? []).joined().contains("20 steps of 32 examples"))
        // One-cycle peaking at the rate: the first epoch's rate is below it, the peak is never exceeded.
        let rates = try XCTUnwrap(summary["epochs"] as? [[String: Any]]).compactMap { $0["learning_rate"] as? Double }
        XCTAssertTrue(rates.allSatisfy { $0 <= rate * (1 + 1e-9) }, "\(rates) vs \(rate)")
        XCTAssertLessThan(rates[0], rate)
    }

    func testAutoPrintsTheChoiceAndTheGivenScheduleIsScaledToIt() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "8", "--epochs", "2", "--optimizer", "adamw",
                                                "--learning-rate", "auto", "--schedule", "constant"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("Automatic learning rate: "), result.standardOutput)
        XCTAssertTrue(result.standardOutput.contains("budget: 8 steps"), result.standardOutput)
        let line = try XCTUnwrap(result.standardOutput.split(separator: "\n").first { $0.hasPrefix("Automatic learning rate: ") })
        let chosen = try XCTUnwrap(Double(line.dropFirst("Automatic learning rate: ".count).split(separator: " ")[0]))
        XCTAssertTrue(result.standardOutput.contains("schedule constant("), result.standardOutput)
        XCTAssertGreaterThan(chosen, 0)
    }

    func testLearningRateFreeOptimizersKeepTheirOwnDefaults() throws {
        for (optimizer, rate) in [("prodigy", 1.0), ("schedule-free-adamw", 0.0025)] {
            let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "8", "--epochs", "1", "--optimizer", optimizer,
                                                    "--learning-rate", "auto", "--json"])
            XCTAssertEqual(result.status, 0, result.standardError)
            let summary = try lastLineJSON(result.standardOutput)
            XCTAssertEqual(summary["learning_rate"] as? Double, rate, optimizer)
            let choice = try XCTUnwrap(summary["automatic_learning_rate"] as? [String: Any])
            XCTAssertEqual(choice["source"] as? String, "optimizer-default")
            XCTAssertTrue((choice["reasons"] as? [String] ?? []).joined().contains("sets its own step size"))
        }
    }

    func testAutoFallsBackWithAMessageWhenTheSweepCannotRun() throws {
        // Ten rows: fewer than two batches of 32, and fewer than the 16 rows a sweep needs.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiny_\(UUID().uuidString).csv")
        let rows = (0..<12).map { "\(Double($0) / 10),\(Double($0 % 3)),\($0 % 2)" }
        try (["a,b,label"] + rows).joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try CommandLineRunner.run(["train", "--csv", url.path, "--hidden", "4", "--epochs", "1", "--optimizer", "adam",
                                                "--learning-rate", "auto", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("too few batches"), result.standardError)
        XCTAssertTrue(result.standardError.contains("fell back to 0.001"), result.standardError)
        let summary = try lastLineJSON(result.standardOutput)
        XCTAssertEqual(summary["learning_rate"] as? Double, 0.001)
        XCTAssertEqual((summary["automatic_learning_rate"] as? [String: Any])?["source"] as? String, "fallback")
    }

    func testABadLearningRateIsAUsageError() throws {
        for value in ["automatic", "0", "-1", "nan", "inf"] {
            let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--learning-rate", value])
            XCTAssertEqual(result.status, 2, "\(value): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("--learning-rate"), result.standardError)
        }
        let fixed = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "4", "--epochs", "1", "--learning-rate", "0.02", "--json"])
        XCTAssertEqual(fixed.status, 0, fixed.standardError)
        XCTAssertEqual(try lastLineJSON(fixed.standardOutput)["learning_rate"] as? Double, 0.02)
    }

    func testRangeTestRunsEveryOptimizerTrainOffers() throws {
        for optimizer in ["sgd", "adam", "adamw", "rmsprop", "schedule-free-adamw", "prodigy"] {
            let result = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--hidden", "8", "--optimizer", optimizer,
                                                    "--iterations", "30", "--repeats", "1", "--json"])
            XCTAssertEqual(result.status, 0, "\(optimizer): \(result.standardError)")
            let summary = try lastLineJSON(result.standardOutput)
            XCTAssertEqual(summary["repeats"] as? Int, 1, optimizer)
            XCTAssertFalse(try XCTUnwrap(summary["lrs"] as? [Any]).isEmpty, optimizer)
        }
    }

    func testRepeatsReportMediansAndSpreadAndTheCeilingItsEigenvalue() throws {
        let result = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--hidden", "8", "--optimizer", "sgd",
                                                "--iterations", "40", "--repeats", "3", "--ceiling", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let summary = try lastLineJSON(result.standardOutput)
        XCTAssertEqual(summary["repeats"] as? Int, 3)
        let spreads = try XCTUnwrap(summary["spread_decades"] as? [String: Double])
        XCTAssertEqual(Set(spreads.keys), ["valley", "slide", "minimum", "steep"])
        XCTAssertTrue(spreads.values.allSatisfy { $0 >= 0 })
        let ceiling = try XCTUnwrap(summary["ceiling"] as? [String: Any])
        let lambda = try XCTUnwrap(ceiling["lambda_max"] as? Double)
        XCTAssertGreaterThan(lambda, 0)
        XCTAssertEqual(try XCTUnwrap(ceiling["learning_rate"] as? Double), 2 / lambda, accuracy: 1e-12 / lambda)
        let text = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--hidden", "8", "--iterations", "40", "--ceiling"])
        XCTAssertTrue(text.standardOutput.contains("Stability ceiling, measured at the start: λmax"), text.standardOutput)
        XCTAssertTrue(text.standardOutput.contains("median of 3 runs"), text.standardOutput)
    }

    func testZeroRepeatsIsAUsageError() throws {
        let result = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--repeats", "0"])
        XCTAssertEqual(result.status, 2, result.standardError)
        XCTAssertTrue(result.standardError.contains("--repeats"), result.standardError)
    }

    /// Issue #12: a sweep over which the loss cannot move is low confidence and names no rate.
    func testASweepOverRatesTooSmallToMoveTheWeightsSuggestsNothing() throws {
        let result = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--start", "1e-45", "--end", "1e-44",
                                                "--repeats", "1", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let summary = try lastLineJSON(result.standardOutput)
        XCTAssertEqual(summary["confidence"] as? String, "low")
        XCTAssertEqual(summary["flat"] as? Bool, true)
        XCTAssertTrue(summary["suggestions"] is NSNull)
        XCTAssertTrue((summary["reasons"] as? [String])?.first?.contains("did not move") ?? false)
    }
}
