import Foundation
import DescentTensor

/// A CSV file split into a numeric feature matrix and the raw text of the target column.
///
/// Internal: `Dataset.loadCSV` (strict) and `CSVSummary` (lenient about empty
/// cells) both build on it. In strict mode an empty feature cell is an error; in
/// lenient mode it becomes `Float.nan` and is counted in `missing`.
struct CSVTable {
    var file: String
    var header: [String]
    var targetIndex: Int
    /// Indices (into `header`) of the feature columns, in file order.
    var featureColumns: [Int]
    /// Row-major `[rows, featureColumns.count]`; NaN marks a missing cell (lenient mode only).
    var features: [Float]
    /// The target cell of each row, as text ("" when missing, lenient mode only).
    var targetTexts: [String]
    /// The line each row starts on (1-based; the header is line 1 or later).
    var lines: [Int]
    /// Missing cells per feature column (lenient mode).
    var missing: [Int]
    var rows: Int { lines.count }

    /// Reads and parses `path`; `targetColumn` nil means the last column.
    static func read(path: String, targetColumn: String?, allowMissing: Bool) throws -> CSVTable {
        let bytes = try readFile(path)
        return try parse(bytes: bytes, file: path, targetColumn: targetColumn, allowMissing: allowMissing)
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError.io(file: path, "no such file")
        }
        guard !isDirectory.boolValue else { throw DataError.io(file: path, "is a directory, not a file") }
        try refuseDevice(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError.io(file: path, "cannot be read")
        }
        return [UInt8](data)
    }

    /// Refuses a character or block device as a data file: `/dev/zero` never ends (predict read it until memory ran
    /// out; train said only "cannot be read"). A FIFO or pipe (`--csv /dev/stdin` fed by `cat`) is read as a file.
    static func refuseDevice(_ path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else { return }
        let type = status.st_mode & S_IFMT
        if type == S_IFCHR || type == S_IFBLK { throw DataError.io(file: path, "is a device, not a file") }
    }

    /// A feature cell as Float32, nil for an empty cell; NaN, a number beyond Float32's range and text
    /// that is not a decimal number are errors naming the file, line and column.
    static func feature(_ field: CSVField, of tokenizer: CSVTokenizer, file: String, line: Int, column: Int,
                        name: String) throws -> Float? {
        if let value = tokenizer.number(field) {
            let single = Float(value)
            if value.isNaN {
                throw DataError.malformedCSV(file: file, line: line, column: column + 1, columnName: name, "NaN is not allowed")
            }
            if single.isInfinite {
                throw DataError.malformedCSV(file: file, line: line, column: column + 1, columnName: name,
                    "\(tokenizer.string(field)) is out of the Float32 range (±3.4028235e38)")
            }
            return single
        }
        if tokenizer.isEmpty(field) { return nil }
        throw DataError.malformedCSV(file: file, line: line, column: column + 1, columnName: name, notANumber(tokenizer.string(field)))
    }

    /// Why a cell is not read as a number, with the cell cut to 80 characters.
    /// Example: `notANumber("0x10")` is "\"0x10\" is not a decimal number (hexadecimal is not read)".
    static func notANumber(_ text: String) -> String {
        let shown = text.count > 80 ? String(text.prefix(60)) + "… (\(text.count) characters)" : text
        let quoted = "\"" + shown.replacing("\0", with: "\\0") + "\""
        if text.contains("\0") { return "\(quoted) contains a NUL byte: not a number" }
        if text.lowercased().hasPrefix("0x") || text.lowercased().hasPrefix("-0x") || text.lowercased().hasPrefix("+0x") {
            return "\(quoted) is not a decimal number (hexadecimal is not read)"
        }
        return "\(quoted) is not a number"
    }

    /// Refuses what is not CSV text before tokenizing: a NumPy `.npy` file (its magic `\x93NUMPY`),
    /// a safetensors file, and bytes that are not UTF-8 (naming the first such line).
    static func checkText(_ bytes: [UInt8], file: String) throws {
        if bytes.starts(with: [0x93] + Array("NUMPY".utf8)) {
            throw DataError.invalidCSV(file: file, "is a NumPy .npy file, not CSV; inspect it with `descent inspect \(file)` "
                                       + "or save it as CSV (numpy.savetxt with a header row)")
        }
        if let (line, column, byte) = firstNonUTF8(bytes) {
            throw DataError.invalidCSV(file: file, "line \(line) is not UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true)) at "
                                       + "byte \(column) of the line, e.g. Latin-1); save the file as UTF-8")
        }
    }

    /// The line, 1-based byte column and value of the first byte that is not part of valid UTF-8.
    static func firstNonUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int, byte: UInt8)? {
        var index = 0, line = 1, lineStart = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == 0x0A { line += 1; lineStart = index + 1 }
                index += 1
                continue
            }
            let length: Int, minimum: UInt32
            switch byte {
            case 0xC2...0xDF: length = 2; minimum = 0x80
            case 0xE0...0xEF: length = 3; minimum = 0x800
            case 0xF0...0xF4: length = 4; minimum = 0x10000
            default: return (line, index - lineStart + 1, byte)
            }
            guard index + length <= count else { return (line, index - lineStart + 1, byte) }
            var scalar = UInt32(byte) & (0xFF >> (length + 1))
            for offset in 1..<length {
                let next = bytes[index + offset]
                guard next & 0xC0 == 0x80 else { return (line, index - lineStart + 1, byte) }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
                return (line, index - lineStart + 1, byte)
            }
            index += length
        }
        return nil
    }

    static func parse(bytes: [UInt8], file: String, targetColumn: String?, allowMissing: Bool) throws -> CSVTable {
        try checkText(bytes, file: file)
        return try bytes.withUnsafeBufferPointer { buffer in
            var tokenizer = CSVTokenizer(bytes: buffer, file: file)
            var fields: [CSVField] = []
            guard let headerLine = try tokenizer.nextRecord(&fields) else {
                throw DataError.invalidCSV(file: file, "the file is empty: expected a header row naming the columns")
            }
            let header = fields.map { tokenizer.string($0) }
            let targetIndex: Int
            if let targetColumn {
                guard let index = header.firstIndex(of: targetColumn) else {
                    throw DataError.invalidCSV(file: file,
                        "unknown target column \"\(targetColumn)\"; the columns are: \(header.joined(separator: ", "))")
                }
                if let second = header[(index + 1)...].firstIndex(of: targetColumn) {
                    throw DataError.invalidCSV(file: file,
                        "target column \"\(targetColumn)\" is ambiguous: columns \(index + 1) and \(second + 1) both have that name")
                }
                targetIndex = index
            } else {
                targetIndex = header.count - 1
            }
            if let blank = header.firstIndex(where: { $0.isEmpty }), header.count > 1 || blank != 0 {
                throw DataError.malformedCSV(file: file, line: headerLine, column: blank + 1, columnName: nil,
                                             "empty column name in the header row")
            }
            let featureColumns = (0..<header.count).filter { $0 != targetIndex }
            let width = header.count
            var features: [Float] = []
            features.reserveCapacity(featureColumns.count * max(16, buffer.count / max(1, 4 * width)))
            var targetTexts: [String] = []
            var lines: [Int] = []
            var missing = [Int](repeating: 0, count: featureColumns.count)
            while let line = try tokenizer.nextRecord(&fields) {
                guard fields.count == width else {
                    let separator = header.count == 1 ? [";", "\t", "|"].first { header[0].contains($0) } : nil
                    let hint = separator.map { s in
                        "; the header is a single column containing \(s == "\t" ? "tabs" : "'\(s)'"): columns must be separated by commas"
                    } ?? ""
                    throw DataError.malformedCSV(file: file, line: line, column: nil, columnName: nil,
                        "expected \(width) cells (as in the header), found \(fields.count)" + hint)
                }
                for (position, column) in featureColumns.enumerated() {
                    if let value = try Self.feature(fields[column], of: tokenizer, file: file, line: line, column: column,
                                                    name: header[column]) {
                        features.append(value)
                    } else {
                        guard allowMissing else {
                            throw DataError.malformedCSV(file: file, line: line, column: column + 1, columnName: header[column],
                                                         "empty cell (missing value)")
                        }
                        missing[position] += 1
                        features.append(.nan)
                    }
                }
                let targetText = tokenizer.string(fields[targetIndex])
                if targetText.isEmpty && !allowMissing {
                    throw DataError.malformedCSV(file: file, line: line, column: targetIndex + 1, columnName: header[targetIndex],
                                                 "empty target cell (missing value)")
                }
                targetTexts.append(targetText)
                lines.append(line)
            }
            guard !lines.isEmpty else {
                throw DataError.invalidCSV(file: file, "no data rows after the header")
            }
            return CSVTable(file: file, header: header, targetIndex: targetIndex, featureColumns: featureColumns,
                            features: features, targetTexts: targetTexts, lines: lines, missing: missing)
        }
    }

    /// Turns target texts into class indices or regression values.
    ///
    /// With `task` nil the task is inferred: any non-numeric target means
    /// classification; all-integer targets with at most `maximumInferredClasses`
    /// distinct values, fewer than the rows, also mean classification;
    /// anything else is regression.
    /// Rows whose target text is empty are skipped (they only occur in lenient mode).
    static func targets(texts: [String], lines: [Int], task: PredictionTask?, file: String,
                        column: Int, columnName: String) throws -> Targets {
        var numbers: [Double?] = []
        numbers.reserveCapacity(texts.count)
        for text in texts where !text.isEmpty { numbers.append(NumberParser.parse(text)) }
        let allNumeric = numbers.allSatisfy { $0 != nil }
        let allIntegral = allNumeric && numbers.allSatisfy { value in
            guard let value else { return false }
            return value.isFinite && value.rounded() == value && abs(value) < 1e15
        }
        let resolvedTask: PredictionTask
        if let task {
            resolvedTask = task
        } else if !allNumeric {
            resolvedTask = .classification
        } else if allIntegral {
            let distinct = Set(numbers.map { $0! }).count
            resolvedTask = distinct <= maximumInferredClasses && distinct < numbers.count ? .classification : .regression
        } else {
            resolvedTask = .regression
        }
        switch resolvedTask {
        case .regression:
            var values: [Float] = []
            values.reserveCapacity(texts.count)
            for (row, text) in texts.enumerated() where !text.isEmpty {
                guard let value = NumberParser.parse(text) else {
                    throw DataError.malformedCSV(file: file, line: lines[row], column: column + 1, columnName: columnName,
                        Self.notANumber(text) + " (the target of a regression must be numeric)")
                }
                if value.isNaN {
                    throw DataError.malformedCSV(file: file, line: lines[row], column: column + 1, columnName: columnName,
                                                 "NaN is not allowed")
                }
                if Float(value).isInfinite {
                    throw DataError.malformedCSV(file: file, line: lines[row], column: column + 1, columnName: columnName,
                                                 "\(text) is out of the Float32 range (±3.4028235e38)")
                }
                values.append(Float(value))
            }
            return .values(Tensor(values))
        case .classification:
            // Class names: integers (sorted by value) when every target is an integer, else the texts (sorted).
            var keys: [String] = []
            keys.reserveCapacity(texts.count)
            var names: [String]
            if allIntegral {
                var seen = Set<Int>()
                for text in texts where !text.isEmpty {
                    let value = Int(NumberParser.parse(text)!)
                    seen.insert(value)
                    keys.append(String(value))
                }
                names = seen.sorted().map { String($0) }
            } else {
                for text in texts where !text.isEmpty { keys.append(text) }
                names = Set(keys).sorted()
            }
            guard !names.isEmpty else {
                throw DataError.invalidCSV(file: file,
                    "target column \"\(columnName)\" (column \(column + 1)) has no classes: every target cell is empty")
            }
            guard names.count >= 2 else {
                throw DataError.invalidCSV(file: file,
                    "target column \"\(columnName)\" (column \(column + 1)) has a single class"
                    + (names.first.map { " \"\($0)\"" } ?? "") + "; classification needs at least two")
            }
            var indexOf: [String: Int] = [:]
            for (index, name) in names.enumerated() { indexOf[name] = index }
            return .classes(keys.map { indexOf[$0]! }, names: names)
        }
    }

    /// The largest number of distinct integer targets for which classification is inferred.
    static let maximumInferredClasses = 20
}
