import DescentData
import Foundation
import XCTest

/// A header of many columns with one name (a 100 MB line of "a,a,a,…"): renamed name.1, name.2 … as before, and read in
/// time linear in the columns (the renaming and the model's column positions each searched from the start per column:
/// 50 000 columns took 50 s in debug, 200 000 more than 2 minutes; now 1 s and 4 s).
final class RawTableWideHeaderTests: XCTestCase {
    func testManyRepeatedNamesAreRenamedWithTheFirstFreeSuffixes() throws {
        let count = 50_000
        let text = Array(repeating: "a", count: count).joined(separator: ",") + ",a.2\n"
            + Array(repeating: "1", count: count + 1).joined(separator: ",") + "\n"
        let table = try RawTable.parse(bytes: Array(text.utf8), file: "wide.csv")
        XCTAssertEqual(table.header.count, count + 1)
        XCTAssertEqual(Set(table.header).count, count + 1, "every name distinct")
        // The first suffix no column has: a, a.1, then a.3 (a.2 is a later column's own name), a.4, …
        XCTAssertEqual(Array(table.header.prefix(4)), ["a", "a.1", "a.3", "a.4"])
        XCTAssertEqual(table.header[count - 1], "a.\(count)")
        XCTAssertEqual(table.header[count], "a.2")
    }
}
