import DescentData
import Foundation
import XCTest

final class CSVChunkReaderTests: XCTestCase {
    private func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chunks-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    private func readAll(_ reader: CSVChunkReader) throws -> (features: [Float], targets: [String], lines: [Int], chunks: Int) {
        var features: [Float] = [], targets: [String] = [], lines: [Int] = [], chunks = 0
        while let chunk = try reader.next() {
            features += chunk.features; targets += chunk.targetTexts; lines += chunk.lines; chunks += 1
        }
        return (features, targets, lines, chunks)
    }

    /// Tiny blocks (64 bytes) cut the file inside quoted fields that hold line breaks: the rows, their
    /// order, the columns picked by name and the line numbers are those of reading the whole file.
    func testSmallBlocksGiveTheWholeFileInOrder() throws {
        var text = "id,\"note\",y,x1,x0\r\n"
        var expected: [Float] = [], labels: [String] = [], lines: [Int] = []
        var line = 2
        for row in 0..<200 {
            let note = row % 7 == 0 ? "\"a, \"\"quoted\"\"\nnote\"" : "plain"
            text += "\(row),\(note),class \(row % 3),\(row).5,\(-row)\n"
            expected += [Float(-row), Float(row) + 0.5]
            labels.append("class \(row % 3)")
            lines.append(line)
            line += row % 7 == 0 ? 2 : 1
            if row == 100 { text += "\n"; line += 1 }   // a blank line is skipped and counted
        }
        let path = try write(text)
        let reader = try CSVChunkReader(path: path, featureNames: ["x0", "x1"], targetColumn: "y", blockSize: 64)
        XCTAssertEqual(reader.ignoredColumns, ["id", "note"])
        let all = try readAll(reader)
        XCTAssertGreaterThan(all.chunks, 20)
        XCTAssertEqual(all.features, expected)
        XCTAssertEqual(all.targets, labels)
        XCTAssertEqual(all.lines, lines)
        let whole = try readAll(try CSVChunkReader(path: path, featureNames: ["x0", "x1"], targetColumn: "y"))
        XCTAssertEqual(whole.chunks, 1)
        XCTAssertEqual(whole.features, expected)
    }

    func testErrorsNameTheLineAndColumnAcrossBlocks() throws {
        var text = "a,b\n"
        for row in 0..<50 { text += "\(row),\(row)\n" }
        let bad = try write(text + "1,x\n")
        XCTAssertThrowsError(try readAll(try CSVChunkReader(path: bad, featureNames: ["a", "b"], blockSize: 64))) { error in
            XCTAssertEqual("\(error)", "\(bad): line 52, column 2 (\"b\"): \"x\" is not a number")
        }
        let empty = try write(text + "1,\n")
        XCTAssertThrowsError(try readAll(try CSVChunkReader(path: empty, featureNames: ["a", "b"], blockSize: 64))) { error in
            XCTAssertEqual("\(error)", "\(empty): line 52, column 2 (\"b\"): empty cell (missing value)")
        }
        let short = try write(text + "1\n")
        XCTAssertThrowsError(try readAll(try CSVChunkReader(path: short, featureNames: ["a"], blockSize: 64))) { error in
            XCTAssertTrue("\(error)".contains("line 52: expected 2 cells"), "\(error)")
        }
        XCTAssertThrowsError(try CSVChunkReader(path: short, featureNames: ["a", "c"])) { error in
            XCTAssertTrue("\(error)".contains("there is no column \"c\""), "\(error)")
            XCTAssertTrue("\(error)".contains("columns are: a, b"), "\(error)")
        }
        XCTAssertThrowsError(try CSVChunkReader(path: try write(""), featureNames: ["a"])) { error in
            XCTAssertTrue("\(error)".contains("the file is empty"), "\(error)")
        }
        let latin1 = FileManager.default.temporaryDirectory.appendingPathComponent("latin-\(UUID().uuidString).csv")
        try Data(Array(text.utf8) + Array("3,caf".utf8) + [0xE9] + Array("\n".utf8)).write(to: latin1)
        defer { try? FileManager.default.removeItem(at: latin1) }
        XCTAssertThrowsError(try readAll(try CSVChunkReader(path: latin1.path, featureNames: ["a"], blockSize: 64))) { error in
            XCTAssertTrue("\(error)".contains("line 52 is not UTF-8"), "\(error)")
        }
    }
}
