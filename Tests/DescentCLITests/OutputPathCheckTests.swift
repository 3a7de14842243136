import Foundation
import XCTest

/// Every output path is checked before the work starts, in one place (`TrainCommand.validateOutputs`): a FIFO with no
/// reader, a directory, a missing directory, or the same file given to two outputs is a usage error naming the flag
/// and the path, status 2, and nothing is trained (was: `--save-weights FIFO` with no reader failed after training).
final class OutputPathCheckTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-output-paths-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func lastObject(_ output: String) throws -> [String: Any] {
        let line = try XCTUnwrap(output.split(separator: "\n").last, output)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
    }

    private func assertRefusedBeforeTraining(_ arguments: [String], naming text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try CommandLineRunner.run(arguments + ["--json"])
        XCTAssertEqual(result.status, 2, result.standardError, file: file, line: line)
        let first = String(result.standardError.split(separator: "\n").first ?? "")
        XCTAssertTrue(first.contains(text), result.standardError, file: file, line: line)
        let object = try lastObject(result.standardOutput)
        XCTAssertEqual(object["status"] as? String, "failed", file: file, line: line)
        XCTAssertEqual((object["error"] as? [String: Any])?["kind"] as? String, "usage", "\(object)", file: file, line: line)
        XCTAssertEqual(result.standardOutput.split(separator: "\n").count, 1, "nothing but the JSON object: no training", file: file, line: line)
    }

    func testAFIFOWithNoReaderIsRefusedBeforeTrainingForEveryOutput() throws {
        let fifo = directory + "/pipe", fifoJSON = directory + "/pipe.json"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertEqual(mkfifo(fifoJSON, 0o600), 0)
        let train = ["train", "--dataset", "iris", "--epochs", "2", "--hidden", "3"]
        for (flag, path) in [("--save-weights", fifo), ("--report", fifo), ("--log", fifo), ("--save-config", fifoJSON)] {
            try assertRefusedBeforeTraining(train + [flag, path], naming: "\(flag): cannot write '\(path)': it is a FIFO with no reader")
        }
        try assertRefusedBeforeTraining(["range-test", "--dataset", "iris", "--report", fifo],
                                        naming: "--report: cannot write '\(fifo)': it is a FIFO with no reader")
        // predict's output is streamed piece by piece: no FIFO at all.
        let model = directory + "/model.safetensors", table = directory + "/rows.csv"
        XCTAssertEqual(try CommandLineRunner.run(train + ["--save-weights", model]).status, 0)
        try "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n".write(toFile: table, atomically: true, encoding: .utf8)
        try assertRefusedBeforeTraining(["predict", "--model", model, "--csv", table, "--out", fifo], naming: "--out: '\(fifo)' is a FIFO")
        // A directory and a missing directory, named by flag.
        try assertRefusedBeforeTraining(train + ["--save-weights", directory], naming: "--save-weights: cannot write '\(directory)': it is a directory")
        try assertRefusedBeforeTraining(train + ["--log", directory + "/none/run.jsonl"], naming: "--log: cannot write")
    }

    func testAFIFOWithAReaderGetsTheWeightsAtTheEnd() throws {
        let fifo = directory + "/weights"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // The reader opens the FIFO and reads to its end, as `cat weights > model.safetensors` would.
        let received = LockedData()
        let reader = Thread {
            if let handle = FileHandle(forReadingAtPath: fifo) { received.set(handle.readDataToEndOfFile()) }
        }
        reader.start()
        usleep(200_000)
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "2", "--hidden", "3", "--save-weights", fifo])
        XCTAssertEqual(result.status, 0, result.standardError)
        let deadline = Date().addingTimeInterval(10)
        while received.get() == nil && Date() < deadline { usleep(20_000) }
        let bytes = try XCTUnwrap(received.get())
        // A safetensors file: an 8-byte little-endian header length, then the JSON header.
        XCTAssertGreaterThan(bytes.count, 8)
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(bytes[8], UInt8(ascii: "{"))
        XCTAssertGreaterThan(bytes.count, 8 + headerLength)
    }

    func testTheSamePathForAnyTwoOutputsIsRefused() throws {
        let path = directory + "/out.json"
        let outputs = ["--save-weights", "--report", "--log", "--save-config"]
        for (index, first) in outputs.enumerated() {
            for second in outputs[(index + 1)...] {
                let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--hidden", "3", first, path, second, path])
                XCTAssertEqual(result.status, 2, "\(first) \(second): \(result.standardError)")
                XCTAssertTrue(result.standardError.contains("\(first) '\(path)' and \(second) '\(path)' are the same file")
                              || result.standardError.contains("\(second) '\(path)' and \(first) '\(path)' are the same file"),
                              "\(first) \(second): \(result.standardError)")
                XCTAssertFalse(FileManager.default.fileExists(atPath: path))
            }
            // And each with the checkpoint directory's own files.
            let checkpoints = directory + "/run"
            try FileManager.default.createDirectory(atPath: checkpoints, withIntermediateDirectories: true)
            let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--hidden", "3",
                                                    "--checkpoint-dir", checkpoints, first, checkpoints + "/checkpoint.json"])
            XCTAssertEqual(result.status, 2, "\(first): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("are the same file"), "\(first): \(result.standardError)")
        }
    }
}

/// Data handed from a reader thread to the test.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data? { lock.withLock { data } }
}
