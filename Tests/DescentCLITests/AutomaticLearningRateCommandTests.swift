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
        // 30 validation rows: the range test's rate is the first look, a race on validation loss decides.
        XCTAssertEqual(choice["source"] as? String, "validation-race")
        let edge = try XCTUnwrap(choice["edge"] as? Double), factor = try XCTUnwrap(choice["factor"] as? Double)
        let valley = try XCTUnwrap(choice["valley"] as? Double)
        let first = try XCTUnwrap(choice["range_test_rate"] as? Double)
        XCTAssertEqual(first, Swift.max(edge * factor, valley), accuracy: 1e-12 * first)
        // The kept candidate is the one with the lowest validation loss among those that reached the last rung.
        let candidates = try XCTUnwrap(choice["candidates"] as? [[String: Any]])
        // Half-decade steps from a decade below the first look up to the edge, four to six of them.
        XCTAssertTrue((4...6).contains(candidates.count), "\(candidates.count)")
        let candidateRates = candidates.compactMap { $0["learning_rate"] as? Double }
        for (higher, lower) in zip(candidateRates, candidateRates.dropFirst()) {
            XCTAssertEqual(higher / lower, Foundation.pow(10, 0.5), accuracy: 1e-9)
        }
        XCTAssertLessThanOrEqual(try XCTUnwrap(candidateRates.first), edge * (1 + 1e-9))
        XCTAssertTrue(candidateRates.contains { abs($0 - first) <= 1e-12 * first })
        XCTAssertLessThanOrEqual(try XCTUnwrap(candidateRates.last), first / 10 * (1 + 1e-9))
        let kept = try XCTUnwrap(candidates.first { $0["kept"] as? Bool == true })
        XCTAssertEqual(kept["learning_rate"] as? Double, rate)
        let finalists = candidates.filter { ($0["epochs_trained"] as? Int) == (kept["epochs_trained"] as? Int) }
        let lowest = finalists.compactMap { $0["best_validation_loss"] as? Double }.min()
        XCTAssertEqual(kept["best_validation_loss"] as? Double, lowest)
        // It keeps its best epoch: the kept validation loss is the lowest of the run's epochs.
        let losses = try XCTUnwrap(summary["epochs"] as? [[String: Any]]).compactMap { $0["validation_loss"] as? Double }
        XCTAssertEqual(try XCTUnwrap(summary["kept_validation_loss"] as? Double), try XCTUnwrap(losses.min()))
        XCTAssertEqual(summary["trivial_validation_loss"] as? Double ?? 0, Foundation.log(3), accuracy: 0.2)
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

    func testAutoIsTheDefaultOnlyWhenNoRateIsGivenAndSaysSo() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "8", "--epochs", "2", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let summary = try lastLineJSON(result.standardOutput)
        let choice = try XCTUnwrap(summary["automatic_learning_rate"] as? [String: Any])
        XCTAssertEqual(choice["source"] as? String, "validation-race")
        XCTAssertEqual(choice["learning_rate"] as? Double, summary["learning_rate"] as? Double)
        XCTAssertTrue((choice["reasons"] as? [String])?.first?.hasPrefix("no --learning-rate was given, so auto chose it") == true)
        // A rate given is exactly that rate: no automatic choice, a constant schedule at 3e-3, the last epoch's weights.
        let given = try lastLineJSON(try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "8", "--epochs", "2",
                                                                "--learning-rate", "3e-3", "--json"]).standardOutput)
        XCTAssertEqual(given["learning_rate"] as? Double, 3e-3)
        XCTAssertTrue(given["automatic_learning_rate"] is NSNull)
        let rates = try XCTUnwrap(given["epochs"] as? [[String: Any]]).compactMap { $0["learning_rate"] as? Double }
        XCTAssertEqual(rates, [3e-3, 3e-3])
        XCTAssertEqual(given["kept_epoch"] as? Int, 2)
        // Said in words too.
        let text = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "8", "--epochs", "2"])
        XCTAssertTrue(text.standardOutput.contains("no --learning-rate was given, so auto chose it"), text.standardOutput)
    }

    func testAutoWithNoValidationDataIsAUsageErrorSayingWhy() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "2", "--learning-rate", "auto",
                                                "--validation-fraction", "0"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("--learning-rate auto decides on validation loss"), result.standardError)
        XCTAssertTrue(result.standardError.contains("--validation-fraction 0"), result.standardError)
        XCTAssertTrue(result.standardError.contains("without --learning-rate, auto falls back to the range-test rule"), result.standardError)
    }

    /// No --learning-rate and --validation-fraction 0: nothing to race on, so the range-test rule decides, named in the
    /// words and in the JSON's reasons; the rate is the rule's max(edge × factor, valley) and the run trains on every row.
    func testTheDefaultRateWithoutValidationDataFallsBackToTheRangeTestRuleSaid() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "8", "--epochs", "3", "--optimizer", "adam",
                                                "--validation-fraction", "0", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let summary = try lastLineJSON(result.standardOutput)
        let choice = try XCTUnwrap(summary["automatic_learning_rate"] as? [String: Any])
        XCTAssertEqual(choice["source"] as? String, "range-test")
        XCTAssertTrue(choice["candidates"] is NSNull)
        let reasons = choice["reasons"] as? [String] ?? []
        XCTAssertTrue(reasons.contains { $0.contains("--validation-fraction 0 leaves no validation data") && $0.contains("range-test rule") },
                      "\(reasons)")
        let (edge, factor, valley) = (try XCTUnwrap(choice["edge"] as? Double), try XCTUnwrap(choice["factor"] as? Double),
                                      try XCTUnwrap(choice["valley"] as? Double))
        XCTAssertEqual(try XCTUnwrap(summary["learning_rate"] as? Double), Swift.max(edge * factor, valley), accuracy: 1e-9 * edge)
        XCTAssertTrue(summary["trivial_validation_loss"] is NSNull)
        let epochs = try XCTUnwrap(summary["epochs"] as? [[String: Any]])
        XCTAssertEqual(epochs.count, 3)
        XCTAssertTrue(epochs.allSatisfy { $0["validation_loss"] == nil || $0["validation_loss"] is NSNull }, "\(epochs)")
        // In words: the rule named, all 150 rows trained on, no validation numbers.
        let text = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "8", "--epochs", "3", "--optimizer", "adam",
                                              "--validation-fraction", "0"])
        XCTAssertEqual(text.status, 0, text.standardError)
        XCTAssertTrue(text.standardOutput.contains("(range-test)"), text.standardOutput)
        XCTAssertTrue(text.standardOutput.contains("--validation-fraction 0 leaves no validation data"), text.standardOutput)
        XCTAssertTrue(text.standardOutput.contains("150 training and 0 validation examples"), text.standardOutput)
        XCTAssertFalse(text.standardOutput.contains("nan"), text.standardOutput)
        // A fixed rate trains without validation too; --patience, which stops on validation loss, is refused naming both flags.
        XCTAssertEqual(try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "8", "--epochs", "2", "--learning-rate", "0.01",
                                                  "--validation-fraction", "0"]).status, 0)
        let patience = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "2", "--learning-rate", "0.01",
                                                  "--validation-fraction", "0", "--patience", "3"])
        XCTAssertEqual(patience.status, 2)
        XCTAssertTrue(patience.standardError.contains("--patience 3") && patience.standardError.contains("--validation-fraction 0"),
                      patience.standardError)
    }

    func testThePatienceGivenWinsAndIsSaid() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "8", "--epochs", "6", "--optimizer", "adam",
                                                "--learning-rate", "auto", "--patience", "2", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let choice = try XCTUnwrap(try lastLineJSON(result.standardOutput)["automatic_learning_rate"] as? [String: Any])
        XCTAssertTrue((choice["reasons"] as? [String] ?? []).contains { $0.contains("the patience given (2 epochs) wins") },
                      "\(choice["reasons"] ?? "")")
    }

    func testTooFewValidationRowsFallBackToTheRangeTestRuleNamed() throws {
        // iris at a validation fraction of 0.1: 15 validation rows, fewer than 20.
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "8", "--epochs", "3", "--optimizer", "adam",
                                                "--learning-rate", "auto", "--validation-fraction", "0.1", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let choice = try XCTUnwrap(try lastLineJSON(result.standardOutput)["automatic_learning_rate"] as? [String: Any])
        XCTAssertEqual(choice["source"] as? String, "range-test")
        XCTAssertTrue((choice["reasons"] as? [String] ?? []).contains { $0.contains("15 rows, fewer than 20") && $0.contains("range-test rule") },
                      "\(choice["reasons"] ?? "")")
    }

    func testTheReportShowsTheCandidatesTable() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auto-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("run.html").path
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "8", "--epochs", "4", "--optimizer", "adam",
                                                "--learning-rate", "auto", "--report", path])
        XCTAssertEqual(result.status, 0, result.standardError)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(html.contains("Automatic learning rate"))
        XCTAssertTrue(html.contains("candidate rate"))
        XCTAssertTrue(html.contains("dropped after epoch 1"))
    }
}
