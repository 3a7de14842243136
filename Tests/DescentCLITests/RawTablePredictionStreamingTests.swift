import Foundation
import XCTest

/// `predict` and `evaluate` on raw rows stream the file (`RawTableReader`, 4 MB of rows at a time), keeping the
/// per-row report of malformed cells (line, column; exit status 3) across blocks (#20).
final class RawTablePredictionStreamingTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-raw-stream-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func lastJSON(_ output: String) throws -> [String: Any] {
        let last = try XCTUnwrap(output.split(separator: "\n").last)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    /// Row `row` of the tables below: a colour, a size (missing every 13th row) and a label that follows the size.
    private func cells(_ row: Int) -> (color: String, size: String, label: String) {
        let size = row % 11
        return (["red", "green", "blue"][row % 3], row % 13 == 0 ? "NA" : String(size), size > 5 ? "big" : "small")
    }

    func testAFileLargerThanOneBlockIsPredictedAndEvaluatedRowByRow() throws {
        var training = "color,size,label\n"
        for row in 0..<300 {
            let (color, size, label) = cells(row)
            training += "\(color),\(size),\(label)\n"
        }
        let model = directory + "/model.safetensors"
        let trained = try CommandLineRunner.run(["train", "--csv", try write("train.csv", training), "--target", "label", "--hidden", "8",
                                                 "--learning-rate", "0.01", "--schedule", "constant", "--epochs", "20",
                                                 "--save-weights", model, "--json"])
        XCTAssertEqual(trained.status, 0, trained.standardError)

        // About 5 MB (more than one 4 MB block): other column order, an extra column, one unseen colour, one malformed size.
        let rows = 90_000, malformedRow = 80_000, unseenRow = 70_000
        var text = "note,size,label,color\n"
        text.reserveCapacity(rows * 60)
        for row in 0..<rows {
            let (color, size, label) = cells(row)
            text += "row \(row) of a file larger than one block,\(row == malformedRow ? "12abc" : size),\(label),"
                + "\(row == unseenRow ? "purple" : color)\n"
        }
        let big = try write("big.csv", text)
        XCTAssertGreaterThan(text.utf8.count, 4 << 20)

        let predicted = try CommandLineRunner.run(["predict", "--model", model, "--csv", big, "--json"])
        XCTAssertEqual(predicted.status, 3, predicted.standardError)   // a row skipped: docs/exit-codes.md
        let lines = predicted.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[0], "prediction")
        XCTAssertEqual(lines.count, 1 + rows + 2, predicted.standardError)   // header, a line per row, the JSON line, the final newline
        guard lines.count == 1 + rows + 2 else { return }
        XCTAssertEqual(lines[1 + malformedRow], "")   // the skipped row keeps its place, empty
        // The same cells give the same prediction in the first block and the last (the rows repeat every 3·11·13).
        let period = 3 * 11 * 13
        for row in stride(from: 85_000, to: rows, by: 97) {
            XCTAssertEqual(lines[1 + row], lines[1 + row - period * 150], "row \(row)")   // row 20,650 on: the first block
        }
        let object = try lastJSON(predicted.standardOutput)
        XCTAssertEqual(object["rows"] as? Int, rows - 1)
        XCTAssertEqual(object["skipped_rows"] as? Int, 1)
        XCTAssertEqual(object["unknown_categories"] as? [String: Int], ["color": 1])
        XCTAssertTrue(predicted.standardError.contains("line \(malformedRow + 2), column 2 (\"size\"): \"12abc\" is not a number"),
                      predicted.standardError)

        let evaluated = try CommandLineRunner.run(["evaluate", "--model", model, "--csv", big, "--json"])
        XCTAssertEqual(evaluated.status, 3, evaluated.standardError)
        let report = try lastJSON(evaluated.standardOutput)
        XCTAssertEqual(report["rows"] as? Int, rows - 1)
        XCTAssertEqual(report["skipped_rows"] as? Int, 1)
        XCTAssertGreaterThan(try XCTUnwrap(report["accuracy"] as? Double), 0.9)
    }
}
