import Foundation
import XCTest

/// `descent train` and `descent inspect` with input that used to crash the process or
/// lose a finished run: each now ends with a message naming the flag or file, and status 1 or 2.
final class TrainRobustnessTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-robust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    private func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> CommandLineRunner.Result {
        let result = try CommandLineRunner.run(arguments)
        // A trap ends the process by a signal: on Linux the status is then above 128 or the raw signal number.
        XCTAssertTrue([0, 1, 2].contains(result.status), "status \(result.status); stderr: \(result.standardError)", file: file, line: line)
        return result
    }

    func testHugeBatchSizeTrains() throws {
        // Was: overflow trap in `(count + batchSize - 1) / batchSize`.
        let result = try run(["train", "--dataset", "iris", "--epochs", "1", "--hidden", "4", "--batch-size", "\(Int.max)"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("epoch   1/1 "), result.standardOutput)
    }

    func testStepCountOverflowNamesEpochs() throws {
        let result = try run(["train", "--dataset", "iris", "--epochs", "\(Int.max)", "--batch-size", "1"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("--epochs"), result.standardError)
    }

    func testHugeHiddenLayerIsAnErrorNotAFailedAllocation() throws {
        // Was: "Fatal error: failed to allocate 64000000000 bytes" (SIGABRT).
        let result = try run(["train", "--dataset", "iris", "--epochs", "1", "--hidden", "4000000000"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("--hidden 4000000000"), result.standardError)
        XCTAssertTrue(result.standardError.contains("memory"), result.standardError)
    }

    func testDataTooSmallForAValidationPartFailsBeforeTraining() throws {
        // Was: trained every epoch, then failed with "rSquared: 0 predictions for 0 targets".
        let four = try write("four.csv", "a,b,y\n1,2,0.5\n3,4,1.5\n5,6,2.5\n7,8,3.5\n")
        let result = try run(["train", "--csv", four, "--epochs", "1", "--validation-fraction", "0.01"])
        XCTAssertEqual(result.status, 1, "the data is too small for the split: the work fails (was 2 with a bare usage text)")
        XCTAssertTrue(result.standardError.contains("--validation-fraction 0.01 of 4 rows"), result.standardError)
        XCTAssertTrue(result.standardError.contains("use at least 0.125"), result.standardError)
        XCTAssertFalse(result.standardOutput.contains("epoch"), result.standardOutput)
        let one = try write("one.csv", "a,b,y\n1,2,0\n")
        let single = try run(["train", "--csv", one, "--epochs", "1"])
        XCTAssertEqual(single.status, 1)
        XCTAssertTrue(single.standardError.contains("has 1 row; training needs at least 2"), single.standardError)
        XCTAssertFalse(single.standardError.contains("USAGE"), single.standardError)
        let two = try write("two.csv", "a,b,y\n1,2,0\n3,4,1\n")
        let pair = try run(["train", "--csv", two, "--epochs", "1"])
        XCTAssertEqual(pair.status, 1)
        XCTAssertTrue(pair.standardError.contains("leaves no validation rows; use at least 0.25"), pair.standardError)
        XCTAssertFalse(pair.standardError.contains("USAGE"), pair.standardError)
    }

    func testConstantValidationTargetsGiveValidJSONWithNull() throws {
        // Was: error "rSquared: all 1 targets are equal" after training; and `--json` printed `nan`, which is not JSON.
        let csv = try write("flat.csv", "a,b,y\n1,2,0.5\n3,4,1.5\n5,6,2.5\n7,8,3.5\n")
        let result = try run(["train", "--csv", csv, "--epochs", "2", "--hidden", "", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let last = try XCTUnwrap(result.standardOutput.split(separator: "\n").last)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], String(last))
        XCTAssertTrue(object["final_validation_r2"] is NSNull, String(last))
        XCTAssertEqual((object["epochs"] as? [Any])?.count, 2)
    }

    func testUnwritableSaveWeightsPathFailsBeforeTraining() throws {
        // Was: trained, then "cannot be written" — the finished run was lost.
        let missing = directory.appendingPathComponent("no/such/dir/w.safetensors").path
        let result = try run(["train", "--dataset", "iris", "--epochs", "1", "--save-weights", missing])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("--save-weights"), result.standardError)
        XCTAssertTrue(result.standardError.contains("does not exist"), result.standardError)
        XCTAssertFalse(result.standardOutput.contains("epoch"))
        let folder = try run(["train", "--dataset", "iris", "--epochs", "1", "--save-weights", directory.path])
        XCTAssertEqual(folder.status, 2)
        XCTAssertTrue(folder.standardError.contains("is a directory"), folder.standardError)
    }

    func testSaveWeightsReplacesAnExistingFile() throws {
        let weights = try write("model.safetensors", "old contents")
        let result = try run(["train", "--dataset", "iris", "--epochs", "1", "--hidden", "3", "--save-weights", weights])
        XCTAssertEqual(result.status, 0, result.standardError)
        let inspect = try run(["inspect", weights, "--json"])
        XCTAssertEqual(inspect.status, 0, inspect.standardError)
        XCTAssertTrue(inspect.standardOutput.contains("\"name\":\"0.weight\""), inspect.standardOutput)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["model.safetensors"])
    }

    func testBadTrainingFlagsAreUsageErrors() throws {
        for (flags, fragment) in [(["--patience", "0"], "--patience"), (["--hidden", "a,b"], "--hidden"),
                                  (["--hidden", "0"], "--hidden"), (["--momentum", "1"], "--momentum"),
                                  (["--validation-fraction", "1"], "--validation-fraction")] {
            let result = try run(["train", "--dataset", "iris", "--epochs", "1"] + flags)
            XCTAssertEqual(result.status, 2, "\(flags)")
            XCTAssertTrue(result.standardError.contains(fragment), "\(flags): \(result.standardError)")
        }
    }

    func testScheduleErrorsNameTheFlagAndPointAtTheColumn() throws {
        let result = try run(["train", "--dataset", "iris", "--epochs", "1", "--schedule", "warmup(1000) >> cosine"])
        XCTAssertEqual(result.status, 2, "a bad --schedule is a usage error, as every other bad option value")
        let lines = result.standardError.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("Error: --schedule: column 8:") == true, result.standardError)
        XCTAssertTrue(lines.first?.contains("longer than the run (4 steps)") == true, result.standardError)
        XCTAssertEqual(lines.dropFirst().first, "  warmup(1000) >> cosine")
        XCTAssertEqual(lines.dropFirst(2).first, "         ^")
    }

    func testCSVWithoutFeaturesNamesTheFile() throws {
        // Was: "Linear: invalid argument: sizes must be positive, got 0 → 64".
        let csv = try write("target-only.csv", "y\nx\nz\nx\nz\n")
        let result = try run(["train", "--csv", csv, "--epochs", "1"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("target-only.csv: no feature columns"), result.standardError)
    }

    func testInspectOfADirectoryNamedLikeWeights() throws {
        // Was: a trap (Illegal instruction) reading the directory through FileHandle.
        let folder = directory.appendingPathComponent("weights.safetensors")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let result = try run(["inspect", folder.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("is a directory"), result.standardError)
    }

    func testInspectNPYWithNaNReportsFiniteStatistics() throws {
        // float32 [nan, 1, inf, 3] as a version 1.0 .npy file.
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
        for value: Float in [.nan, 1, .infinity, 3] { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        let url = directory.appendingPathComponent("x.npy")
        try Data(bytes).write(to: url)
        let result = try run(["inspect", url.path, "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let last = try XCTUnwrap(result.standardOutput.split(separator: "\n").last)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        XCTAssertEqual(object["min"] as? Double, 1)
        XCTAssertEqual(object["max"] as? Double, 3)
        XCTAssertEqual(object["mean"] as? Double, 2)
        XCTAssertEqual(object["non_finite"] as? Int, 2)
    }
}
