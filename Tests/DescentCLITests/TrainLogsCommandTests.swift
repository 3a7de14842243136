import Foundation
import XCTest

/// `descent train --log/--tensorboard/--config` and `descent diagnose`, end to end as a user runs them.
final class TrainLogsCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("train-logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func lastJSON(_ output: String) throws -> [String: Any] {
        let last = try XCTUnwrap(output.split(separator: "\n").last)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    func testTheLogHasEveryStepAndEpochAndDiagnoseAgreesWithTrain() throws {
        let log = path("run.jsonl")
        let train = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "3", "--learning-rate", "3e-3", "--log", log,
                                               "--schedule", "onecycle", "--optimizer", "sgd", "--json"])
        XCTAssertEqual(train.status, 0, train.standardError)
        XCTAssertFalse(train.standardError.contains("\r"), "no progress line when the output is not a terminal")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let kinds = lines.map { $0["kind"] as? String ?? "" }
        XCTAssertEqual(kinds.first, "run")
        XCTAssertEqual(kinds.filter { $0 == "epoch" }.count, 3)
        XCTAssertEqual(kinds.filter { $0 == "step" }.count, 3 * 4, "120 training rows in minibatches of 32")
        let step = try XCTUnwrap(lines.first { $0["kind"] as? String == "step" })
        XCTAssertEqual(step["momentum"] as? Double, 0.95, "one-cycle starts SGD's momentum at its maximum")
        XCTAssertNotNil(step["seconds"] as? Double)
        XCTAssertGreaterThan(try XCTUnwrap(step["gradient_norm"] as? Double), 0)
        let epochs = try XCTUnwrap(lastJSON(train.standardOutput)["epochs"] as? [[String: Any]])
        let logged = lines.filter { $0["kind"] as? String == "epoch" }
        XCTAssertEqual(logged.map { $0["training_loss"] as? Double }, epochs.map { $0["training_loss"] as? Double })
        XCTAssertEqual(logged.map { $0["validation_metric"] as? Double }, epochs.map { $0["validation_accuracy"] as? Double })

        let diagnose = try CommandLineRunner.run(["diagnose", log, "--json"])
        XCTAssertEqual(diagnose.status, 0, diagnose.standardError)
        let read = try lastJSON(diagnose.standardOutput)
        XCTAssertEqual(read["epochs"] as? Int, 3)
        XCTAssertEqual(read["steps"] as? Int, 12)
        XCTAssertEqual(read["ended"] as? String, "completed")
        XCTAssertEqual(read["diagnosis"] as? NSDictionary, try lastJSON(train.standardOutput)["diagnosis"] as? NSDictionary)
        let text = try CommandLineRunner.run(["diagnose", log])
        XCTAssertTrue(text.standardOutput.hasPrefix("Read \(log): 3 epochs, 12 steps, 0 rollbacks; ended completed\ntraining loss per epoch\n"),
                      text.standardOutput)
        XCTAssertTrue(text.standardOutput.contains("validation loss per epoch\n"), text.standardOutput)
        XCTAssertTrue(text.standardOutput.contains("\nDiagnosis: "), text.standardOutput)
    }

    func testRollbacksAndADivergedEndAreLogged() throws {
        // SGD at rate 5: the guard rolls back and recovers.
        let log = path("rollbacks.jsonl")
        let train = try CommandLineRunner.run(["train", "--dataset", "digits", "--epochs", "2", "--optimizer", "sgd",
                                               "--learning-rate", "5", "--log", log, "--tensorboard", path("tb"), "--json"])
        XCTAssertEqual(train.status, 0, train.standardError)
        let rollbacks = try XCTUnwrap(lastJSON(train.standardOutput)["rollbacks"] as? Int)
        XCTAssertGreaterThan(rollbacks, 0)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertEqual(text.components(separatedBy: "\"kind\":\"rollback\"").count - 1, rollbacks)
        let diagnose = try CommandLineRunner.run(["diagnose", log])
        XCTAssertEqual(diagnose.status, 0, diagnose.standardError)
        XCTAssertTrue(diagnose.standardOutput.hasPrefix("Read \(log): 2 epochs, ") && diagnose.standardOutput.contains(" steps, \(rollbacks) rollbacks; ended completed\n"),
                      diagnose.standardOutput)
        let files = try FileManager.default.contentsOfDirectory(atPath: path("tb"))
        XCTAssertEqual(files.count, 1)
        XCTAssertTrue(files[0].hasPrefix("events.out.tfevents."), files[0])

        // Without the guard, SGD at rate 40 diverges: the log ends with the divergence.
        let diverged = path("diverged.jsonl")
        let unguarded = try CommandLineRunner.run(["train", "--dataset", "digits", "--epochs", "2", "--optimizer", "sgd",
                                                   "--learning-rate", "40", "--no-guard", "--log", diverged])
        XCTAssertEqual(unguarded.status, 1)
        let last = try XCTUnwrap(String(contentsOfFile: diverged, encoding: .utf8).split(separator: "\n").last)
        let lines = try String(contentsOfFile: diverged, encoding: .utf8).split(separator: "\n")
        let divergedLine = try XCTUnwrap(lines.dropLast().last)
        XCTAssertTrue(divergedLine.contains("\"kind\":\"diverged\"") && divergedLine.contains("\"loss\":null"), String(divergedLine))
        XCTAssertTrue(last.contains(#""kind":"end""#) && last.contains(#""status":"diverged""#), String(last))
        let verdict = try CommandLineRunner.run(["diagnose", diverged])
        XCTAssertTrue(verdict.standardOutput.contains("Diagnosis: diverged (high confidence)"), verdict.standardOutput)
    }

    func testAResumedRunAppendsToItsLogAndReadsAsTheRunLeftAlone() throws {
        func stepsAndEpochs(_ file: String) throws -> [String] {
            try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").compactMap { line in
                let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                switch object["kind"] as? String {
                case "step": return "step \(object["step"]!) epoch \(object["epoch"]!) loss \(object["loss"]!)"
                case "epoch": return "epoch \(object["epoch"]!) loss \(object["training_loss"]!) \(object["validation_loss"]!)"
                default: return nil
                }
            }
        }
        let straight = path("straight.jsonl"), resumed = path("resumed.jsonl"), checkpoints = path("checkpoints")
        let common = ["train", "--dataset", "iris", "--learning-rate", "3e-3", "--json"]
        XCTAssertEqual(try CommandLineRunner.run(common + ["--epochs", "4", "--log", straight]).status, 0)
        XCTAssertEqual(try CommandLineRunner.run(common + ["--epochs", "2", "--log", resumed, "--checkpoint-dir", checkpoints]).status, 0)
        let second = try CommandLineRunner.run(common + ["--epochs", "4", "--log", resumed, "--checkpoint-dir", checkpoints, "--resume"])
        XCTAssertEqual(second.status, 0, second.standardError)
        XCTAssertEqual(try stepsAndEpochs(resumed), try stepsAndEpochs(straight), "the same steps and epochs, bit for bit")
        let header = try XCTUnwrap(String(contentsOfFile: resumed, encoding: .utf8).split(separator: "\n").first { $0.contains("\"resumed_from_epoch\":2") })
        XCTAssertTrue(header.contains("\"resumed_at_step\":8"), String(header))
        let read = try lastJSON(try CommandLineRunner.run(["diagnose", resumed, "--json"]).standardOutput)
        XCTAssertEqual(read["resumptions"] as? Int, 1)
        XCTAssertEqual(read["steps"] as? Int, 16)
    }

    func testAMalformedLogIsAnErrorNamingTheLine() throws {
        let log = path("bad.jsonl")
        try Data("{\"kind\":\"run\",\"format\":1}\n{\"kind\":\"step\",\"step\":1}\n".utf8).write(to: URL(fileURLWithPath: log))
        let result = try CommandLineRunner.run(["diagnose", log])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.standardError, "error: \(log):2: a \"step\" line needs \"loss\"\n")
        let missing = try CommandLineRunner.run(["diagnose", path("missing.jsonl")])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.standardError.contains("no such file"), missing.standardError)
    }

    func testALogOfHugeLossesIsReported() throws {
        // Was: `descent report` trapped ("Array index is out of range" in the log axis's ticks) on a loss of 1e308.
        let log = path("huge.jsonl")
        let lines = [#"{"kind":"step","epoch":1,"step":1,"learning_rate":0.01,"loss":1e308}"#,
                     #"{"kind":"step","epoch":1,"step":2,"learning_rate":0.01,"loss":1e-320}"#,
                     #"{"kind":"epoch","epoch":1,"step":2,"learning_rate":0.01,"training_loss":1e308,"validation_loss":1e308}"#]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: log))
        let result = try CommandLineRunner.run(["report", log, "--out", path("huge.html"), "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(try lastJSON(result.standardOutput)["out"] as? String, path("huge.html"))
        XCTAssertFalse(try String(contentsOfFile: path("huge.html"), encoding: .utf8).contains("inf"))
    }

    func testAConfigFileSetsTheFlagsAndTheCommandLineWins() throws {
        let config = path("run.toml")
        try Data("dataset = \"iris\"\nepochs = 6\nlearning_rate = 0.01\nhidden = [8]\n".utf8)
            .write(to: URL(fileURLWithPath: config))
        let result = try CommandLineRunner.run(["train", "--config", config, "--epochs", "2", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let summary = try lastJSON(result.standardOutput)
        let epochs = try XCTUnwrap(summary["epochs"] as? [[String: Any]])
        XCTAssertEqual(epochs.count, 2, "--epochs on the command line wins over the file's 6")
        XCTAssertEqual(epochs.first?["learning_rate"] as? Double, 0.01, "the rate comes from the file")

        let yaml = path("run.yaml")
        try Data("dataset: iris\nepochs: 2\nlearning-rate: 1e-2\n".utf8).write(to: URL(fileURLWithPath: yaml))
        let fromYAML = try CommandLineRunner.run(["train", "--config", yaml, "--json"])
        XCTAssertEqual(fromYAML.status, 0, fromYAML.standardError)
        XCTAssertEqual(try XCTUnwrap(lastJSON(fromYAML.standardOutput)["epochs"] as? [[String: Any]]).count, 2)
    }

    func testABadConfigIsAUsageErrorNamingTheFileAndKey() throws {
        let config = path("bad.toml")
        try Data("dataset = \"iris\"\nepoch = 3\n".utf8).write(to: URL(fileURLWithPath: config))
        let unknown = try CommandLineRunner.run(["train", "--config", config])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.standardError, "error: --config '\(config)': unknown key 'epoch'; did you mean 'epochs'? "
            + "(the keys are the fields of a run: descent train's long flags, e.g. learning_rate)\n")
        try Data("dataset = \"iris\"\nepochs = \"three\"\n".utf8).write(to: URL(fileURLWithPath: config))
        let mistyped = try CommandLineRunner.run(["train", "--config", config])
        XCTAssertEqual(mistyped.status, 2)
        XCTAssertTrue(mistyped.standardError.contains("'epochs' must be a whole number, got 'three'"), mistyped.standardError)
        let missing = try CommandLineRunner.run(["train", "--config", path("none.toml")])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.standardError.contains("none.toml': no such file"), missing.standardError)
        // A value the file gives is range-checked like a typed flag.
        try Data("dataset = \"iris\"\nepochs = 0\n".utf8).write(to: URL(fileURLWithPath: config))
        let zero = try CommandLineRunner.run(["train", "--config", config])
        XCTAssertEqual(zero.status, 2)
        XCTAssertTrue(zero.standardError.contains("--epochs must be positive"), zero.standardError)
        XCTAssertTrue(zero.standardError.hasSuffix("note: set by the --config file: --epochs=0\n"), zero.standardError)
    }

    func testLogAndTensorBoardPathsAreCheckedBeforeTraining() throws {
        let file = path("file.txt")
        try Data("keep".utf8).write(to: URL(fileURLWithPath: file))
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--tensorboard", file])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("--tensorboard: '\(file)' is a file; give a directory"), result.standardError)
        let directoryLog = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--log", directory.path])
        XCTAssertEqual(directoryLog.status, 2)
        XCTAssertTrue(directoryLog.standardError.contains("--log: cannot write '\(directory.path)': it is a directory"), directoryLog.standardError)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "keep")
    }
}
