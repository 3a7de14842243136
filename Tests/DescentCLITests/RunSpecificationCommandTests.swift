import Descent
import Foundation
import XCTest

/// One run, described once: `--save-config` and `--config` replay a run byte for byte, a resume compares
/// runs field by field, a finished run resumed is the same run, and a tune trial is the `train` run it prints.
final class RunSpecificationCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func lastJSON(_ output: String) throws -> [String: Any] {
        let line = try XCTUnwrap(output.split(separator: "\n").last, output)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
    }

    private func bytes(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path(name))) }

    /// train → --save-config → train --config gives the same weights byte for byte, in each format; a flag on the
    /// command line still wins over the file; an automatic rate is written as auto with the chosen rate beside it.
    func testSaveConfigThenConfigReplaysTheRunByteForByte() throws {
        let run = ["train", "--dataset", "iris", "--hidden", "8,4", "--epochs", "3", "--batch-size", "16", "--optimizer", "sgd",
                   "--learning-rate", "auto", "--momentum", "0.8", "--weight-decay", "1e-4", "--seed", "3", "--reduce-on-plateau",
                   "--plateau-patience", "1", "--json"]
        let first = try CommandLineRunner.run(run + ["--save-weights", path("first.safetensors"), "--save-config", path("run.toml")])
        XCTAssertEqual(first.status, 0, first.standardError)
        let reported = try XCTUnwrap(try lastJSON(first.standardOutput)["learning_rate"] as? Double)
        let toml = try String(contentsOfFile: path("run.toml"), encoding: .utf8)
        XCTAssertTrue(toml.contains("learning_rate = \"auto\"\n"), toml)
        let chosenLine = try XCTUnwrap(toml.split(separator: "\n").first { $0.hasPrefix("chosen_learning_rate = ") }, toml)
        let chosen = try XCTUnwrap(Double(chosenLine.dropFirst("chosen_learning_rate = ".count)))
        XCTAssertEqual(chosen, reported, accuracy: reported * 1e-12, "the rate auto chose, beside auto")
        XCTAssertTrue(toml.contains("hidden = [8, 4]\n") && toml.contains("seed = 3\n") && toml.contains("reduce_on_plateau = true\n"), toml)

        let replay = try CommandLineRunner.run(["train", "--config", path("run.toml"), "--save-weights", path("replay.safetensors"),
                                                "--save-config", path("run.json"), "--json"])
        XCTAssertEqual(replay.status, 0, replay.standardError)
        XCTAssertEqual(try bytes("replay.safetensors"), try bytes("first.safetensors"))
        // The JSON and YAML forms replay the same run.
        let fromJSON = try CommandLineRunner.run(["train", "--config", path("run.json"), "--save-weights", path("json.safetensors"),
                                                  "--save-config", path("run.yaml")])
        XCTAssertEqual(fromJSON.status, 0, fromJSON.standardError)
        XCTAssertEqual(try bytes("json.safetensors"), try bytes("first.safetensors"))
        let fromYAML = try CommandLineRunner.run(["train", "--config", path("run.yaml"), "--save-weights", path("yaml.safetensors")])
        XCTAssertEqual(fromYAML.status, 0, fromYAML.standardError)
        XCTAssertEqual(try bytes("yaml.safetensors"), try bytes("first.safetensors"))

        // The command line wins: another seed is another run.
        let other = try CommandLineRunner.run(["train", "--config", path("run.toml"), "--seed", "4", "--save-weights", path("other.safetensors")])
        XCTAssertEqual(other.status, 0, other.standardError)
        XCTAssertNotEqual(try bytes("other.safetensors"), try bytes("first.safetensors"))

        // The model file says how it was made (format version 2), without where its outputs went.
        let file = try ModelFile.load(path: path("first.safetensors"))
        let card = try XCTUnwrap(file.card)
        XCTAssertEqual(card.formatVersion, 2)
        XCTAssertEqual(card.specification?.hidden, [8, 4])
        XCTAssertEqual(card.specification?.learningRate, .automatic(chosen: chosen))
        XCTAssertNil(card.specification?.saveWeights)
        let inspect = try CommandLineRunner.run(["inspect", path("first.safetensors")])
        XCTAssertEqual(inspect.status, 0, inspect.standardError)
        XCTAssertTrue(inspect.standardOutput.contains("made by: descent train --dataset iris --hidden 8,4 --optimizer sgd --weight-decay 0.0001 --momentum 0.8"),
                      inspect.standardOutput)

        // A linear model (hidden = []) replays too (was: "Missing value for '--hidden'", #23.15).
        let linear = try CommandLineRunner.run(["train", "--dataset", "iris", "--hidden", "", "--epochs", "1",
                                                "--save-weights", path("linear.safetensors"), "--save-config", path("linear.toml")])
        XCTAssertEqual(linear.status, 0, linear.standardError)
        XCTAssertTrue(try String(contentsOfFile: path("linear.toml"), encoding: .utf8).contains("hidden = []\n"))
        let linearReplay = try CommandLineRunner.run(["train", "--config", path("linear.toml"), "--save-weights", path("linear2.safetensors")])
        XCTAssertEqual(linearReplay.status, 0, linearReplay.standardError)
        XCTAssertEqual(try bytes("linear2.safetensors"), try bytes("linear.safetensors"))

        let bad = try CommandLineRunner.run(["train", "--dataset", "iris", "--save-config", path("run.ini")])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.standardError.contains("--save-config"), bad.standardError)
    }

    /// #23.6: a run that stopped early (patience), or completed, resumed is the same run: nothing more happens,
    /// the same weights come out. Was: each resume trained one more epoch and returned another model.
    func testAFinishedRunResumedIsTheSameRun() throws {
        let checkpoints = path("checkpoints")
        let run = ["train", "--dataset", "iris", "--epochs", "60", "--patience", "1", "--learning-rate", "0.3",
                   "--checkpoint-dir", checkpoints, "--json"]
        let first = try CommandLineRunner.run(run + ["--save-weights", path("first.safetensors")])
        XCTAssertEqual(first.status, 0, first.standardError)
        let summary = try lastJSON(first.standardOutput)
        XCTAssertEqual(summary["status"] as? String, "stopped_early")
        let epochs = try XCTUnwrap(summary["epochs_run"] as? Int)
        XCTAssertLessThan(epochs, 60)
        for attempt in 1...2 {
            let resumed = try CommandLineRunner.run(run + ["--resume", "--save-weights", path("resumed\(attempt).safetensors")])
            XCTAssertEqual(resumed.status, 0, resumed.standardError)
            let again = try lastJSON(resumed.standardOutput)
            XCTAssertEqual(again["status"] as? String, "stopped_early")
            XCTAssertEqual(again["epochs_run"] as? Int, epochs, "attempt \(attempt)")
            XCTAssertEqual(try bytes("resumed\(attempt).safetensors"), try bytes("first.safetensors"))
        }

        // A completed run resumed: the same weights; with --epochs above those done it goes on, saying so.
        let complete = path("complete")
        let short = ["train", "--dataset", "iris", "--epochs", "2", "--schedule", "cosine", "--checkpoint-dir", complete, "--json",
                     "--learning-rate", "0.01"]
        XCTAssertEqual(try CommandLineRunner.run(short + ["--save-weights", path("two.safetensors")]).status, 0)
        let same = try CommandLineRunner.run(short + ["--resume", "--save-weights", path("two-again.safetensors")])
        XCTAssertEqual(same.status, 0, same.standardError)
        XCTAssertEqual(try bytes("two-again.safetensors"), try bytes("two.safetensors"))
        XCTAssertEqual(try lastJSON(same.standardOutput)["epochs_run"] as? Int, 2)
        var longer = short
        longer[4] = "4"
        let extended = try CommandLineRunner.run(longer.filter { $0 != "--json" } + ["--resume"])
        XCTAssertEqual(extended.status, 0, extended.standardError)
        XCTAssertTrue(extended.standardOutput.contains("epoch   4/4"), extended.standardOutput)
        XCTAssertTrue(extended.standardOutput.contains("extended to 4") && extended.standardOutput.contains("re-fitted"), extended.standardOutput)
        // Shorter than what is done, or any other field changed: refused naming it.
        var shorter = short
        shorter[4] = "1"
        let refused = try CommandLineRunner.run(shorter + ["--resume"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.standardError.contains("--epochs 1: the run has done 4 epochs"), refused.standardError)
        // A field the run's description does not show is compared in the specification, and named with its flag.
        let otherPatience = try CommandLineRunner.run(longer + ["--resume", "--patience", "2"])
        XCTAssertEqual(otherPatience.status, 1)
        XCTAssertTrue(otherPatience.standardError.contains("patience (--patience) is not set there, 2 here"), otherPatience.standardError)
    }
}

