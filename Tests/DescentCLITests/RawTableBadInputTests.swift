import Foundation
import XCTest

/// The bad raw tables of #20, each run through the CLI: a one-line error naming the column (or the line, where a
/// row is at fault) and the exit status of docs/exit-codes.md; at prediction a malformed row is skipped (status 3).
final class RawTableBadInputTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-raw-bad-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func write(_ name: String, _ lines: [String]) throws -> String {
        let path = directory + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// 80 rows: a row number, a colour, a size (`NA` every 7th row), a yes/no label that follows the size.
    private var rows: [String] {
        ["rownames,color,size,label"] + (1...80).map { row in
            "\(row),\(["red", "green", "blue"][row % 3]),\(row % 7 == 0 ? "NA" : String(row % 11)),\(row % 11 > 5 ? "yes" : "no")"
        }
    }

    /// The one `error:` line of standard error (failing the test when there is not exactly one).
    private func errorLine(_ result: CommandLineRunner.Result, status: Int32, file: StaticString = #filePath, line: UInt = #line) -> String {
        XCTAssertEqual(result.status, status, result.standardError, file: file, line: line)
        let errors = result.standardError.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        XCTAssertEqual(errors.count, 1, result.standardError, file: file, line: line)
        return errors.first.map(String.init) ?? ""
    }

