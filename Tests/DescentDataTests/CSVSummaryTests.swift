import XCTest
import DescentData

final class CSVSummaryTests: XCTestCase {
    func testCountsMissingCellsAndSummarisesColumns() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("gaps.csv").path
        try "x,y,label\n1,-2,b\n,4,a\n3,,b\n5,8,\n".write(toFile: path, atomically: true, encoding: .utf8)
        let summary = try CSVSummary.inspect(path: path)
        XCTAssertEqual(summary.rows, 4)
        XCTAssertEqual(summary.target, "label")
        XCTAssertEqual(summary.targetIndex, 2)
        XCTAssertEqual(summary.task, .classification)
        XCTAssertEqual(summary.classes, [ClassCount(name: "a", count: 1), ClassCount(name: "b", count: 2)])
        XCTAssertEqual(summary.columns.map(\.missing), [1, 1, 1])
        XCTAssertEqual(summary.columns[0].minimum, 1)
        XCTAssertEqual(summary.columns[0].maximum, 5)
        XCTAssertEqual(summary.columns[0].mean ?? 0, 3, accuracy: 1e-12)
        XCTAssertEqual(summary.columns[1].mean ?? 0, 10.0 / 3.0, accuracy: 1e-6)
        XCTAssertFalse(summary.columns[2].isNumeric)
        XCTAssertNil(summary.columns[2].mean)
        XCTAssertTrue(summary.json.hasPrefix("{\"file\":"))
        XCTAssertTrue(summary.json.contains("\"rows\":4"))
        XCTAssertTrue(summary.json.contains("\"classes\":[{\"name\":\"a\",\"count\":1},{\"name\":\"b\",\"count\":2}]"))
    }

    func testOtherMalformationsStillFail() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bad.csv").path
        try "x,label\n1,a\nfoo,b\n".write(toFile: path, atomically: true, encoding: .utf8)
        assertDataError(try CSVSummary.inspect(path: path), contains: ["bad.csv", "line 3", "column 1", "\"foo\""])
        assertDataError(try CSVSummary.inspect(path: path, targetColumn: "y"), contains: ["bad.csv", "unknown target column \"y\""])
    }
}