// MARK: - Tune trials are train runs

extension RunSpecificationCommandTests {
    private func storage(_ name: String) -> String { "sqlite:" + path(name + ".sqlite") }

    /// The words of a reproduce line as a shell would split them (single quotes only, as the line writes them).
    private func words(_ line: String) -> [String] {
        var words: [String] = [], current = "", quoted = false, started = false
        for character in line {
            if character == "'" { quoted.toggle(); started = true; continue }
            if character == " " && !quoted {
                if started { words.append(current) }
                current = ""
                started = false
                continue
            }
            current.append(character)
            started = true
        }
        if started { words.append(current) }
        return words
    }

    /// A study's best trial, retrained with the `descent train` line the study prints, gives the same validation loss —
    /// with a searched list of widths, an optimizer and a schedule, which are fields of the run like any other.
    func testTheBestTrialsReproduceLineTrainsTheSameRun() throws {
        let tune = try CommandLineRunner.run(["tune", "--dataset", "iris", "--epochs", "3", "--trials", "3", "--sampler", "random",
                                              "--pruner", "none", "--seed", "2", "--no-standardize", "--validation-fraction", "0.3",
                                              "--search", #"lr=loguniform(1e-3,1e-1); hidden=choice("8","8,4"); optimizer=choice(adam,sgd); schedule=choice(constant,"warmup(3) >> cosine")"#,
                                              "--storage", storage("reproduce"), "--study", "s", "--json"])
        XCTAssertEqual(tune.status, 0, tune.standardError)
        let summary = try lastJSON(tune.standardOutput)
        let best = try XCTUnwrap(summary["best"] as? [String: Any])
        let value = try XCTUnwrap(best["value"] as? Double)
        let line = try XCTUnwrap(summary["command"] as? String)
        XCTAssertTrue(line.contains("--no-standardize") && line.contains("--validation-fraction 0.3") && line.contains("--seed 2"), line)
        let arguments = Array(words(line).dropFirst())
        XCTAssertEqual(arguments.first, "train", line)
        let train = try CommandLineRunner.run(arguments + ["--json"])
        XCTAssertEqual(train.status, 0, train.standardError + line)
        let loss = try XCTUnwrap(try lastJSON(train.standardOutput)["final_validation_loss"] as? Double)
        XCTAssertEqual(loss, value, accuracy: abs(value) * 1e-12, line)
    }

