import DescentFiles
import Foundation

/// A CSV file read as text: the header and every cell as a string, with the line each row starts on —
/// the input of column-role inference (`TabularProfile`) and of `TabularPreprocessing`, which decide
/// what the cells mean.
///
/// Quoting follows RFC 4180 (`"a, b"`); a UTF-8 byte-order mark is skipped; a file that is not UTF-8 is read as
/// Windows-1252 (Latin-1 and Excel's "CSV" on Windows; `readAsWindows1252`); blank lines are skipped; lines may
/// end in `\n` or `\r\n`. The delimiter is found in the header line (`delimiter(of:)`): a comma when the line
/// holds one outside quotes, else the most frequent of `;`, tab and `|` (a European spreadsheet's export, a TSV
/// file), so `a;b;y` is three columns. An empty column name in the header (R's `write.csv` row names) is read as
/// `column_N` (N from 1), a repeated name `name.1`, `name.2` (pandas' names). A row with a different number of cells than the header is an error naming its line
/// (with a hint when the row is separated by another delimiter than the header: a file must use one).
///
/// ```swift
/// // penguins.csv: rownames,species,island,bill_length_mm,…
/// let table = try RawTable.read(path: "penguins.csv")
/// table.header.count      // 9
/// table.rows[0][2]        // "Torgersen"
/// table.lines[0]          // 2
/// table.contentSHA256     // as `sha256sum penguins.csv` prints it
/// ```
public struct RawTable: Sendable, Equatable {
    /// The file (or source) named in errors.
    public var file: String
    /// The column names of the header row.
    public var header: [String]
    /// The cells of each data row, in header order.
    public var rows: [[String]]
    /// The 1-based line on which each row starts.
    public var lines: [Int]
    /// The SHA-256 of the bytes the table was read from (64 hex digits, as `sha256sum` prints them); nil for a
    /// table built in memory. The data set made from it carries it (`Dataset.contentSHA256`), so a checkpoint
    /// knows a raw table by its contents, as it knows a numeric CSV file.
    public var contentSHA256: String?
    /// The byte that separates the cells: `,` (`comma`), or `;`, tab or `|` when the header line is separated by one.
    public var delimiter: UInt8 = RawTable.comma
    /// Whether the bytes were not UTF-8 and were read as Windows-1252 (`Windows1252`: Excel's "CSV" on Windows, Latin-1).
    public var readAsWindows1252 = false
    /// Whether a header name was empty or repeated and was renamed (`column_N`, `name.1`).
    public var renamedHeader = false
    /// Whether the plain-numbers reader (`Dataset.loadCSV`) reads these bytes as they are: commas, UTF-8, no header name
    /// renamed. Else a table of numbers goes through `TabularDataset` too.
    public var isPlainCSV: Bool { delimiter == RawTable.comma && !readAsWindows1252 && !renamedHeader }

    public init(file: String, header: [String], rows: [[String]], lines: [Int], contentSHA256: String? = nil) {
        self.file = file
        self.header = header
        self.rows = rows
        self.lines = lines
        self.contentSHA256 = contentSHA256
    }

