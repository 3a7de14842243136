import Foundation
import XCTest

/// `predict`, `evaluate` and `train --init-weights` refuse a model file whose tensors were changed after
/// saving (checksums) or hold a NaN or infinite weight, naming the file and the tensor; a file without
/// checksums (another tool's) is used with one line saying it was not verified.
final class ModelIntegrityCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-model-integrity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private var irisCSV: String { CommandLineRunner.repositoryRoot.appendingPathComponent("Sources/DescentData/Resources/iris.csv").path }

    /// The three commands that load a model, with `model` and data it fits.
    private func uses(of model: String, csv: String, hidden: String) -> [[String]] {
        [["predict", "--model", model, "--csv", csv],
         ["evaluate", "--model", model, "--csv", csv],
         ["train", "--csv", csv, "--epochs", "1", "--hidden", hidden, "--init-weights", model]]
    }

    func testABitFlipInASavedModelIsRefusedByEveryCommandThatLoadsIt() throws {
        let model = path("iris.safetensors")
        let train = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "2", "--hidden", "8", "--save-weights", model])
        XCTAssertEqual(train.status, 0, train.standardError)
        for arguments in uses(of: model, csv: irisCSV, hidden: "8") {
            let used = try CommandLineRunner.run(arguments)
            XCTAssertEqual(used.status, 0, "\(arguments): \(used.standardError)")
            XCTAssertFalse(used.standardError.contains("not verified"), used.standardError)
        }
        let inspected = try CommandLineRunner.run(["inspect", model])
        XCTAssertTrue(inspected.standardOutput.contains("tensor checksums: the SHA-256 of each tensor"), inspected.standardOutput)
        // One bit of the last tensor's last byte (2.weight sorts last: its bytes end the file).
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: model)))
        bytes[bytes.count - 1] ^= 0x04
        let damaged = path("damaged.safetensors")
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        // Was: loaded, predictions changed without a word.
        for arguments in uses(of: damaged, csv: irisCSV, hidden: "8") {
            let used = try CommandLineRunner.run(arguments + ["--json"])
            XCTAssertEqual(used.status, 1, "\(arguments): \(used.standardError)")
            XCTAssertTrue(used.standardError.contains("\(damaged): tensor 2.weight does not match the checksum saved with it"),
                          "\(arguments): \(used.standardError)")
            let last = try XCTUnwrap(used.standardOutput.split(separator: "\n").last)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
            XCTAssertEqual(object["status"] as? String, "failed", "\(arguments)")
        }
    }

    func testANaNWeightIsRefusedNamingTheTensor() throws {
        // The fixture's data ends with 0.weight's four values; the last becomes NaN (and then +infinity).
        let csv = path("ab.csv")
        try "a,b,y\n1,2,1\n3,1,0\n".write(toFile: csv, atomically: true, encoding: .utf8)
        for (bits, word) in [(Float.nan.bitPattern, "NaN"), (Float.infinity.bitPattern, "+infinity")] {
            var bytes = ModelFixture.linearClassifier
            withUnsafeBytes(of: bits.littleEndian) { bytes.replaceSubrange((bytes.count - 4)..., with: $0) }
            let model = path("nan.safetensors")
            try Data(bytes).write(to: URL(fileURLWithPath: model))
            // Was: predict printed nan probabilities and "0" for every row; evaluate said accuracy 0.50; both exit 0.
            for arguments in uses(of: model, csv: csv, hidden: "") {
                let used = try CommandLineRunner.run(arguments)
                XCTAssertEqual(used.status, 1, "\(arguments): \(used.standardError)")
                XCTAssertTrue(used.standardError.contains("\(model): tensor 0.weight holds \(word) at element 3"), used.standardError)
            }
        }
    }

    func testAFileWithoutChecksumsIsUsedSayingSoOnce() throws {
        let model = path("foreign.safetensors"), csv = path("ab.csv")
        try Data(ModelFixture.linearClassifier).write(to: URL(fileURLWithPath: model))
        try "a,b\n1,2\n3,1\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let predicted = try CommandLineRunner.run(["predict", "--model", model, "--csv", csv])
        XCTAssertEqual(predicted.status, 0, predicted.standardError)
        XCTAssertEqual(predicted.standardError,
                       "note: \(model) records no tensor checksums (written by another tool or an older descent): its weights were not verified\n")
        let inspected = try CommandLineRunner.run(["inspect", model])
        XCTAssertTrue(inspected.standardOutput.contains("tensor checksums: none recorded"), inspected.standardOutput)
    }
}
