/// A raw CSV file read a few megabytes of rows at a time, each block a `RawTable` with the file's header:
/// what `descent predict` and `descent evaluate` stream through a model's `TabularPreprocessing`, so their
/// memory does not grow with the number of rows.
///
/// The rules are `RawTable.read`'s (RFC 4180 quoting, blank lines skipped, an empty header name read as
/// `column_N`, a row with another number of cells than the header an error naming its line), applied one
/// block (`CSVRecordBlocks`) at a time; each block's rows keep their lines in the file. A block that is not UTF-8 is
/// read as Windows-1252 (`Windows1252`), as `RawTable.read` reads such a file.
///
/// ```swift
/// // new.csv: the penguins' columns in any order, 1,000,000 rows
/// let reader = try RawTableReader(path: "new.csv")
/// reader.header               // ["rownames", "species", "island", …]
/// while let rows = try reader.next() {
///     rows.count              // the rows of about 4 MB of the file
///     rows.lines.first        // 2 for the first block (the header is line 1)
/// }
/// ```
public final class RawTableReader {
    public let file: String
    /// The header row's names (checked as `RawTable` checks them).
    public let header: [String]
    /// The data rows read so far.
    public private(set) var rowsRead = 0
    /// The delimiter found in the header line (`RawTable.delimiter(of:)`).
    public private(set) var delimiter = RawTable.comma
    private let blocks: CSVRecordBlocks

    /// Opens `path` and reads its header row.
    /// - Parameter blockSize: bytes read at a time (a record longer than that is read whole).
    /// - Throws: `DataError` naming the file: no such file, an empty file, an empty or repeated column name.
    public init(path: String, blockSize: Int = 4 << 20) throws {
        file = path
        blocks = try CSVRecordBlocks(path: path, blockSize: blockSize, readsWindows1252: true)
        var found: (names: [String], line: Int)?
        var delimiter = RawTable.comma
        while found == nil {
            guard let bytes = try blocks.next() else {
                throw DataError.invalidCSV(file: path, "the file is empty: expected a header row naming the columns")
            }
            delimiter = RawTable.delimiter(of: bytes)
            let consumed = try bytes.withUnsafeBufferPointer { [blocks, delimiter] buffer -> Int? in
                var tokenizer = CSVTokenizer(bytes: buffer, file: path, delimiter: delimiter, firstLine: blocks.line)
                var fields: [CSVField] = []
                defer { blocks.line = tokenizer.line }
                guard let line = try tokenizer.nextRecord(&fields) else { return nil }
                found = (fields.map { tokenizer.string($0) }, line)
                return tokenizer.position
            }
            // Only blank lines so far: go on (the line count is kept).
            if let consumed { blocks.putBack(bytes[consumed...]) }
        }
        guard let found else { throw DataError.invalidCSV(file: path, "the file is empty: expected a header row naming the columns") }
        header = try RawTable.header(found.names, file: path, line: found.line)
        self.delimiter = delimiter
    }

    /// The next block of rows (never empty), or nil at the end of the file.
    /// - Throws: `DataError` naming the line: a row whose number of cells is not the header's, text that is not UTF-8.
    public func next() throws -> RawTable? {
        while let bytes = try blocks.next() {
            var table = RawTable(file: file, header: header, rows: [], lines: [])
            table.delimiter = delimiter
            let width = header.count
            try bytes.withUnsafeBufferPointer { [blocks, header, file, delimiter] buffer in
                var tokenizer = CSVTokenizer(bytes: buffer, file: file, delimiter: delimiter, firstLine: blocks.line)
                var fields: [CSVField] = []
                while let line = try tokenizer.nextRecord(&fields) {
                    guard fields.count == width else {
                        throw RawTable.widthError(header: header, cells: fields.map { tokenizer.string($0) }, file: file, line: line,
                                                  delimiter: delimiter)
                    }
                    table.rows.append(fields.map { tokenizer.string($0) })
                    table.lines.append(line)
                }
                blocks.line = tokenizer.line
            }
            if table.count > 0 {
                rowsRead += table.count
                return table
            }
        }
        return nil
    }
}