    /// `,`, the delimiter of a CSV file.
    public static let comma = UInt8(ascii: ",")
    /// The delimiters other than the comma a file may be separated by: `;`, tab, `|`.
    static let otherDelimiters: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    /// The delimiter of a file whose bytes begin with `bytes`, from its first non-blank line (the header), counting
    /// only bytes outside double quotes: a comma when there is one (a file of commas with a stray `;` row is then a
    /// file mixing delimiters, an error naming the line), else the most frequent of `;`, tab and `|`, else a comma.
    ///
    /// ```swift
    /// RawTable.delimiter(of: Array("a;b;\"c;d\"\n1;2;3\n".utf8))   // UInt8(ascii: ";")
    /// RawTable.delimiter(of: Array("a,b;c\n".utf8))                  // UInt8(ascii: ",")
    /// ```
    public static func delimiter(of bytes: some Collection<UInt8>) -> UInt8 {
        var counts: [UInt8: Int] = [:]
        var quoted = false
        var seenText = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle(); seenText = true; continue }
            if !quoted && (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")) {
                if seenText { break }
                continue
            }
            if byte != 0xEF && byte != 0xBB && byte != 0xBF { seenText = true }
            if !quoted && (byte == comma || otherDelimiters.contains(byte)) { counts[byte, default: 0] += 1 }
        }
        if counts[comma, default: 0] > 0 { return comma }
        return otherDelimiters.max { counts[$0, default: 0] < counts[$1, default: 0] }.flatMap { counts[$0, default: 0] > 0 ? $0 : nil }
            ?? comma
    }

    /// A delimiter in words: "commas", "';'", "tabs", "'|'".
    public static func named(_ delimiter: UInt8) -> String {
        delimiter == comma ? "commas" : delimiter == UInt8(ascii: "\t") ? "tabs" : "'\(Character(Unicode.Scalar(delimiter)))'"
    }

    /// The number of data rows.
    public var count: Int { rows.count }

    /// The 0-based position of the column `name`, nil if the header has none.
    public func index(of name: String) -> Int? { header.firstIndex(of: name) }

    /// Reads `path` (UTF-8 CSV with a header row); `contentSHA256` is the digest of its bytes.
    /// - Throws: `DataError` naming the file, and the line where there is one.
    public static func read(path: String) throws -> RawTable {
        let bytes = try CSVTable.readFile(path)
        var table = try parse(bytes: bytes, file: path)
        table.contentSHA256 = SHA256.hex(bytes)
        return table
    }

    /// Parses CSV bytes held in memory; `file` names them in errors.
    public static func parse(bytes: [UInt8], file: String) throws -> RawTable {
        if bytes.starts(with: [0x93] + Array("NUMPY".utf8)) { try CSVTable.checkText(bytes, file: file) }
        // Not UTF-8: Windows-1252 (Latin-1), where every byte is a character, as Excel on Windows saves "CSV".
        let isWindows1252 = CSVTable.firstNonUTF8(bytes) != nil
        let bytes = isWindows1252 ? Windows1252.utf8(from: bytes) : bytes
        let delimiter = Self.delimiter(of: bytes.prefix(1 << 20))
        return try bytes.withUnsafeBufferPointer { buffer in
            var tokenizer = CSVTokenizer(bytes: buffer, file: file, delimiter: delimiter)
            var fields: [CSVField] = []
            guard let headerLine = try tokenizer.nextRecord(&fields) else {
                throw DataError.invalidCSV(file: file, "the file is empty: expected a header row naming the columns")
            }
            let names = fields.map { tokenizer.string($0) }
            let header = try Self.header(names, file: file, line: headerLine)
            let width = header.count
            var rows: [[String]] = []
            var lines: [Int] = []
            while let line = try tokenizer.nextRecord(&fields) {
                guard fields.count == width else {
                    throw Self.widthError(header: header, cells: fields.map { tokenizer.string($0) }, file: file, line: line,
                                          delimiter: delimiter)
                }
                rows.append(fields.map { tokenizer.string($0) })
                lines.append(line)
            }
            guard !rows.isEmpty else { throw DataError.invalidCSV(file: file, "no data rows after the header") }
            var table = RawTable(file: file, header: header, rows: rows, lines: lines)
            table.delimiter = delimiter
            table.readAsWindows1252 = isWindows1252
            table.renamedHeader = header != names
            return table
        }
    }

    /// The header row's names checked: an empty name (R's `write.csv` leaves the row-name column unnamed) becomes
    /// "column_N", as pandas' "Unnamed: N"; a name seen before in the row becomes "name.1" (then ".2" …), as pandas
    /// renames it; a header of one empty name is an error.
    static func header(_ names: [String], file: String, line: Int) throws -> [String] {
        var header = names
        if header.count == 1 && header[0].isEmpty {
            throw DataError.malformedCSV(file: file, line: line, column: 1, columnName: nil, "empty column name in the header row")
        }
        for index in header.indices where header[index].isEmpty { header[index] = "column_\(index + 1)" }
        // A name seen before becomes "name.1", "name.2" … (the first suffix no column has), as pandas' read_csv renames it.
        var taken = Set(header)
        var seen: Set<String> = []
        // Each name's search goes on from its last suffix (every one below it is taken, and stays so): a header of
        // 50 000 columns named "a" took minutes, each search starting again at ".1".
        var nextSuffix: [String: Int] = [:]
        for index in header.indices {
            let name = header[index]
            if seen.contains(name) {
                var suffix = nextSuffix[name] ?? 1
                while taken.contains("\(name).\(suffix)") { suffix += 1 }
                nextSuffix[name] = suffix + 1
                header[index] = "\(name).\(suffix)"
                taken.insert(header[index])
            }
            seen.insert(header[index])
        }
        return header
    }

    /// A row of `cells` where the header has another number of cells, with a hint when the header is one column
    /// holding `;`, tabs or `|`, or when the row is separated by another delimiter than the header's.
    ///
    /// ```
    /// a.csv: line 51: expected 4 cells (as in the header), found 1; the line is separated by ';', the header by
    /// commas: a file must use one delimiter
    /// ```
    static func widthError(header: [String], cells: [String], file: String, line: Int, delimiter: UInt8 = comma) -> DataError {
        var hint = delimiterHint(header: header)
        if hint.isEmpty && header.count > 1, cells.count < header.count {
            let text = cells.joined(separator: String(Character(Unicode.Scalar(delimiter))))
            if let separator = ([comma] + otherDelimiters).filter({ $0 != delimiter }).first(where: { separator in
                text.split(separator: Character(Unicode.Scalar(separator)), omittingEmptySubsequences: false).count == header.count }) {
                hint = "; the line is separated by \(named(separator)), the header by \(named(delimiter)): a file must use one delimiter"
            }
        }
        return DataError.malformedCSV(file: file, line: line, column: nil, columnName: nil,
                                      "expected \(header.count) cells (as in the header), found \(cells.count)" + hint)
    }

    /// "; the header is a single column containing ';': columns must be separated by commas" when the header is one
    /// column holding `;`, tabs or `|` (a file separated by another delimiter); "" otherwise. Added to the errors that
    /// list a file's columns (an unknown target, a column a model reads).
    public static func delimiterHint(header: [String]) -> String {
        guard header.count == 1, let separator = [";", "\t", "|"].first(where: { header[0].contains($0) }) else { return "" }
        return "; the header is a single column containing \(separator == "\t" ? "tabs" : "'\(separator)'"): columns must be separated by commas"
    }
}
