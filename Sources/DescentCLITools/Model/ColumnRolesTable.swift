import DescentCLIShared
import DescentCLITrain
import DescentData
import DescentFiles
import Foundation

/// `descent inspect F.csv`'s table of column roles: each column's inferred (or given) role, distinct values,
/// missing cells and what training will do with it (the preprocessing fitted on the whole file here;
/// training fits it on its training part, so a level's count may differ).
///
/// ```
/// column             role         distinct  missing  training
/// rownames           identifier        344        0  dropped (every value distinct, a run 1 … 344 (a row number))
/// island             categorical         3        0  one-hot, 3 levels
/// bill_length_mm     numeric           164        2  standardised, missing → median 44.45 + bill_length_mm_missing
/// ```
struct ColumnRolesTable {
    struct Row: Encodable {
        var name: String, role: String, distinct: Int, missing: Int, training: String, reason: String
    }
    /// A column's statistics as `CSVSummary` gives them (numbers only for a numeric column).
    struct Statistics: Encodable {
        var name: String, numeric: Bool, count: Int, missing: Int, min: Double?, max: Double?, mean: Double?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: TrainSummary.Key.self)
            try container.encode(name, forKey: .init("name"))
            try container.encode(numeric, forKey: .init("numeric"))
            try container.encode(count, forKey: .init("count"))
            try container.encode(missing, forKey: .init("missing"))
            try container.encodeNumber(min, forKey: .init("min"))
            try container.encodeNumber(max, forKey: .init("max"))
            try container.encodeNumber(mean, forKey: .init("mean"))
        }
    }
    var rows: [Row] = []
    var statistics: [Statistics] = []
    var ignoredColumns: [String]

    init(table: RawTable, profile: TabularProfile, options: TabularOptions) throws {
        ignoredColumns = profile.ignoredColumns
        let preprocessing = try? TabularPreprocessing(fitting: table, profile: profile, options: options,
                                                      trainingRows: Array(0..<table.count))
        let isMissing = options.missingCellTest
        for column in profile.columns {
            var values: [Double] = []
            if column.isNumeric {
                for row in table.rows where !isMissing(row[column.index]) {
                    if let value = column.numberFormat.parse(row[column.index]), value.isFinite { values.append(Double(Float(value))) }
                }
            }
            statistics.append(Statistics(name: column.name, numeric: column.isNumeric, count: table.count - column.missing,
                                         missing: column.missing, min: values.min(), max: values.max(),
                                         mean: values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)))
            var training: String
            switch column.role {
            case .target: training = "predicted"
            case .identifier, .constant, .ignored: training = "dropped (\(column.reason))"
            case .date:
                let parts = (preprocessing?.columns ?? []).filter { $0.name == column.name }.compactMap(\.datePart)
                training = "date parts: " + parts.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }.joined(separator: ", ")
                    + ", standardised" + (column.missing > 0 ? ", missing → median + \(column.name)_missing" : "")
            case .numeric, .boolean, .categorical:
                let encoding = preprocessing?.columns.first { $0.name == column.name }
                switch encoding?.kind {
                case .categorical:
                    let levels = (encoding?.levels?.count ?? 1) - 1
                    training = encoding?.embeddingDimension.map { "embedding, \(levels) levels × \($0)" } ?? "one-hot, \(levels) levels"
                    if encoding?.levels?.contains(ColumnEncoding.otherLevel) == true {
                        training += " (values seen < \(options.minimumCategoryCount) times share (other))"
                    }
                case .numeric, .boolean:
                    training = (column.role == .boolean ? "0/1, " : "") + (column.numberFormat == .thousandsSeparators
                        ? "read as 1,234 = 1234, " : column.numberFormat == .decimalComma ? "read as 27,5 = 27.5, "
                        : column.numberFormat.isAccounting ? "read as ($1,234.50) = -1234.5, 12% = 12, " : "") + "standardised"
                    if column.missing > 0 {
                        training += ", missing → median \(String(format: "%.4g", encoding?.median ?? 0)) + \(column.name)_missing"
                    }
                case nil: training = "-"
                }
            }
            rows.append(Row(name: column.name, role: column.role.rawValue, distinct: column.distinct, missing: column.missing,
                            training: training, reason: column.reason))
        }
    }

    /// The table as printed lines.
    var lines: [String] {
        let width = max(6, rows.map(\.name.count).max() ?? 0)
        func pad(_ text: String, _ size: Int, right: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, size - text.count))
            return right ? padding + text : text + padding
        }
        var lines = ["column roles:", "  " + pad("column", width) + "  " + pad("role", 12) + pad("distinct", 9, right: true)
            + pad("missing", 9, right: true) + "  training"]
        for row in rows {
            lines.append("  " + pad(row.name, width) + "  " + pad(row.role, 12) + pad(String(row.distinct), 9, right: true)
                + pad(String(row.missing), 9, right: true) + "  " + row.training)
        }
        lines.append("ignored columns: " + (ignoredColumns.isEmpty ? "none" : ignoredColumns.joined(separator: ", ")))
        return lines
    }

    /// `"roles":[{"name":…,"role":…,"distinct":…,"missing":…,"training":…,"reason":…}],"ignored_columns":[…]`.
    var jsonFields: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let roles = (try? encoder.encode(rows)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        let ignored = (try? encoder.encode(ignoredColumns)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return "\"roles\":\(roles),\"ignored_columns\":\(ignored)"
    }

    /// `"columns":[{"name":…,"numeric":…,"count":…,"missing":…,"min":…,"max":…,"mean":…}]`, as for a plain numeric file.
    var columnsJSONField: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return "\"columns\":" + ((try? encoder.encode(statistics)).map { String(decoding: $0, as: UTF8.self) } ?? "[]")
    }
}