    func testTrainingRefusesBadTargetsAndDelimitersNamingTheColumnOrLine() throws {
        let base = try write("base.csv", rows)
        func train(_ csv: String, _ target: String = "label") throws -> CommandLineRunner.Result {
            try CommandLineRunner.run(["train", "--csv", csv, "--target", target, "--epochs", "1"])
        }
        XCTAssertEqual(errorLine(try train(base, "price"), status: 1),
                       "error: \(base): unknown target column \"price\"; the columns are: rownames, color, size, label")

        let empty = try write("empty.csv", rows.enumerated().map { $0.offset == 0 ? $0.element : $0.element.replacingOccurrences(
            of: #",(yes|no)$"#, with: ",NA", options: .regularExpression) })
        XCTAssertEqual(errorLine(try train(empty), status: 1),
                       "error: \(empty): target column \"label\" (column 4) has no values: every one of its 80 cells is missing")

        let one = try write("one.csv", rows.enumerated().map { $0.offset == 0 ? $0.element : $0.element.replacingOccurrences(
            of: #",(yes|no)$"#, with: ",yes", options: .regularExpression) })
        XCTAssertTrue(errorLine(try train(one), status: 1).contains("target column \"label\" (column 4) has a single class \"yes\""))

        // Ten rows separated by ';' in a file of commas: the first names its line and the delimiter (was: "found 1" alone).
        var mixed = rows
        for row in 40..<50 { mixed[row] = mixed[row].replacingOccurrences(of: ",", with: ";") }
        XCTAssertEqual(errorLine(try train(try write("mixed.csv", mixed)), status: 1),
                       "error: \(directory)/mixed.csv: line 41: expected 4 cells (as in the header), found 1; the line is separated by "
                       + "';', the header by commas: a file must use one delimiter")

        // A file of semicolons throughout is read with ';' (was refused: "the header is a single column containing ';'").
        let semicolons = try write("semicolons.csv", rows.map { $0.replacingOccurrences(of: ",", with: ";") })
        let trained = try train(semicolons)
        XCTAssertEqual(trained.status, 0, trained.standardError)
        XCTAssertTrue(trained.standardOutput.contains("rownames"), "the row numbers are named as dropped: \(trained.standardOutput)")
    }

    /// A European spreadsheet's export (BOM, CRLF, ';', decimal commas, a point grouping thousands) trains, is inspected
    /// with its delimiter and number format named, and predicts and evaluates on rows written the same way.
    func testASpreadsheetExportTrainsPredictsAndEvaluates() throws {
        let lines = ["\u{FEFF}rownames;colour;weight;income;label"] + (1...80).map { row in
            let weight = String(format: "%d,%d", 40 + row % 37, row % 10)
            let income = row % 4 == 0 ? "NA" : String(format: "%d.%03d,50", 1 + row % 9, (row * 37) % 1000)
            return "\(row);\(["red", "green", "blue"][row % 3]);\(weight);\(income);\(row % 37 > 18 ? "heavy" : "light")"
        }
        let path = directory + "/export.csv"
        try (lines.joined(separator: "\r\n") + "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        let inspect = try CommandLineRunner.run(["inspect", path, "--target", "label"])
        XCTAssertEqual(inspect.status, 0, inspect.standardError)
        XCTAssertTrue(inspect.standardOutput.contains("80 rows, 5 columns (separated by ';')"), inspect.standardOutput)
        XCTAssertTrue(inspect.standardOutput.contains("read as 27,5 = 27.5, standardised"), inspect.standardOutput)

        let model = directory + "/export.safetensors"
        let trained = try CommandLineRunner.run(["train", "--csv", path, "--target", "label", "--epochs", "20", "--learning-rate", "0.01",
                                                 "--save-weights", model, "--json"])
        XCTAssertEqual(trained.status, 0, trained.standardError)
        let predicted = try CommandLineRunner.run(["predict", "--model", model, "--csv", path])
        XCTAssertEqual(predicted.status, 0, predicted.standardError)
        XCTAssertEqual(predicted.standardOutput.split(separator: "\n").count, 81)
        let evaluated = try CommandLineRunner.run(["evaluate", "--model", model, "--csv", path, "--json"])
        XCTAssertEqual(evaluated.status, 0, evaluated.standardError)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data((evaluated.standardOutput.split(separator: "\n").last ?? "").utf8))
                                   as? [String: Any])
        XCTAssertEqual(report["rows"] as? Int, 80)
        // The label follows the weight (row % 37): a model that reads "40,5" as 40.5 separates the classes.
        XCTAssertGreaterThan(try XCTUnwrap(report["accuracy"] as? Double), 0.9)
    }

    func testPredictionRefusesTextInANumericColumnAndSkipsMalformedRows() throws {
        let model = directory + "/model.safetensors"
        let trained = try CommandLineRunner.run(["train", "--csv", try write("train.csv", rows), "--target", "label", "--epochs", "2",
                                                 "--learning-rate", "0.01", "--schedule", "constant", "--save-weights", model])
        XCTAssertEqual(trained.status, 0, trained.standardError)

        // "size" numeric in training, text here: an error naming it, before any prediction; --out is not written.
        let text = try write("text.csv", ["color,size"] + (1...30).map { "red,\($0 % 2 == 0 ? "big" : "small")" })
        let out = directory + "/predictions.csv"
        let refused = try CommandLineRunner.run(["predict", "--model", model, "--csv", text, "--out", out])
        XCTAssertTrue(errorLine(refused, status: 1).contains("column \"size\" was numeric in training but 30 of 30 cells here are not"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        let scored = try CommandLineRunner.run(["evaluate", "--model", model, "--csv", try write("text-labelled.csv",
            ["color,size,label"] + (1...30).map { "red,\($0 % 2 == 0 ? "big" : "small"),yes" })])
        XCTAssertTrue(errorLine(scored, status: 1).contains("column \"size\" was numeric in training"))

        // One malformed cell: the row is skipped and named, the others predicted, exit status 3.
        var malformed = rows
        malformed[5] = "5,blue,12abc,no"
        let skipped = try CommandLineRunner.run(["predict", "--model", model, "--csv", try write("malformed.csv", malformed), "--out", out])
        XCTAssertEqual(skipped.status, 3, skipped.standardError)
        XCTAssertTrue(skipped.standardError.contains("skipped: \(directory)/malformed.csv: line 6, column 3 (\"size\"): \"12abc\" is not a number"),
                      skipped.standardError)
        let written = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(written.count, 1 + 80 + 1)
        XCTAssertEqual(written[5], "")
        XCTAssertTrue(["yes", "no"].contains(written[4]))
    }
}
