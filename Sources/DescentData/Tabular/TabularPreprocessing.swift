import Foundation

/// The fitted preprocessing of a raw table: what turns its rows of text into the network's inputs, fitted on
/// the training part only and carried in the model file so that prediction applies exactly the same steps
/// (fastai's Categorify + FillMissing + Normalize; scikit-learn's ColumnTransformer).
///
/// A row's inputs are the dense block (each numeric/boolean column's standardised value and its
/// `<name>_missing` indicator, each one-hot column's indicators), then one code per embedded column
/// (see `ColumnEncoding`); `TabularInput` in DescentNN looks the codes up. Columns are found by name,
/// so a file at prediction may order its columns differently or hold more.
///
/// ```swift
/// let table = try RawTable.read(path: "penguins.csv")
/// let profile = try TabularProfile(table: table, options: TabularOptions(target: "species"))
/// let preprocessing = try TabularPreprocessing(fitting: table, profile: profile, options: TabularOptions(target: "species"),
///                                              trainingRows: Array(0..<275))
/// preprocessing.inputNames.prefix(3)   // ["island=(missing)"?, …] — one-hot island, then bill_length_mm, bill_length_mm_missing …
/// let encoded = try preprocessing.encode(table)
/// encoded.features.count               // 344 × preprocessing.inputWidth
/// ```
public struct TabularPreprocessing: Codable, Sendable, Equatable {
    /// The feature columns in input order.
    public var columns: [ColumnEncoding]
    /// The columns dropped in training, by name.
    public var ignoredColumns: [String]
    /// The texts read as missing cells.
    public var missingValues: [String]
    /// The target column and, for regression, its transform and standardisation.
    public var target: TargetEncoding

    enum CodingKeys: String, CodingKey {
        case columns, target
        case ignoredColumns = "ignored_columns", missingValues = "missing_values"
    }

    /// A regression target is transformed (`transform`), then standardised with the training part's
    /// mean and deviation; a prediction z becomes `transform⁻¹(z × standardDeviation + mean)`.
    public struct TargetEncoding: Codable, Sendable, Equatable {
        public var name: String
        public var transform: TargetTransform
        public var mean: Double?
        public var standardDeviation: Double?
        /// How the target's numbers are written when not plainly ("1,234"); nil: plain (or classes).
        public var numberFormat: NumberFormat?

        enum CodingKeys: String, CodingKey {
            case name, transform, mean, standardDeviation = "standard_deviation", numberFormat = "number_format"
        }

        public init(name: String, transform: TargetTransform, mean: Double?, standardDeviation: Double?,
                    numberFormat: NumberFormat? = nil) {
            (self.name, self.transform, self.mean, self.standardDeviation) = (name, transform, mean, standardDeviation)
            self.numberFormat = numberFormat
        }

        /// A network output (standardised) in the target's own units.
        public func original(_ value: Float) -> Float {
            var result = Double(value)
            if let mean, let standardDeviation { result = result * standardDeviation + mean }
            if transform == .log { result = Foundation.exp(result) }
            return Float(result)
        }
    }

    /// The number of dense inputs.
    public var denseWidth: Int { columns.reduce(0) { $0 + $1.denseWidth } }
    /// The embedded columns' tables: (rows, dimension), in input order.
    public var embeddingTables: [(count: Int, dimension: Int)] {
        columns.compactMap { column in column.embeddingDimension.map { ((column.levels?.count ?? 1), $0) } }
    }
    /// The inputs per row: the dense block, then one code per embedded column.
    public var inputWidth: Int { denseWidth + embeddingTables.count }
    /// A name for each input (the embedded columns' codes under the column's name).
    public var inputNames: [String] {
        columns.flatMap(\.denseNames) + columns.filter { $0.embeddingDimension != nil }.map(\.name)
    }

