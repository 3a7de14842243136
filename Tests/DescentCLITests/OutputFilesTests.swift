import Foundation
import XCTest

/// What `train` does to the files its outputs name: device nodes, symbolic links and private
/// files survive, and two outputs naming one file are refused before any training.
final class OutputFilesTests: XCTestCase {
    private var directory: String = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-outputs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func fileType(_ path: String) -> mode_t {
        var status = stat()
        XCTAssertEqual(lstat(path, &status), 0, path)
        return status.st_mode & S_IFMT
    }

    func testTheSameFileForReportAndWeightsIsRefusedBeforeTraining() throws {
        // Was: trained, then wrote the weights and overwrote them with the HTML report.
        let path = directory + "/out.bin"
        let link = directory + "/link.bin"
        XCTAssertEqual(symlink(path, link), 0)
        let spellings = [(path, path), (path, directory + "/./out.bin"), (link, path), (path, link)]
        for (report, weights) in spellings {
            let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1",
                                                    "--report", report, "--save-weights", weights])
            XCTAssertEqual(result.status, 2, "\(report) \(weights): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("are the same file"), result.standardError)
            XCTAssertFalse(result.standardOutput.contains("epoch"), "should fail before training")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testSaveConfigTakesPartInTheSameFileCheck() throws {
        // Was: `train --save-config x --log x` trained, then the log replaced the saved settings (and
        // `tune --save-config study.db --storage sqlite:study.db` would have replaced the study).
        let path = directory + "/run.toml"
        let train = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--learning-rate", "0.01",
                                               "--save-config", path, "--log", directory + "/./run.toml", "--json"])
        XCTAssertEqual(train.status, 2, train.standardError)
        XCTAssertTrue(train.standardOutput.contains("are the same file"), train.standardOutput)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let database = directory + "/study.db"
        let tune = try CommandLineRunner.run(["tune", "--dataset", "iris", "--trials", "1", "--search", "learning_rate=loguniform(1e-3,1e-1)",
                                              "--storage", "sqlite:" + database, "--save-config", database])
        XCTAssertEqual(tune.status, 2, tune.standardError)
        XCTAssertTrue(tune.standardError.contains("is the input --storage file"), tune.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }

    func testEveryFileOfTheCheckpointDirectoryTakesPartInTheSameFileCheck() throws {
        // Was: `--checkpoint-dir ck --log ck/checkpoint.lock` trained, appended the log to the lock file and the
        // run's end removed it: the log was gone. `--save-weights ck/curves.json` was replaced by the curves.
        let checkpoints = directory + "/ck"
        try FileManager.default.createDirectory(atPath: checkpoints, withIntermediateDirectories: true)
        for (flag, name) in [("--log", "checkpoint.lock"), ("--save-weights", "curves.json"), ("--report", "checkpoint.json")] {
            let output = checkpoints + "/" + name
            let train = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--learning-rate", "0.01",
                                                   "--checkpoint-dir", checkpoints, flag, output])
            XCTAssertEqual(train.status, 2, "\(flag): \(train.standardError)")
            XCTAssertTrue(train.standardError.contains("are the same file"), train.standardError)
            XCTAssertTrue(train.standardError.contains("--checkpoint-dir '\(output)'"), train.standardError)
            XCTAssertTrue(train.standardError.contains("\(flag) '\(output)'"), train.standardError)
        }
    }

    func testAnOutputThatIsTheInputDataIsRefusedAndTheDataKept() throws {
        // Was: `--csv x --report x` trained and replaced the data with the HTML report.
        let data = directory + "/iris.csv"
        let original = "sepal_length,sepal_width,petal_length,petal_width,species\n" + (0..<30).map { row in
            "\(4 + row % 3).1,3.\(row % 7),\(1 + 2 * (row % 3)).4,0.\(row % 5),\(row % 3)" }.joined(separator: "\n") + "\n"
        try original.write(toFile: data, atomically: true, encoding: .utf8)
        let input = ["--csv", data, "--target", "species"]
        for arguments in [["train", "--epochs", "1", "--report", data], ["train", "--epochs", "1", "--log", directory + "/./iris.csv"],
                          ["train", "--epochs", "1", "--save-weights", data], ["range-test", "--report", data]] {
            let result = try CommandLineRunner.run(arguments + input)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("is the input --csv file"), result.standardError)
        }
        XCTAssertEqual(try String(contentsOfFile: data, encoding: .utf8), original)
    }

    func testDevNullStaysADeviceAndAPrivateFileStaysPrivate() throws {
        // Was: `--save-weights /dev/null` as root replaced the device node with a regular file,
        // and a mode-600 weights file became mode 644.
        let weights = directory + "/private.safetensors"
        XCTAssertTrue(FileManager.default.createFile(atPath: weights, contents: Data("old".utf8)))
        XCTAssertEqual(chmod(weights, 0o600), 0)
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--hidden", "3",
                                                "--save-weights", weights, "--report", "/dev/null"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(fileType("/dev/null"), S_IFCHR)
        var status = stat()
        XCTAssertEqual(stat(weights, &status), 0)
        XCTAssertEqual(status.st_mode & 0o7777, 0o600)
        XCTAssertGreaterThan(status.st_size, 100, "the weights were written")

        let toNull = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--hidden", "3",
                                                "--save-weights", "/dev/null"])
        XCTAssertEqual(toNull.status, 0, toNull.standardError)
        XCTAssertEqual(fileType("/dev/null"), S_IFCHR)
    }
}
