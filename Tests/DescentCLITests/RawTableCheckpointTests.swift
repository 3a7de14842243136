import Foundation
import XCTest

/// A checkpoint of a run on a raw table (text categories, `NA` cells, a row-number column) knows the table by
/// the SHA-256 of its bytes, as a numeric CSV's checkpoint does (#20): a renamed copy resumes, a file of the
/// same shape with other contents is refused, naming both digests.
final class RawTableCheckpointTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-raw-checkpoint-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    /// 60 rows: a row number, a text category, a number with `NA` every 7th row, a yes/no target.
    /// `sha256sum` of this text: 3733d5a0ea9ca8bc… (with row 1's size 5 instead of 1: 016128cd979616d6…).
    private func table(editFirstRow: Bool = false) -> String {
        var lines = ["rownames,color,size,label"]
        for row in 1...60 {
            let size = editFirstRow && row == 1 ? "5" : (row % 7 == 0 ? "NA" : String(row % 11))
            lines.append("\(row),\(["red", "green", "blue"][row % 3]),\(size),\(row % 3 == 0 || row % 4 == 0 ? "yes" : "no")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func train(_ csv: String, epochs: Int, checkpoints: String, resume: Bool) throws -> CommandLineRunner.Result {
        try CommandLineRunner.run(["train", "--csv", csv, "--target", "label", "--hidden", "8", "--learning-rate", "0.01",
                                   "--schedule", "constant", "--epochs", "\(epochs)", "--checkpoint-dir", checkpoints, "--json"]
                                  + (resume ? ["--resume"] : []))
    }

    private func summary(_ output: String) throws -> [String: Any] {
        let line = try XCTUnwrap(output.split(separator: "\n").last, output)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
    }

    func testARawTableCheckpointKnowsItsDataByContent() throws {
        let checkpoints = directory + "/run"
        let first = try write("first.csv", table())
        let started = try train(first, epochs: 2, checkpoints: checkpoints, resume: false)
        XCTAssertEqual(started.status, 0, started.standardError)
        XCTAssertEqual(try summary(started.standardOutput)["ignored_columns"] as? [String], ["rownames"])

        // The same bytes under another name: the same data (was: the raw-table path recorded no digest).
        let renamed = try write("renamed.csv", table())
        let moved = try train(renamed, epochs: 3, checkpoints: checkpoints, resume: true)
        XCTAssertEqual(moved.status, 0, moved.standardError)
        XCTAssertEqual(try summary(moved.standardOutput)["resumed_from_epoch"] as? Int, 2)
        XCTAssertFalse(moved.standardError.contains("not verified"), moved.standardError)

        // One cell changed, the same shape: refused, naming both digests (sha256sum's).
        _ = try write("renamed.csv", table(editFirstRow: true))
        let changed = try train(renamed, epochs: 4, checkpoints: checkpoints, resume: true)
        XCTAssertEqual(changed.status, 1, changed.standardError)
        XCTAssertTrue(changed.standardError.contains("the contents differ, SHA-256 3733d5a0ea9ca8bc… there, 016128cd979616d6… here"),
                      changed.standardError)
        XCTAssertEqual(try summary(changed.standardOutput)["status"] as? String, "failed")
    }
}