    /// #23.5: `tune --model cnn --channels 8` trains a CNN (its reproduce line says so, and its loss is not the MLP's);
    /// `tune --model cnn` on a table is refused as `train` refuses it; `tune --idx-images/--idx-labels` works.
    func testTuneTrainsTheModelAndDataItIsGiven() throws {
        let common = ["tune", "--dataset", "digits", "--epochs", "1", "--trials", "1", "--sampler", "random", "--pruner", "none",
                      "--search", "lr=choice(0.01)", "--json"]
        let cnn = try CommandLineRunner.run(common + ["--model", "cnn", "--channels", "4", "--storage", storage("cnn"), "--study", "c"])
        XCTAssertEqual(cnn.status, 0, cnn.standardError)
        let mlp = try CommandLineRunner.run(common + ["--storage", storage("mlp"), "--study", "m"])
        XCTAssertEqual(mlp.status, 0, mlp.standardError)
        let (cnnSummary, mlpSummary) = (try lastJSON(cnn.standardOutput), try lastJSON(mlp.standardOutput))
        let cnnLine = try XCTUnwrap(cnnSummary["command"] as? String)
        XCTAssertTrue(cnnLine.contains("--model cnn --channels 4"), cnnLine)
        let cnnValue = try XCTUnwrap((cnnSummary["best"] as? [String: Any])?["value"] as? Double)
        let mlpValue = try XCTUnwrap((mlpSummary["best"] as? [String: Any])?["value"] as? Double)
        XCTAssertNotEqual(cnnValue, mlpValue)
        // The CNN trial is the train run of its line.
        let train = try CommandLineRunner.run(Array(words(cnnLine).dropFirst()) + ["--json"])
        XCTAssertEqual(train.status, 0, train.standardError)
        XCTAssertEqual(try XCTUnwrap(try lastJSON(train.standardOutput)["final_validation_loss"] as? Double), cnnValue,
                       accuracy: abs(cnnValue) * 1e-12)

        // A CNN on a table of 10 features: refused by tune as by train.
        let table = ["--csv", CommandLineRunner.repositoryRoot.appendingPathComponent("Sources/DescentData/Resources/diabetes.csv").path,
                     "--model", "cnn", "--epochs", "1"]
        let trainRefusal = try CommandLineRunner.run(["train"] + table)
        let tuneRefusal = try CommandLineRunner.run(["tune"] + table + ["--search", "lr=choice(0.01)", "--trials", "1",
                                                                        "--storage", storage("table"), "--study", "t"])
        XCTAssertNotEqual(trainRefusal.status, 0, trainRefusal.standardError)
        XCTAssertEqual(tuneRefusal.status, trainRefusal.status, tuneRefusal.standardError)
        XCTAssertTrue(tuneRefusal.standardError.contains("--model cnn needs square images"), tuneRefusal.standardError)

        // IDX files: 200 digits as [200, 8, 8] images.
        let csv = try String(contentsOf: CommandLineRunner.repositoryRoot.appendingPathComponent("Sources/DescentData/Resources/digits.csv"),
                             encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().prefix(200).map { $0.split(separator: ",").compactMap { Double($0).map { UInt8($0) } } }
        func bigEndian(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * (3 - $0))) & 0xff) } }
        var images: [UInt8] = [0, 0, 0x08, 3] + bigEndian(200) + bigEndian(8) + bigEndian(8)
        var labels: [UInt8] = [0, 0, 0x08, 1] + bigEndian(200)
        for row in rows { images += row.prefix(64); labels.append(row[64]) }
        try Data(images).write(to: URL(fileURLWithPath: path("images-idx3-ubyte")))
        try Data(labels).write(to: URL(fileURLWithPath: path("labels-idx1-ubyte")))
        let idx = try CommandLineRunner.run(["tune", "--idx-images", path("images-idx3-ubyte"), "--idx-labels", path("labels-idx1-ubyte"),
                                             "--model", "cnn", "--channels", "4", "--epochs", "1", "--trials", "1", "--search", "lr=choice(0.01)",
                                             "--storage", storage("idx"), "--study", "i", "--json"])
        XCTAssertEqual(idx.status, 0, idx.standardError)
        XCTAssertTrue((try lastJSON(idx.standardOutput)["command"] as? String ?? "").contains("--idx-images"), idx.standardOutput)
    }

    /// #23.7: a study resumed with any flag that shapes a trial changed is refused naming it (was: accepted silently,
    /// then its summary printed the best trial with the new flags).
    func testAStudyIsIdentifiedByEverythingThatShapesATrial() throws {
        let common = ["tune", "--dataset", "iris", "--epochs", "1", "--sampler", "random", "--pruner", "none",
                      "--search", "lr=loguniform(1e-3,1e-1)", "--storage", storage("identity"), "--study", "s"]
        XCTAssertEqual(try CommandLineRunner.run(common + ["--trials", "1", "--hidden", "8"]).status, 0)
        // --trials, --workers and outputs are not part of it.
        let more = try CommandLineRunner.run(common + ["--trials", "2", "--hidden", "8"])
        XCTAssertEqual(more.status, 0, more.standardError)
        for (flag, value, key) in [("--hidden", "16", "--hidden"), ("--seed", "5", "--seed"), ("--validation-fraction", "0.3", "--validation-fraction"),
                                   ("--weight-decay", "0.01", "--weight-decay"), ("--model", "cnn", "--model")] {
            let changed = try CommandLineRunner.run(common + ["--trials", "3", "--hidden", "8", flag, value])
            XCTAssertEqual(changed.status, 1, "\(flag): \(changed.standardError)")
            XCTAssertTrue(changed.standardError.contains("\(key) is"), "\(flag): \(changed.standardError)")
        }
        let unstandardized = try CommandLineRunner.run(common + ["--trials", "3", "--hidden", "8", "--no-standardize"])
        XCTAssertEqual(unstandardized.status, 1)
        XCTAssertTrue(unstandardized.standardError.contains("--no-standardize is false there, true here"), unstandardized.standardError)
    }
}

