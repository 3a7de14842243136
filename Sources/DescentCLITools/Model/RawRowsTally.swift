import DescentData
import Foundation

/// What `predict` and `evaluate` saw while streaming a raw table through a model's preprocessing, block by block
/// (`RawTableReader`): rows read and encoded, rows skipped for a malformed cell (the first 20 errors kept, the
/// rest counted), unseen categories per column, unreadable cells per column.
///
/// ```swift
/// var tally = RawRowsTally()
/// tally.add(encoding, rows: block.count)            // for each block
/// if let error = tally.columnKindError(preprocessing, file: "new.csv") { throw error }   // at the end
/// tally.report(file: "new.csv")                     // "skipped: new.csv: line 7, column 4 …", exit status 3
/// ```
struct RawRowsTally {
    /// The skipped rows' errors printed at most.
    static let errorsShown = 20

    private(set) var rows = 0
    private(set) var rowsKept = 0
    private(set) var skippedCount = 0
    private(set) var firstSkipped: [DataError] = []
    private(set) var unknownCategories: [String: Int] = [:]
    private(set) var malformedCells: [Int] = []

    /// Cells read as "(unknown)".
    var unknownCount: Int { unknownCategories.values.reduce(0, +) }

    /// Adds one block: `rows` rows given to the preprocessing, encoded as `encoding`.
    mutating func add(_ encoding: TabularEncoding, rows blockRows: Int) {
        rows += blockRows
        rowsKept += encoding.rowsKept.count
        skippedCount += encoding.skipped.count
        firstSkipped += encoding.skipped.prefix(Swift.max(0, Self.errorsShown - firstSkipped.count))
        unknownCategories.merge(encoding.unknownCategories, uniquingKeysWith: +)
        if malformedCells.count < encoding.malformedCells.count {
            malformedCells += [Int](repeating: 0, count: encoding.malformedCells.count - malformedCells.count)
        }
        for (column, count) in encoding.malformedCells.enumerated() { malformedCells[column] += count }
    }

    /// Whether the first block is still to come (it is judged on its own: a file of another kind fails before any output).
    var isFirstBlock: Bool { rows == 0 }

    /// The whole file judged as one table: a column numeric in training and text in most rows here.
    func columnKindError(_ preprocessing: TabularPreprocessing?, file: String) -> DataError? {
        preprocessing?.columnKindError(malformedCells: malformedCells, rows: rows, file: file, example: firstSkipped.first)
    }

    /// Writes the skipped rows (at most 20, then a count) and the unseen categories to standard error.
    func report(file: String) {
        var text = ""
        for error in firstSkipped { text += "skipped: \(error)\n" }
        if skippedCount > firstSkipped.count { text += "skipped: … and \(skippedCount - firstSkipped.count) more rows\n" }
        if skippedCount > 0 {
            text += "note: \(file): \(skippedCount) row\(skippedCount == 1 ? "" : "s") skipped (malformed cells); exit status 3\n"
        }
        if unknownCount > 0 {
            text += "note: \(file): \(unknownCount) cell\(unknownCount == 1 ? "" : "s") with a category not seen in training, read as (unknown): "
                + unknownCategories.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        }
        if !text.isEmpty { FileHandle.standardError.write(Data(text.utf8)) }
    }
}
