import DescentData
import DescentTensor

/// A model's predictions for rows of raw cells (`ModelPredictor.predict`): the rows it could read, their outputs,
/// labels or values, and what it could not read.
public struct RawRowPredictions {
    /// The network's outputs for the kept rows, `[rowsKept.count, outputs]` (logits for classes, standardised values
    /// for a raw table's regression target).
    public var outputs: Tensor
    /// Classification: each kept row's predicted class (the arg-max output); nil for regression.
    public var labels: [String]?
    /// Regression: each kept row's prediction in the target's own units (a raw table's standardisation and
    /// `target_transform` undone); nil for classification.
    public var values: [Float]?
    /// What reading the rows found (its `features` left empty: the network has had them): the rows kept, the rows
    /// skipped with their errors, unseen categories and unreadable cells per column.
    public var encoding: TabularEncoding

    /// The rows predicted, by position in the input (a row with a malformed cell is skipped: see `skipped`).
    public var rowsKept: [Int] { encoding.rowsKept }
    /// The rows skipped, each with its error (line, column, why).
    public var skipped: [DataError] { encoding.skipped }
    /// Cells of a category not seen in training (read as "(unknown)"), per column.
    public var unknownCategories: [String: Int] { encoding.unknownCategories }
}

extension ModelPredictor {
    /// Predicts for the rows of a raw table as `descent predict` does: columns found by name (any order; extra
    /// columns ignored), the model's preprocessing applied (missing cells filled as in training, a category not seen
    /// in training read as "(unknown)" and counted, a row with a malformed cell skipped and reported). A model trained
    /// on plain numbers reads its features by name the same way (a cell that is not a number skips the row).
    ///
    /// ```swift
    /// let predictor = try ModelPredictor(try ModelFile.load(path: "penguins.safetensors"))
    /// let table = try RawTable.read(path: "new-penguins.csv")   // text categories, NA cells, unseen islands
    /// let predicted = try predictor.predict(table)
    /// predicted.labels              // ["Adelie", "Gentoo", …] for the rows kept
    /// predicted.unknownCategories   // ["island": 1]
    /// ```
    /// - Parameter checkingColumnKinds: as `TabularPreprocessing.encode` (false for a streamed file's later blocks,
    ///   judged together at the end).
    /// - Throws: `DataError` naming a column the table lacks, or (`checkingColumnKinds`) a column numeric in training
    ///   that holds text in most rows here.
    public func predict(_ table: RawTable, checkingColumnKinds: Bool = true) throws -> RawRowPredictions {
        let features: Tensor
        var encoding: TabularEncoding
        if card.preprocessing != nil {
            (features, encoding) = try encode(table, checkingColumnKinds: checkingColumnKinds)
        } else {
            (features, encoding) = try encodePlain(table)
        }
        // Every row skipped: no pass through the network.
        let outputs = encoding.rowsKept.isEmpty ? try Tensor(shape: [0, card.architecture.outputSize], scalars: [])
            : try self.outputs(features)
        let labels = card.classNames == nil ? nil : try self.labels(outputs)
        encoding.features = []
        return RawRowPredictions(outputs: outputs, labels: labels, values: card.classNames == nil ? values(outputs) : nil,
                                 encoding: encoding)
    }

    /// Predicts for rows given as column name → cell text, as `predict(_:)` does for a table: a column a row does not
    /// name is a missing cell (filled as in training); names the model does not read are ignored. Errors name the
    /// row by its 1-based position (`rows: line 2, …`).
    ///
    /// ```swift
    /// let predicted = try trained.predictor.predict(rows: [
    ///     ["island": "Biscoe", "bill_length_mm": "48.6", "sex": "NA"],   // NA: missing, filled with the training median
    ///     ["island": "Atlantis", "body_mass_g": "5200"],                  // an island never seen: "(unknown)"
    /// ])
    /// predicted.labels    // ["Gentoo", "Gentoo"]
    /// ```
    public func predict(rows: [[String: String]]) throws -> RawRowPredictions {
        let names = card.preprocessing?.columns.map(\.name) ?? card.featureNames
        let missing = card.preprocessing?.missingValues.first ?? ""
        let table = RawTable(file: "rows", header: names, rows: rows.map { row in names.map { row[$0] ?? missing } },
                             lines: rows.indices.map { $0 + 1 })
        return try predict(table)
    }

    /// A plain numeric model's features by name: every cell a number, else the row is skipped with its error.
    private func encodePlain(_ table: RawTable) throws -> (Tensor, TabularEncoding) {
        let positions = try card.featureNames.map { name in
            guard let index = table.index(of: name) else {
                throw DataError.invalidCSV(file: table.file, "no column \"\(name)\", which the model reads; the columns are: "
                                           + table.header.joined(separator: ", "))
            }
            return index
        }
        var encoding = TabularEncoding(features: [], rowsKept: [], skipped: [], unknownCategories: [:],
                                       malformedCells: [Int](repeating: 0, count: positions.count))
        encoding.features.reserveCapacity(table.count * positions.count)
        for (row, cells) in table.rows.enumerated() {
            var values: [Float] = []
            var failure: DataError?
            for (number, position) in positions.enumerated() {
                guard let value = NumberParser.parse(cells[position]), value.isFinite else {
                    encoding.malformedCells[number] += 1
                    failure = failure ?? DataError.malformedCSV(file: table.file, line: table.lines[row], column: position + 1,
                                                                columnName: card.featureNames[number],
                                                                "\"\(cells[position].prefix(80))\" is not a number")
                    continue
                }
                values.append(Float(value))
            }
            if let failure {
                encoding.skipped.append(failure)
            } else {
                encoding.features += values
                encoding.rowsKept.append(row)
            }
        }
        let features = try Tensor(shape: [encoding.rowsKept.count, positions.count], scalars: encoding.features)
        encoding.features = []
        return (features, encoding)
    }
}
