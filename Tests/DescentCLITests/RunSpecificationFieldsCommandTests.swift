import Descent
import Foundation
import XCTest

/// The settings that were flags beside the specification are fields of it: `--save-config` writes them, `--config`
/// reads them back into the same run, a resume compares those that shape the run (naming the field) and lets the
/// execution details (threads, the trackers) differ.
final class RunSpecificationFieldsCommandTests: XCTestCase {
    private var directory: URL!
    private let penguins = "/work/shared/data/penguins.csv"

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-fields-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    private func bytes(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path(name))) }

    /// A raw table's options, class weights, the trackers and threads go into the saved run and come back from it:
    /// the replay trains the same weights byte for byte.
    func testRawTableAndExecutionFieldsRoundTrip() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: penguins), "penguins.csv is not on this machine")
        let run = ["train", "--csv", penguins, "--target", "species", "--ignore", "rownames", "--categorical", "year",
                   "--missing-values", ",NA", "--min-category-count", "2", "--class-weights", "balanced", "--threads", "1",
                   "--track-sharpness", "50", "--track-noise-scale", "20", "--epochs", "2", "--learning-rate", "0.01", "--hidden", "8",
                   "--json"]
        let first = try CommandLineRunner.run(run + ["--save-weights", path("first.safetensors"), "--save-config", path("run.toml")])
        XCTAssertEqual(first.status, 0, first.standardError)
        let toml = try String(contentsOfFile: path("run.toml"), encoding: .utf8)
        for line in ["ignore = \"rownames\"", "categorical = \"year\"", "missing_values = \",NA\"", "min_category_count = 2",
                     "class_weights = \"balanced\"", "threads = 1", "track_sharpness = 50", "track_noise_scale = 20"] {
            XCTAssertTrue(toml.contains(line + "\n"), "\(line) missing from\n\(toml)")
        }
        for format in ["toml", "yaml", "json"] {
            if format != "toml" {
                let saved = try CommandLineRunner.run(run + ["--save-config", path("run.\(format)")])
                XCTAssertEqual(saved.status, 0, saved.standardError)
            }
            let replay = try CommandLineRunner.run(["train", "--config", path("run.\(format)"), "--save-weights", path("\(format).safetensors")])
            XCTAssertEqual(replay.status, 0, replay.standardError)
            XCTAssertEqual(try bytes("\(format).safetensors"), try bytes("first.safetensors"), format)
        }
        // The class weights shape the run: without them, other weights.
        let unweighted = try CommandLineRunner.run(["train", "--config", path("run.toml"), "--class-weights", "none",
                                                    "--save-weights", path("unweighted.safetensors")])
        XCTAssertEqual(unweighted.status, 0, unweighted.standardError)
        XCTAssertNotEqual(try bytes("unweighted.safetensors"), try bytes("first.safetensors"))
    }

    /// A resume with a field that shapes the run changed is refused naming it; threads and the trackers may change.
    func testAResumeComparesTheNewFieldsNamingThem() throws {
        let checkpoints = path("checkpoints")
        let run = ["train", "--dataset", "iris", "--epochs", "2", "--learning-rate", "0.01", "--hidden", "8", "--class-weights", "balanced",
                   "--checkpoint-dir", checkpoints, "--json"]
        let first = try CommandLineRunner.run(run)
        XCTAssertEqual(first.status, 0, first.standardError)
        let classWeights = try CommandLineRunner.run(run.map { $0 == "balanced" ? "none" : $0 } + ["--resume", "--epochs", "3"])
        XCTAssertEqual(classWeights.status, 1)
        XCTAssertTrue(classWeights.standardError.contains("class_weights (--class-weights) is balanced there, none here"),
                      classWeights.standardError)
        let scaleRate = try CommandLineRunner.run(run + ["--resume", "--epochs", "3", "--scale-rate", "none"])
        XCTAssertEqual(scaleRate.status, 1)
        XCTAssertTrue(scaleRate.standardError.contains("scale_rate (--scale-rate) is not set there, none here"), scaleRate.standardError)
        let folds = try CommandLineRunner.run(run.filter { $0 != "--checkpoint-dir" && $0 != checkpoints } + ["--folds", "3", "--save-config", path("folds.json")])
        XCTAssertEqual(folds.status, 0, folds.standardError)
        XCTAssertTrue(try String(contentsOfFile: path("folds.json"), encoding: .utf8).contains("\"folds\" : 3"))
        // Execution details: another thread count and a tracker resume the same run.
        let threads = try CommandLineRunner.run(run + ["--resume", "--epochs", "3", "--threads", "1", "--track-sharpness", "5"])
        XCTAssertEqual(threads.status, 0, threads.standardError)
    }

    /// A tune study's identity holds the new fields that shape a trial: resumed with another, refused naming it; the
    /// reproduce line carries them.
    func testATuneStudysIdentityHoldsTheNewFields() throws {
        let storage = "sqlite:" + path("studies.sqlite")
        let tune = ["tune", "--dataset", "iris", "--hidden", "4", "--epochs", "1", "--search", "lr=loguniform(1e-3,1e-1)",
                    "--storage", storage, "--study", "weighted", "--class-weights", "balanced"]
        let first = try CommandLineRunner.run(tune + ["--trials", "1", "--json"])
        XCTAssertEqual(first.status, 0, first.standardError)
        let line = try XCTUnwrap(first.standardOutput.split(separator: "\n").last)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertTrue((summary["command"] as? String ?? "").contains("--class-weights balanced"), "\(summary["command"] ?? "")")
        let changed = try CommandLineRunner.run(tune.map { $0 == "balanced" ? "none" : $0 } + ["--trials", "2"])
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.standardError.contains("--class-weights is balanced there, none here"), changed.standardError)
        let same = try CommandLineRunner.run(tune + ["--trials", "2", "--json"])
        XCTAssertEqual(same.status, 0, same.standardError)
    }

    /// range-test and tune take --config too: the file's run (data, model, optimizer; for tune also rate, weight decay
    /// and epochs) with the command line's flags over it.
    func testRangeTestAndTuneReadTheRunFromConfig() throws {
        try Data("dataset = \"iris\"\nhidden = [5]\noptimizer = \"sgd\"\nmomentum = 0.5\nepochs = 2\nlearning_rate = 0.02\n".utf8)
            .write(to: URL(fileURLWithPath: path("run.toml")))
        let range = try CommandLineRunner.run(["range-test", "--config", path("run.toml"), "--repeats", "1", "--iterations", "20",
                                               "--hidden", "6", "--save-config", path("range.json"), "--json"])
        XCTAssertEqual(range.status, 0, range.standardError)
        let swept = try RunSpecification(jsonText: try String(contentsOfFile: path("range.json"), encoding: .utf8))
        XCTAssertEqual(swept.dataset, "iris")
        XCTAssertEqual(swept.hidden, [6], "the command line wins")
        XCTAssertEqual(swept.optimizer, .sgd)
        XCTAssertEqual(swept.momentum, 0.5)
        let tune = try CommandLineRunner.run(["tune", "--config", path("run.toml"), "--search", "wd=loguniform(1e-5,1e-3)", "--trials", "1",
                                              "--storage", "memory", "--json"])
        XCTAssertEqual(tune.status, 0, tune.standardError)
        let line = try XCTUnwrap(tune.standardOutput.split(separator: "\n").last)
        let command = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["command"] as? String)
        for part in ["--dataset iris", "--hidden 5", "--optimizer sgd", "--momentum 0.5", "--learning-rate 0.02", "--epochs 2"] {
            XCTAssertTrue(command.contains(part), "\(part) missing from \(command)")
        }
        let unknown = try CommandLineRunner.run(["tune", "--config", path("run.toml"), "--search", "lr=uniform(0.1,0.2)", "--storage", "memory",
                                                 "--config", path("other.toml")])
        XCTAssertEqual(unknown.status, 2)
    }
}
