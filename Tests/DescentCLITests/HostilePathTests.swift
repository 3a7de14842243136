import Foundation
import XCTest

/// Inputs and outputs a hostile (or unlucky) user can name: a `.yaml` that is /dev/zero, a checkpoint that is a FIFO,
/// a data file that is a device, a column of numbers beyond Float32, and standard output redirected onto an input or
/// another output. Each is refused in one line before any work, and nothing already saved changes.
final class HostilePathTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-hostile-paths-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func path(_ name: String) -> String { directory + "/" + name }

    /// Runs descent with standard output appended to the file at `output` (`descent … >> output`).
    private func run(_ arguments: [String], appendingTo output: String) throws -> (status: Int32, standardError: String) {
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = arguments
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: output))
        handle.seekToEndOfFile()
        process.standardOutput = handle
        let error = Pipe()
        process.standardError = error
        try process.run()
        let said = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, String(decoding: said, as: UTF8.self))
    }

    func testAConfigurationThatNeverEndsIsRefusedAtTheLimit() throws {
        // Was: a .yaml name on /dev/zero was read without end (the YAML reader's 8 MiB check came after the read).
        let zero = path("run.yaml")
        try FileManager.default.createSymbolicLink(atPath: zero, withDestinationPath: "/dev/zero")
        let result = try CommandLineRunner.run(["train", "--config", zero, "--json"])
        XCTAssertEqual(result.status, 2, result.standardError)
        XCTAssertTrue(result.standardError.contains("--config '\(zero)': it cannot be read (it holds more than the 8388608 bytes allowed)"),
                      result.standardError)
        // A TOML file had no limit at all.
        let big = path("run.toml")
        try Data(("dataset = \"iris\"\n" + String(repeating: "#", count: 9 << 20)).utf8).write(to: URL(fileURLWithPath: big))
        let toml = try CommandLineRunner.run(["train", "--config", big])
        XCTAssertEqual(toml.status, 2, toml.standardError)
        XCTAssertTrue(toml.standardError.contains("more than the 8388608 allowed"), toml.standardError)
    }

    func testAResumeFromACheckpointThatIsAFIFOOrADeviceIsRefused() throws {
        // Was: a FIFO was waited on for ever and /dev/zero read without end; a first Ctrl-C stopped neither.
        for (name, make) in [("fifo", { (file: String) in XCTAssertEqual(mkfifo(file, 0o600), 0) }),
                             ("device", { (file: String) in try? FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: "/dev/zero") })] {
            let checkpoints = path(name)
            try FileManager.default.createDirectory(atPath: checkpoints, withIntermediateDirectories: true)
            make(checkpoints + "/checkpoint.json")
            let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--checkpoint-dir", checkpoints,
                                                    "--resume", "--json"])
            XCTAssertEqual(result.status, 1, result.standardError)
            XCTAssertTrue(result.standardError.contains("checkpoint.json cannot be read: it is a \(name == "fifo" ? "FIFO" : "device"), not a regular file"),
                          result.standardError)
            XCTAssertEqual(result.standardOutput.split(separator: "\n").count, 1, result.standardOutput)
        }
    }

    func testADeviceAsTheDataIsRefused() throws {
        // Was: predict and evaluate read /dev/zero until memory ran out; train said only "cannot be read".
        let model = path("model.safetensors")
        try Data(ModelFixture.linearClassifier).write(to: URL(fileURLWithPath: model))
        for arguments in [["predict", "--model", model, "--csv", "/dev/zero"], ["evaluate", "--model", model, "--csv", "/dev/zero"],
                          ["train", "--csv", "/dev/zero"]] {
            let result = try CommandLineRunner.run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("/dev/zero: is a device, not a file"), "\(arguments): \(result.standardError)")
        }
    }

    func testAColumnOfNumbersBeyondFloat32IsRefusedNotReadAsCategories() throws {
        // Was: ±1e308 (not representable in Float32) read as text: a 2-level category, without a word.
        var rows = ["size,colour,label"]
        for index in 0..<40 { rows.append("\(index % 2 == 0 ? "1e308" : "-1e308"),\(index % 3 == 0 ? "red" : "blue"),\(index % 2 == 0 ? "yes" : "no")") }
        let table = path("huge.csv")
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: table))
        let result = try CommandLineRunner.run(["train", "--csv", table, "--epochs", "1"])
        XCTAssertEqual(result.status, 1, result.standardError)
        XCTAssertTrue(result.standardError.contains("line 2, column 1 (\"size\"): 1e308 is out of the Float32 range"), result.standardError)
        // Asked for in words, they are categories.
        let asked = try CommandLineRunner.run(["train", "--csv", table, "--epochs", "1", "--categorical", "size", "--learning-rate", "0.01"])
        XCTAssertEqual(asked.status, 0, asked.standardError)
    }

    func testStandardOutputOntoTheInputIsRefusedAndTheInputIsUnchanged() throws {
        // Was: `descent train --csv data.csv --json >> data.csv` appended the summary to the training data.
        let table = path("table.csv")
        let bytes = Data("a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,10,0\n2,1,1\n".utf8)
        try bytes.write(to: URL(fileURLWithPath: table))
        let model = path("model.safetensors")
        try Data(ModelFixture.linearClassifier).write(to: URL(fileURLWithPath: model))
        for arguments in [["train", "--csv", table, "--epochs", "1", "--json"], ["predict", "--model", model, "--csv", table, "--json"]] {
            let result = try run(arguments, appendingTo: table)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("standard output is redirected to the input --csv file '\(table)'"),
                          "\(arguments): \(result.standardError)")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: table)), bytes, "\(arguments) changed the input")
        }
    }

    func testAnOutputThatIsStandardOutputsFileIsRefused() throws {
        // Was: `--log F --json > F` wrote the log and the summary over each other.
        let log = path("run.jsonl")
        XCTAssertTrue(FileManager.default.createFile(atPath: log, contents: Data()))
        let result = try run(["train", "--dataset", "iris", "--epochs", "1", "--log", log, "--json"], appendingTo: log)
        XCTAssertEqual(result.status, 2, result.standardError)
        XCTAssertTrue(result.standardError.contains("--log '\(log)' is the file standard output is redirected to"), result.standardError)
        // The one JSON object (the refusal) is all the file holds.
        let written = String(decoding: try Data(contentsOf: URL(fileURLWithPath: log)), as: UTF8.self)
        XCTAssertEqual(written.split(separator: "\n").count, 1, written)
        XCTAssertTrue(written.contains(#""kind":"usage""#), written)
    }

    func testEveryNumberOfAConfigurationIsRangeChecked() throws {
        // Was: chosen_learning_rate (the record of an automatic rate) took .nan, .inf, -1 and 0 without a word (the same range as learning_rate).
        for value in [".nan", ".inf", "-.inf", "-1", "0"] {
            let file = path("run-\(value).yaml")
            try Data("dataset: iris\nepochs: 1\nlearning_rate: auto\nchosen_learning_rate: \(value)\n".utf8).write(to: URL(fileURLWithPath: file))
            let result = try CommandLineRunner.run(["train", "--config", file, "--json"])
            XCTAssertEqual(result.status, 2, "\(value): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("'chosen_learning_rate' must be a positive number"), "\(value): \(result.standardError)")
        }
    }

    func testAConfigurationWithoutAnExtensionSaysSo() throws {
        // Was: "unknown format '.'".
        let result = try CommandLineRunner.run(["train", "--config", "/dev/zero"])
        XCTAssertEqual(result.status, 2, result.standardError)
        XCTAssertTrue(result.standardError.contains("--config '/dev/zero': the name has no extension: give a .toml, .yaml, .yml or .json file"),
                      result.standardError)
    }
}
