import Foundation

/// A CSV file read a few megabytes at a time, with the columns picked by name: what `descent predict`
/// and `descent evaluate` stream, so their memory does not grow with the number of rows.
///
/// The file is read in blocks of `blockSize` bytes; each block is cut after its last line break that
/// lies outside quotes (a quoted field may hold line breaks: an even number of `"` before a `\n` means
/// the `\n` ends a record), and the rest waits for the next block. Each chunk is tokenized with the
/// same RFC 4180 rules and the same strictness as ``Dataset/loadCSV(path:targetColumn:task:)``: a row
/// with the wrong number of cells, an empty, non-numeric, NaN or out-of-Float32-range feature cell is
/// an error naming the file, line and column. Columns that are neither features nor the target are
/// listed in ``ignoredColumns`` and not read.
///
/// ```swift
/// // new.csv: petal_width,sepal_length,species,petal_length,sepal_width  (any order, extra columns)
/// let reader = try CSVChunkReader(path: "new.csv",
///     featureNames: ["sepal_length", "sepal_width", "petal_length", "petal_width"])
/// reader.ignoredColumns            // ["species"]
/// while let chunk = try reader.next() {
///     chunk.rows                   // up to about 4 MB of rows
///     chunk.features               // row-major, columns in featureNames' order
/// }
/// ```
public final class CSVChunkReader {
    /// One block of rows.
    public struct Chunk: Sendable {
        /// Row-major `[rows, featureNames.count]`, in the order of the names asked for.
        public var features: [Float]
        /// The target cell of each row as text (empty when no target column was asked for).
        public var targetTexts: [String]
        /// The line each row starts on (1-based; the header is line 1 or later).
        public var lines: [Int]
        public var rows: Int { lines.count }
    }

    public let path: String
    /// The header row as in the file.
    public private(set) var header: [String] = []
    /// The names of the features read, in the order of `features` in each chunk.
    public let featureNames: [String]
    /// Index in `header` of each feature, in `featureNames`' order.
    public private(set) var featureColumns: [Int] = []
    /// Index in `header` of the target column (nil when none was asked for).
    public private(set) var targetColumn: Int?
    /// The header's columns that are neither a feature nor the target, in file order (not read).
    public private(set) var ignoredColumns: [String] = []

    private let blocks: CSVRecordBlocks

    /// Opens `path` and reads its header row.
    /// - Parameters:
    ///   - featureNames: the columns to read as features, by name, in this order.
    ///   - targetColumn: a column to read as text too (evaluation's labels); nil: none.
    ///   - blockSize: bytes read at a time (a record longer than that is read whole).
    /// - Throws: `DataError` naming the file: no such file, an empty file, a feature or target column the
    ///   header lacks (named, with the columns it has), a name that appears twice in the header.
    public init(path: String, featureNames: [String], targetColumn: String? = nil, blockSize: Int = 4 << 20) throws {
        blocks = try CSVRecordBlocks(path: path, blockSize: blockSize)
        self.path = path
        self.featureNames = featureNames
        // The header: read blocks until the first record is complete.
        var headerFields: [String] = []
        var headerLine = 1
        while true {
            guard let bytes = try blocks.next() else {
                throw DataError.invalidCSV(file: path, "the file is empty: expected a header row naming the columns")
            }
            let consumed = try bytes.withUnsafeBufferPointer { buffer -> Int? in
                var tokenizer = CSVTokenizer(bytes: buffer, file: path, firstLine: blocks.line)
                var fields: [CSVField] = []
                defer { blocks.line = tokenizer.line }
                guard let line = try tokenizer.nextRecord(&fields) else { return nil }
                headerLine = line
                headerFields = fields.map { tokenizer.string($0) }
                return tokenizer.position
            }
            if let consumed {
                blocks.putBack(bytes[consumed...])
                break
            }
            // Only blank lines so far: go on (the line count is kept).
        }
        header = headerFields
        if let blank = header.firstIndex(where: { $0.isEmpty }), header.count > 1 || blank != 0 {
            throw DataError.malformedCSV(file: path, line: headerLine, column: blank + 1, columnName: nil,
                                         "empty column name in the header row")
        }
        func index(of name: String, role: String) throws -> Int {
            guard let index = header.firstIndex(of: name) else {
                throw DataError.invalidCSV(file: path, "there is no column \"\(name)\" (\(role)); the file's columns are: "
                    + Self.listed(header))
            }
            if let second = header[(index + 1)...].firstIndex(of: name) {
                throw DataError.invalidCSV(file: path,
                    "column \"\(name)\" is ambiguous: columns \(index + 1) and \(second + 1) both have that name")
            }
            return index
        }
        featureColumns = try featureNames.map { try index(of: $0, role: "a feature the model was trained on") }
        self.targetColumn = try targetColumn.map { try index(of: $0, role: "the target") }
        let used = Set(featureColumns + (self.targetColumn.map { [$0] } ?? []))
        ignoredColumns = header.indices.filter { !used.contains($0) }.map { header[$0] }
    }

    /// The next block of rows, or nil at the end of the file.
    public func next() throws -> Chunk? {
        while let bytes = try blocks.next() {
            let chunk = try parse(bytes)
            if chunk.rows > 0 { return chunk }
        }
        return nil
    }

    /// Tokenizes whole records; advances the line count past them.
    private func parse(_ bytes: [UInt8]) throws -> Chunk {
        let width = header.count
        var features: [Float] = []
        features.reserveCapacity(bytes.count / 2)
        var targets: [String] = []
        var lines: [Int] = []
        try bytes.withUnsafeBufferPointer { buffer in
            var tokenizer = CSVTokenizer(bytes: buffer, file: path, firstLine: blocks.line)
            var fields: [CSVField] = []
            while let line = try tokenizer.nextRecord(&fields) {
                guard fields.count == width else {
                    throw DataError.malformedCSV(file: path, line: line, column: nil, columnName: nil,
                        "expected \(width) cells (as in the header), found \(fields.count)")
                }
                for column in featureColumns {
                    guard let value = try CSVTable.feature(fields[column], of: tokenizer, file: path, line: line, column: column,
                                                           name: header[column]) else {
                        throw DataError.malformedCSV(file: path, line: line, column: column + 1, columnName: header[column],
                                                     "empty cell (missing value)")
                    }
                    features.append(value)
                }
                if let targetColumn {
                    let text = tokenizer.string(fields[targetColumn])
                    if text.isEmpty {
                        throw DataError.malformedCSV(file: path, line: line, column: targetColumn + 1, columnName: header[targetColumn],
                                                     "empty target cell (missing value)")
                    }
                    targets.append(text)
                }
                lines.append(line)
            }
            blocks.line = tokenizer.line
        }
        return Chunk(features: features, targetTexts: targets, lines: lines)
    }

    /// The names, cut after 20.
    public static func listed(_ names: [String]) -> String {
        names.count > 20 ? names.prefix(20).joined(separator: ", ") + ", … (\(names.count) in all)" : names.joined(separator: ", ")
    }
}