extension RunSpecificationCommandTests {
    /// `range-test --save-config` writes the run it swept (rate auto), which `train --config` trains; `tune --save-config`
    /// writes the run every trial starts from.
    func testRangeTestAndTuneSaveTheRunTheyUse() throws {
        let sweep = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--hidden", "8", "--optimizer", "adam", "--iterations", "20",
                                               "--repeats", "1", "--save-config", path("range.yaml"), "--json"])
        XCTAssertEqual(sweep.status, 0, sweep.standardError)
        let yaml = try String(contentsOfFile: path("range.yaml"), encoding: .utf8)
        XCTAssertTrue(yaml.contains("hidden: [8]\n") && yaml.contains("learning_rate: \"auto\"\n") && yaml.contains("optimizer: \"adam\"\n"), yaml)
        let train = try CommandLineRunner.run(["train", "--config", path("range.yaml"), "--learning-rate", "0.01", "--epochs", "2", "--json"])
        XCTAssertEqual(train.status, 0, train.standardError)
        XCTAssertEqual(try lastJSON(train.standardOutput)["learning_rate"] as? Double, 0.01)

        let tune = try CommandLineRunner.run(["tune", "--dataset", "iris", "--hidden", "8", "--epochs", "1", "--trials", "1",
                                              "--search", "lr=choice(0.01)", "--storage", storage("saved"), "--study", "s",
                                              "--save-config", path("tune.json"), "--json"])
        XCTAssertEqual(tune.status, 0, tune.standardError)
        let saved = try RunSpecification(jsonText: try String(contentsOfFile: path("tune.json"), encoding: .utf8))
        XCTAssertEqual(saved.hidden, [8])
        XCTAssertEqual(saved.epochs, 1)
        XCTAssertEqual(saved.optimizer, .adam)
    }
}