extension InspectCommand {
    /// A raw table (text, missing cells, dropped columns): rows, the roles table, the target and its classes.
    func inspectRawTable(table: RawTable, profile: TabularProfile, roles: ColumnRolesTable, options: TabularOptions) throws {
        let targetIndex = profile.targetIndex
        let targetName = table.header[targetIndex]
        let isMissing = options.missingCellTest
        var texts: [String] = [], lines: [Int] = []
        for (row, cells) in table.rows.enumerated() where !isMissing(cells[targetIndex]) {
            texts.append(cells[targetIndex])
            lines.append(table.lines[row])
        }
        guard !texts.isEmpty else {
            throw DataError.invalidCSV(file: file, "target column \"\(targetName)\" (column \(targetIndex + 1)) has no values: every cell is missing")
        }
        texts = TabularDataset.plainTexts(texts, format: profile.columns[targetIndex].numberFormat)
        let targets = try TabularDataset.targets(texts: texts, lines: lines, task: options.task, file: file, column: targetIndex, name: targetName)
        print("\(file): \(table.count) rows, \(table.header.count) columns"
              + (table.delimiter == RawTable.comma ? "" : " (separated by \(RawTable.named(table.delimiter)))")
              + (table.readAsWindows1252 ? " (not UTF-8: read as Windows-1252, Latin-1)" : ""))
        for line in roles.lines { print(line) }
        let dropped = table.count - texts.count
        if dropped > 0 { print("rows without a target (dropped in training): \(dropped)") }
        print("target: \(targetName) (column \(targetIndex + 1)), task: \(targets.task.rawValue) (\(options.task == nil ? "inferred" : "given"))")
        var classes: [(String, Int)] = []
        if let names = targets.classNames, let indices = targets.classIndices {
            var counts = [Int](repeating: 0, count: names.count)
            for index in indices { counts[index] += 1 }
            classes = Array(zip(names, counts))
            print("classes: \(names.count)")
            let width = max(5, names.map(\.count).max() ?? 0)
            for (name, count) in classes {
                print("  " + name + String(repeating: " ", count: max(0, width - name.count)) + "  " + String(count))
            }
        }
        if json {
            let classText = classes.map { "{\"count\":\($0.1),\"name\":\(JSONValue.quoted($0.0))}" }.joined(separator: ",")
            print("{\"file\":\(JSONValue.quoted(file)),\"rows\":\(table.count),\"target\":\(JSONValue.quoted(targetName)),"
                + "\"task\":\"\(targets.task.rawValue)\",\"classes\":[\(classText)],\"rows_without_target\":\(dropped),"
                + roles.columnsJSONField + "," + roles.jsonFields + "}")
        }
    }
}