    /// Fits the encodings of `profile`'s feature columns on the rows `trainingRows` of `table`.
    /// - Throws: `DataError` naming the column when an embedding would not fit (`TabularOptions.embeddingParameterLimit`).
    public init(fitting table: RawTable, profile: TabularProfile, options: TabularOptions, trainingRows: [Int]) throws {
        let missingCells = options.missingCells
        var columns: [ColumnEncoding] = []
        for column in profile.featureColumns {
            var encoding = ColumnEncoding(name: column.name, kind: .numeric)
            if column.role == .date {
                columns += Self.dateEncodings(table: table, column: column, trainingRows: trainingRows, missingCells: missingCells)
                continue
            }
            switch column.role {
            case .numeric, .boolean:
                let trueText = column.role == .boolean ? Self.trueText(table: table, column: column.index, missingCells: missingCells) : nil
                var values: [Double] = []
                values.reserveCapacity(trainingRows.count)
                var missing = 0
                for row in trainingRows {
                    let cell = table.rows[row][column.index]
                    if missingCells.contains(cell) { missing += 1; continue }
                    if let trueText, let value = Self.booleanValue(cell, trueText: trueText) {
                        values.append(value)
                    } else if trueText == nil, let value = column.numberFormat.parse(cell) {
                        values.append(value)
                    } else {
                        throw DataError.malformedCSV(file: table.file, line: table.lines[row], column: column.index + 1,
                                                     columnName: column.name, CSVTable.notANumber(cell))
                    }
                }
                encoding.kind = column.role == .boolean ? .boolean : .numeric
                Self.fitNumber(&encoding, values: values, missing: missing)
                encoding.trueText = trueText
                encoding.numberFormat = column.numberFormat == .plain || trueText != nil ? nil : column.numberFormat
            case .categorical:
                var counts: [String: Int] = [:]
                var missing = 0
                for row in trainingRows {
                    let cell = table.rows[row][column.index]
                    if missingCells.contains(cell) { missing += 1 } else { counts[cell, default: 0] += 1 }
                }
                let frequent = counts.filter { $0.value >= options.minimumCategoryCount }.keys.sorted()
                let hasRare = frequent.count < counts.count
                var levels = [ColumnEncoding.unknownLevel]
                if hasRare { levels.append(ColumnEncoding.otherLevel) }
                if missing > 0 { levels.append(ColumnEncoding.missingLevel) }
                levels += frequent
                encoding.kind = .categorical
                encoding.levels = levels
                // Levels a row can have, "(unknown)" apart.
                if levels.count - 1 > options.oneHotLimit {
                    let dimension = ColumnEncoding.embeddingSize(levels: levels.count)
                    let parameters = Double(levels.count) * Double(dimension)
                    guard parameters <= Double(options.embeddingParameterLimit) else {
                        throw DataError.invalidCSV(file: table.file, "column \"\(column.name)\" has \(levels.count - 1) categories: its "
                            + "embedding (\(levels.count) × \(dimension) = \(Int(parameters)) parameters, \(Int(parameters * 4 / 1_000_000)) MB) "
                            + "is over the \(options.embeddingParameterLimit) allowed; --ignore \(column.name), or raise --min-category-count "
                            + "so rare values share one level")
                    }
                    encoding.embeddingDimension = dimension
                }
            default:
                continue
            }
            columns.append(encoding)
        }
        self.columns = columns
        ignoredColumns = profile.ignoredColumns
        missingValues = options.missingValues
        target = TargetEncoding(name: profile.columns[profile.targetIndex].name, transform: options.targetTransform, mean: nil,
                                standardDeviation: nil)
    }

    /// The fill value (the median of `values`), the standardisation of the filled values and the missing indicator.
    static func fitNumber(_ encoding: inout ColumnEncoding, values: [Double], missing: Int) {
        let median = Self.median(values)
        let filled = values + Array(repeating: median, count: missing)
        let mean = filled.isEmpty ? 0 : filled.reduce(0, +) / Double(filled.count)
        let variance = filled.isEmpty ? 0 : filled.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(filled.count)
        let deviation = variance.squareRoot()
        encoding.median = Float(median)
        encoding.mean = Float(mean)
        encoding.standardDeviation = deviation > 0 && Float(deviation).isNormal ? Float(deviation) : 1
        encoding.missingIndicator = missing > 0
    }

    /// A date column's numeric encodings, one per `DatePart` (the hour when the training part has times), fitted on
    /// the training rows; the first carries the missing indicator.
    static func dateEncodings(table: RawTable, column: ColumnProfile, trainingRows: [Int], missingCells: MissingCells) -> [ColumnEncoding] {
        var dates: [DateCell] = []
        var missing = 0
        for row in trainingRows {
            let cell = table.rows[row][column.index]
            if missingCells.contains(cell) { missing += 1 } else if let date = DateCell.parse(cell, order: column.dateOrder) { dates.append(date) } else { missing += 1 }
        }
        return DatePart.parts(withTime: dates.contains { $0.secondsOfDay != nil }).enumerated().map { number, part in
            var encoding = ColumnEncoding(name: column.name, kind: .numeric)
            encoding.datePart = part
            encoding.dateOrder = column.dateOrder == .yearFirst ? nil : column.dateOrder
            fitNumber(&encoding, values: dates.map { part.value(of: $0) }, missing: missing)
            if number > 0 { encoding.missingIndicator = nil }
            return encoding
        }
    }

    /// The lowercased text of a boolean column read as 1: yes, true, y or t for a column of words, "1" for 0/1.
    static func trueText(table: RawTable, column: Int, missingCells: MissingCells) -> String {
        for row in table.rows where !missingCells.contains(row[column]) {
            let cell = row[column].lowercased()
            if let pair = TabularProfile.booleanPairs.first(where: { $0.contains(cell) }) {
                return pair.first { ["yes", "true", "y", "t"].contains($0) } ?? "1"
            }
        }
        return "1"
    }

    /// A boolean cell as 0 or 1 (nil: not a value of the column's pair); in a column of 0 and 1, any number as itself.
    static func booleanValue(_ cell: String, trueText: String) -> Double? {
        let lowered = cell.lowercased()
        if lowered == trueText { return 1 }
        if trueText != "1" {
            return TabularProfile.booleanPairs.first { $0.contains(trueText) }?.contains(lowered) == true ? 0 : nil
        }
        // A column of 0 and 1 in training is a column of numbers that had two values there: a count seen 0 or 1 times
        // in training (grants' ci_dept_2983) may be 2 in a later row, read as the number it is, not refused.
        guard let value = NumberParser.parse(cell), value.isFinite else { return nil }
        return value
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
