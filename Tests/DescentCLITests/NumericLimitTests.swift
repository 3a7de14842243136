import Foundation
import XCTest

/// Every number from a user is range-checked, from a flag or a --config file alike (a usage error naming the flag and
/// its range, status 2); a weight decay that is large but allowed, and makes a run at an ordinary rate diverge, is what
/// the advice names (was: `--weight-decay 1e308` trained, diverged and advised "lower the learning rate").
final class NumericLimitTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-limits-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func lastObject(_ output: String) throws -> [String: Any] {
        let line = try XCTUnwrap(output.split(separator: "\n").last, output)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
    }

    private func assertUsage(_ arguments: [String], _ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try CommandLineRunner.run(arguments)
        XCTAssertEqual(result.status, 2, result.standardError, file: file, line: line)
        XCTAssertTrue(result.standardError.contains(text), result.standardError, file: file, line: line)
    }

    func testHugeAndNonFiniteSettingsAreUsageErrorsNamingTheFlagAndItsRange() throws {
        let train = ["train", "--dataset", "iris", "--epochs", "1"]
        for value in ["1e308", "inf", "nan", "1001", "-0.5"] {
            try assertUsage(train + ["--weight-decay", value], "--weight-decay must be from 0 to 1000")
        }
        try assertUsage(train + ["--patience", "9223372036854775807"], "--patience must be from 1 to 1000000 epochs")
        try assertUsage(train + ["--reduce-on-plateau", "--plateau-patience", "9223372036854775807"],
                        "--plateau-patience must be from 0 to 1000000 epochs")
        try assertUsage(train + ["--track-sharpness", "9223372036854775807"], "--track-sharpness must be from 1 to 10^15")
        try assertUsage(train + ["--track-noise-scale", "9223372036854775807"], "--track-noise-scale must be from 1 to 10^15 steps")
        let tune = ["tune", "--dataset", "iris", "--search", "lr=loguniform(1e-3,1e-1)", "--trials", "1", "--epochs", "1",
                    "--storage", "sqlite:\(directory)/study.sqlite"]
        try assertUsage(tune + ["--weight-decay", "1e308"], "--weight-decay must be from 0 to 1000, got 1e+308")
        try assertUsage(tune + ["--pruner", "median", "--warmup-epochs", "9223372036854775807"], "--warmup-epochs must be in 0…1000000")
        try assertUsage(tune + ["--startup-trials", "9223372036854775807"], "--startup-trials must be in 0…1000000")
        try assertUsage(["schedule", "show", "cosine", "--steps", "10", "--width", "100000"], "--width must be from 2 to 1000 characters")
        try assertUsage(["schedule", "show", "cosine", "--steps", "10", "--height", "0"], "--height must be from 1 to 1000 lines")
    }

    func testTheSameLimitsApplyToConfigurationFilesNamingTheField() throws {
        for (name, text) in [("run.toml", "dataset = \"iris\"\nepochs = 1\nweight_decay = 1e308\n"),
                             ("run.yaml", "dataset: iris\nepochs: 1\nweight_decay: 1.0e+308\n"),
                             ("run.json", #"{"dataset": "iris", "epochs": 1, "weight_decay": 1e308}"#)] {
            let file = directory + "/" + name
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let result = try CommandLineRunner.run(["train", "--config", file])
            XCTAssertEqual(result.status, 2, "\(name): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("--weight-decay must be from 0 to 1000"), "\(name): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("note: set by the --config file: --weight-decay=1e+308"), "\(name): \(result.standardError)")
        }
        let patience = directory + "/patience.toml"
        try "dataset = \"iris\"\npatience = 2000000\n".write(toFile: patience, atomically: true, encoding: .utf8)
        let result = try CommandLineRunner.run(["train", "--config", patience, "--json"])
        XCTAssertEqual(result.status, 2, result.standardError)
        XCTAssertTrue(result.standardError.contains("--patience must be from 1 to 1000000 epochs, got 2000000"), result.standardError)
        XCTAssertEqual(try lastObject(result.standardOutput)["status"] as? String, "failed")
    }

    func testALargeWeightDecayAtAnOrdinaryRateIsWhatTheAdviceNames() throws {
        // SGD at 0.01 with momentum 0.9: the decay alone is stable while 0.01 × λ < 2(1 + 0.9), λ < 380; 500 is past it.
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "3", "--optimizer", "sgd", "--learning-rate", "0.01",
                                                "--weight-decay", "500", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let diagnosis = try XCTUnwrap(try lastObject(result.standardOutput)["diagnosis"] as? [String: Any])
        XCTAssertEqual(diagnosis["advice_kind"] as? String, "lower_weight_decay", "\(diagnosis)")
        XCTAssertEqual(diagnosis["advice_weight_decay"] as? Double, 30, "a tenth of 380, one significant digit")
        let advice = try XCTUnwrap(diagnosis["advice"] as? String)
        XCTAssertTrue(advice.contains("lower --weight-decay from 500 to 30 or less"), advice)
        XCTAssertTrue(advice.contains("--weight-decay 30"), advice)
        XCTAssertFalse(advice.contains("lower the learning rate"), advice)
        XCTAssertNil(diagnosis["advice_learning_rate"] as? Double)

        // The same decay at a rate far above SGD's usual span (1e-3 to 1): the rate is what to lower.
        let unusual = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "3", "--optimizer", "sgd", "--learning-rate", "30",
                                                 "--weight-decay", "500", "--json"])
        let other = try XCTUnwrap(try lastObject(unusual.standardOutput)["diagnosis"] as? [String: Any])
        XCTAssertNotEqual(other["advice_kind"] as? String, "lower_weight_decay", "\(other)")
    }
}
