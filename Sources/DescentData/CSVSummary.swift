import DescentFiles
import DescentTensor

/// Per-column statistics of a CSV file, for looking at data before training on it.
public struct CSVColumnSummary: Sendable, Equatable {
    /// The header name.
    public var name: String
    /// Whether every non-empty cell is a number.
    public var isNumeric: Bool
    /// Non-empty cells.
    public var count: Int
    /// Empty cells.
    public var missing: Int
    /// Smallest, largest and mean value of the numeric cells (nil for text columns or no values).
    public var minimum: Float?
    public var maximum: Float?
    public var mean: Double?
}

/// One class of a classification target and how many rows have it.
public struct ClassCount: Sendable, Equatable {
    public var name: String
    public var count: Int

    public init(name: String, count: Int) {
        self.name = name
        self.count = count
    }
}

/// What a CSV file holds: its columns with range, mean and missing count, its
/// target column, the task the target implies and the classes with their counts.
///
/// Unlike `Dataset.loadCSV`, an empty cell is counted as missing instead of
/// being an error; every other malformation (wrong cell count, non-numeric
/// feature cell, NaN, out of Float32 range, unknown target, single class) is
/// the same `DataError` naming the file, line and column.
///
/// ```swift
/// let summary = try CSVSummary.inspect(path: "iris.csv")
/// summary.rows                 // 150
/// summary.target, summary.task // "species", .classification
/// summary.classes              // [0: 50, 1: 50, 2: 50]
/// summary.json                 // {"file":"iris.csv","rows":150,"columns":[...],"target":"species",...}
/// ```
public struct CSVSummary: Sendable, Equatable {
    public var file: String
    public var rows: Int
    /// All columns in file order, the target included.
    public var columns: [CSVColumnSummary]
    /// The target column's name and 0-based position.
    public var target: String
    public var targetIndex: Int
    /// The task: given, or inferred as `Dataset.loadCSV` infers it.
    public var task: PredictionTask
    /// Classes in index order with their counts (empty for regression).
    public var classes: [ClassCount]

    /// Reads `path` and summarises it; `targetColumn` nil means the last column.
    public static func inspect(path: String, targetColumn: String? = nil, task: PredictionTask? = nil) throws -> CSVSummary {
        let table = try CSVTable.read(path: path, targetColumn: targetColumn, allowMissing: true)
        let width = table.featureColumns.count
        // One row-major pass with per-column accumulators (NaN marks a missing cell).
        var minimums = [Float](repeating: .infinity, count: width)
        var maximums = [Float](repeating: -.infinity, count: width)
        var sums = [Double](repeating: 0, count: width)
        var counts = [Int](repeating: 0, count: width)
        table.features.withUnsafeBufferPointer { values in
            for row in 0..<table.rows {
                let base = row * width
                for position in 0..<width {
                    let value = values[base + position]
                    if value.isNaN { continue }
                    if value < minimums[position] { minimums[position] = value }
                    if value > maximums[position] { maximums[position] = value }
                    sums[position] += Double(value)
                    counts[position] += 1
                }
            }
        }
        var columns: [CSVColumnSummary] = []
        for (position, column) in table.featureColumns.enumerated() {
            let count = counts[position]
            columns.append(CSVColumnSummary(name: table.header[column], isNumeric: true, count: count,
                                            missing: table.missing[position],
                                            minimum: count > 0 ? minimums[position] : nil,
                                            maximum: count > 0 ? maximums[position] : nil,
                                            mean: count > 0 ? sums[position] / Double(count) : nil))
        }
        // The target column: present rows only.
        var texts: [String] = [], lines: [Int] = []
        for (row, text) in table.targetTexts.enumerated() where !text.isEmpty {
            texts.append(text)
            lines.append(table.lines[row])
        }
        let numbers = texts.map { NumberParser.parse($0) }
        let numeric = numbers.allSatisfy { $0 != nil && $0!.isFinite }
        let values = numeric ? numbers.map { Float($0!) } : []
        columns.insert(CSVColumnSummary(name: table.header[table.targetIndex], isNumeric: numeric, count: texts.count,
                                        missing: table.rows - texts.count,
                                        minimum: values.min(), maximum: values.max(),
                                        mean: values.isEmpty ? nil : values.reduce(0.0) { $0 + Double($1) } / Double(values.count)),
                       at: table.targetIndex)
        let targets = try CSVTable.targets(texts: texts, lines: lines, task: task, file: path,
                                           column: table.targetIndex, columnName: table.header[table.targetIndex])
        var classes: [ClassCount] = []
        if case let .classes(indices, names) = targets {
            var counts = [Int](repeating: 0, count: names.count)
            for index in indices { counts[index] += 1 }
            classes = zip(names, counts).map { ClassCount(name: $0, count: $1) }
        }
        return CSVSummary(file: path, rows: table.rows, columns: columns, target: table.header[table.targetIndex],
                          targetIndex: table.targetIndex, task: targets.task, classes: classes)
    }

    /// The summary as one line of JSON:
    /// `{"file":..,"rows":..,"columns":[{"name":..,"numeric":..,"min":..,"max":..,"mean":..,"missing":..}],
    /// "target":..,"task":..,"classes":[{"name":..,"count":..}]}`.
    public var json: String {
        func number(_ value: Float?) -> String { value.map { $0.isFinite ? "\($0)" : "null" } ?? "null" }
        func number(_ value: Double?) -> String { value.map { $0.isFinite ? "\($0)" : "null" } ?? "null" }
        let columnText = columns.map { column in
            "{\"name\":\(JSONValue.quoted(column.name)),\"numeric\":\(column.isNumeric),\"count\":\(column.count),"
                + "\"missing\":\(column.missing),\"min\":\(number(column.minimum)),\"max\":\(number(column.maximum)),"
                + "\"mean\":\(number(column.mean))}"
        }.joined(separator: ",")
        let classText = classes.map { "{\"name\":\(JSONValue.quoted($0.name)),\"count\":\($0.count)}" }.joined(separator: ",")
        return "{\"file\":\(JSONValue.quoted(file)),\"rows\":\(rows),\"columns\":[\(columnText)],"
            + "\"target\":\(JSONValue.quoted(target)),\"task\":\"\(task.rawValue)\",\"classes\":[\(classText)]}"
    }
}

extension SafetensorsHeader {
    /// The header as one line of JSON:
    /// `{"tensors":[{"name":..,"dtype":..,"shape":[..]}],"metadata":{..}}` (tensors in data order).
    public var json: String {
        let tensorText = tensors.map { info in
            "{\"name\":\(JSONValue.quoted(info.name)),\"dtype\":\"\(info.dtype.rawValue)\",\"shape\":["
                + info.shape.map(String.init).joined(separator: ",") + "]}"
        }.joined(separator: ",")
        let metadataText = metadata.keys.sorted().map { "\(JSONValue.quoted($0)):\(JSONValue.quoted(metadata[$0]!))" }
            .joined(separator: ",")
        return "{\"tensors\":[\(tensorText)],\"metadata\":{\(metadataText)}}"
    }

    /// The total number of elements in all tensors.
    public var elementCount: Int {
        tensors.reduce(0) { $0 + $1.dataOffsets.count / $1.dtype.byteCount }
    }
}
