/// The rows of a raw table as network inputs (`TabularPreprocessing.encode`), with what could not be read.
public struct TabularEncoding: Sendable {
    /// Row-major `[rowsKept.count, inputWidth]`.
    public var features: [Float]
    /// The table rows encoded, in order (a row with a malformed cell is skipped).
    public var rowsKept: [Int]
    /// The rows skipped, each with its error (file, line, column).
    public var skipped: [DataError]
    /// Cells of categorical columns holding a value not seen in training (encoded as "(unknown)"), per column name.
    public var unknownCategories: [String: Int]
    /// Cells that could not be read, per column the preprocessing reads (in `TabularPreprocessing.columns`' order):
    /// what `TabularPreprocessing.columnKindError` judges, over one table or the blocks of a streamed file.
    public var malformedCells: [Int] = []

    /// All unknown category cells.
    public var unknownCount: Int { unknownCategories.values.reduce(0, +) }

    public init(features: [Float], rowsKept: [Int], skipped: [DataError], unknownCategories: [String: Int],
                malformedCells: [Int] = []) {
        (self.features, self.rowsKept, self.skipped) = (features, rowsKept, skipped)
        (self.unknownCategories, self.malformedCells) = (unknownCategories, malformedCells)
    }
}

extension TabularPreprocessing {
    /// Encodes every row of `table`, finding the columns by name.
    ///
    /// A missing cell is filled as in training. A categorical value that is not one of the levels is, with
    /// `training` true (the table the encoding was fitted on), a rare one: "(other)"; else it is one not seen
    /// in training: "(unknown)", a zero vector (no one-hot input set; the embedding's row 0, kept at zero),
    /// counted in `unknownCategories`; a numeric cell that is not a number (or a boolean cell outside its pair) skips the
    /// row, reported as a `DataError` naming the line and column.
    /// - Throws: `DataError` when a column the model reads is not in the header, or (`checkingColumnKinds`) when a
    ///   numeric column holds text in most rows (numeric in training, text here; a streamed file's later blocks
    ///   pass false and are judged together by `columnKindError` at the end).
    public func encode(_ table: RawTable, training: Bool = false, checkingColumnKinds: Bool = true) throws -> TabularEncoding {
        let missingCells = MissingCells(missingValues)
        let positions = try positions(in: table.header, file: table.file)
        let width = inputWidth, dense = denseWidth
        var features = [Float](repeating: 0, count: table.count * width)
        var rowsKept: [Int] = []
        rowsKept.reserveCapacity(table.count)
        var skipped: [DataError] = []
        var malformedPerColumn = [Int](repeating: 0, count: columns.count)
        var unknown: [String: Int] = [:]
        let levelIndex = columns.map { column in
            Dictionary((column.levels ?? []).enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }
        for (row, cells) in table.rows.enumerated() {
            let base = rowsKept.count * width
            var denseAt = base, codeAt = base + dense
            var failure: DataError?
            for (number, column) in columns.enumerated() {
                let cell = cells[positions[number]]
                let isMissing = missingCells.contains(cell)
                switch column.kind {
                case .numeric, .boolean:
                    var value = Double(column.median ?? 0)
                    if !isMissing {
                        let parsed = column.kind == .boolean ? Self.booleanValue(cell, trueText: column.trueText ?? "1")
                            : column.datePart.map { part in DateCell.parse(cell, order: column.dateOrder ?? .yearFirst).map(part.value) }
                            ?? (column.numberFormat ?? .plain).parse(cell)
                        guard let parsed, parsed.isFinite, Float(parsed).isFinite else {
                            malformedPerColumn[number] += 1
                            let detail = column.kind == .boolean ? "\"\(cell.prefix(80))\" is not a value of this yes/no column"
                            : column.datePart != nil ? "\"\(cell.prefix(80))\" is not a date (" + Self.dateExample(column.dateOrder) + ")"
                            : TabularProfile.notANumber(cell)
                            failure = failure ?? DataError.malformedCSV(file: table.file, line: table.lines[row],
                                                                        column: positions[number] + 1, columnName: column.name, detail)
                            continue
                        }
                        value = parsed
                    }
                    features[denseAt] = Float((value - Double(column.mean ?? 0)) / Double(column.standardDeviation ?? 1))
                    denseAt += 1
                    if column.missingIndicator ?? false {
                        features[denseAt] = isMissing ? 1 : 0
                        denseAt += 1
                    }
                case .categorical:
                    let levels = levelIndex[number]
                    var code: Int
                    if isMissing {
                        code = levels[ColumnEncoding.missingLevel] ?? levels[ColumnEncoding.otherLevel] ?? 0
                    } else if let found = levels[cell], found > 0, !Self.isReserved(cell) {
                        code = found
                    } else if training, let other = levels[ColumnEncoding.otherLevel] {
                        code = other
                    } else {
                        code = 0
                    }
                    if code == 0 && !isMissing { unknown[column.name, default: 0] += 1 }
                    if column.embeddingDimension == nil {
                        if code > 0 { features[denseAt + code - 1] = 1 }
                        denseAt += column.denseWidth
                    } else {
                        features[codeAt] = Float(code)
                        codeAt += 1
                    }
                }
            }
            if let failure {
                // Clear what this row wrote; the next row reuses the space.
                for index in base..<(base + width) { features[index] = 0 }
                skipped.append(failure)
            } else {
                rowsKept.append(row)
            }
        }
        features.removeLast(features.count - rowsKept.count * width)
        if checkingColumnKinds, let error = columnKindError(malformedCells: malformedPerColumn, rows: table.count, file: table.file,
                                                            example: skipped.first) {
            throw error
        }
        return TabularEncoding(features: features, rowsKept: rowsKept, skipped: skipped, unknownCategories: unknown,
                               malformedCells: malformedPerColumn)
    }

    /// The position in `header` of each column the preprocessing reads (in `columns`' order), found by name.
    /// - Throws: `DataError.invalidCSV` naming the first column the header lacks, and the columns it has.
    public func positions(in header: [String], file: String) throws -> [Int] {
        // The first position of each name, found once (a search per column made 50 000 columns cost their square).
        var first: [String: Int] = [:]
        for (index, name) in header.enumerated() where first[name] == nil { first[name] = index }
        return try columns.map { column in
            guard let index = first[column.name] else {
                throw DataError.invalidCSV(file: file, "no column \"\(column.name)\", which the model reads; the columns are: "
                                           + header.joined(separator: ", ") + RawTable.delimiterHint(header: header))
            }
            return index
        }
    }

    /// A column that was numeric (or yes/no) in training and is text here: more than half of `rows` cells could not
    /// be read. An error naming it, rather than a file of skipped rows; nil when no column is so.
    ///
    /// ```swift
    /// // bill_length_mm holds "long"/"short" in 300 of 344 rows
    /// preprocessing.columnKindError(malformedCells: [0, 0, 300, …], rows: 344, file: "new.csv", example: first)
    /// // new.csv: column "bill_length_mm" was numeric in training but 300 of 344 cells here are not (e.g. …); is it the same kind of file?
    /// ```
    public func columnKindError(malformedCells: [Int], rows: Int, file: String, example: DataError?) -> DataError? {
        for (number, count) in malformedCells.enumerated() where number < columns.count && count > 0 && count * 2 > rows {
            return DataError.invalidCSV(file: file, "column \"\(columns[number].name)\" was \(columns[number].kind.rawValue) in training "
                + "but \(count) of \(rows) cells here are not (e.g. \(example.map { "\($0)" } ?? "")); is it the same kind of file?")
        }
        return nil
    }

    /// Whether a cell's text is one of the level names the encoding reserves ("(unknown)", "(other)", "(missing)").
    static func isReserved(_ cell: String) -> Bool {
        cell == ColumnEncoding.unknownLevel || cell == ColumnEncoding.otherLevel || cell == ColumnEncoding.missingLevel
    }


    /// How a date column's cells are written, for an error: "year first: 2016-08-15", "day first: 31/12/2016".
    static func dateExample(_ order: DateOrder?) -> String {
        switch order ?? .yearFirst {
        case .yearFirst: return "year first: 2016-08-15"
        case .dayFirst: return "day first: 31/12/2016"
        case .monthFirst: return "month first: 12/31/2016"
        }
    }
}
