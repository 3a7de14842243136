import DescentData
import Foundation
import XCTest

/// A raw table streamed in blocks (`RawTableReader`) is the table `RawTable.read` gives for the whole file.
final class RawTableReaderTests: XCTestCase {
    private func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("raw-blocks-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Tiny blocks (64 bytes) cut the file inside quoted fields holding commas and line breaks, after a byte-order
    /// mark, an unnamed first column and a blank line: the header, rows and lines are those of the whole file.
    func testSmallBlocksGiveTheWholeTable() throws {
        var text = "\u{FEFF},color,size,label\r\n"
        for row in 1...150 {
            let color = row % 9 == 0 ? "\"dark, \"\"deep\"\"\nblue\"" : ["red", "green", "NA"][row % 3]
            text += "\(row),\(color),\(row % 7 == 0 ? "" : String(row % 11)),\(row % 2 == 0 ? "yes" : "no")\n"
            if row == 80 { text += "\n" }
        }
        let path = try write(text)
        let whole = try RawTable.read(path: path)
        XCTAssertEqual(whole.header, ["column_1", "color", "size", "label"])
        XCTAssertEqual(whole.rows[8][1], "dark, \"deep\"\nblue")
        let reader = try RawTableReader(path: path, blockSize: 64)
        XCTAssertEqual(reader.header, whole.header)
        var rows: [[String]] = [], lines: [Int] = [], blocks = 0
        while let block = try reader.next() {
            XCTAssertEqual(block.header, whole.header)
            XCTAssertGreaterThan(block.count, 0)
            rows += block.rows
            lines += block.lines
            blocks += 1
        }
        XCTAssertGreaterThan(blocks, 20)
        XCTAssertEqual(rows, whole.rows)
        XCTAssertEqual(lines, whole.lines)
        XCTAssertEqual(lines.last, 150 + 2 + 16)   // header, 150 rows, one blank line, 16 quoted line breaks
        XCTAssertEqual(reader.rowsRead, 150)
    }

    /// A short row in a later block names its line in the file; an empty file and a repeated name are refused
    /// as `RawTable.read` refuses them.
    func testErrorsNameTheLineAcrossBlocks() throws {
        var text = "a,b\n"
        for row in 1...40 { text += "\(row),x\n" }
        text += "41\n"
        let reader = try RawTableReader(path: try write(text), blockSize: 64)
        XCTAssertThrowsError(try { while try reader.next() != nil {} }()) { error in
            XCTAssertTrue("\(error)".contains("line 42"), "\(error)")
            XCTAssertTrue("\(error)".contains("expected 2 cells (as in the header), found 1"), "\(error)")
        }
        XCTAssertThrowsError(try RawTableReader(path: try write(""))) { error in
            XCTAssertTrue("\(error)".contains("the file is empty"), "\(error)")
        }
        // A repeated name is renamed as pandas renames it (RawTable.header), as `RawTable.read` does.
        XCTAssertEqual(try RawTableReader(path: try write("a,b,a\n1,2,3\n")).header, ["a", "b", "a.1"])
    }
}
