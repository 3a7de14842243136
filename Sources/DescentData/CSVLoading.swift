import DescentFiles
import DescentTensor

extension Dataset {
    /// Loads a CSV file: a header row naming the columns, then one example per line.
    ///
    /// Every column except the target must be numeric. The target column is the
    /// last one unless `targetColumn` names another. The task is `task` when
    /// given; otherwise it is inferred: a non-numeric target, or integer targets
    /// with at most 20 distinct values (fewer than the rows), mean classification;
    /// other numeric targets mean regression. Class names are sorted (integers by
    /// value) and mapped to indices `0..<k`, as scikit-learn's `LabelEncoder` does.
    ///
    /// Fields may be quoted as in RFC 4180 (`"a, b"`, `"say ""hi"""`), lines may end
    /// in `\n` or `\r\n`, and blank lines are skipped.
    ///
    /// ```swift
    /// // iris.csv: sepal_length,sepal_width,petal_length,petal_width,species
    /// let iris = try Dataset.loadCSV(path: "iris.csv")
    /// iris.features.shape        // [150, 4]
    /// iris.targets.classNames    // ["0", "1", "2"]
    /// iris.contentSHA256         // "17e9e195…", as `sha256sum iris.csv` prints it
    /// ```
    ///
    /// - Throws: `DataError` naming the file, and the line and column where there is one:
    ///   an empty file, a row with the wrong number of cells, a non-numeric, empty,
    ///   NaN or out-of-Float32-range cell, an unknown or ambiguous (duplicated) target
    ///   column, no feature column besides the target, or a classification target with a single class.
    public static func loadCSV(path: String, targetColumn: String? = nil, task: PredictionTask? = nil) throws -> Dataset {
        let bytes = try CSVTable.readFile(path)
        var dataset = try parseCSV(bytes: bytes, source: path, targetColumn: targetColumn, task: task)
        dataset.contentSHA256 = SHA256.hex(bytes)
        return dataset
    }

    /// Parses CSV text held in memory; `source` names it in error messages.
    public static func parseCSV(_ text: String, source: String = "<csv>", targetColumn: String? = nil,
                                task: PredictionTask? = nil) throws -> Dataset {
        try parseCSV(bytes: Array(text.utf8), source: source, targetColumn: targetColumn, task: task)
    }

    /// Parses CSV bytes (UTF-8); `source` names them in error messages.
    public static func parseCSV(bytes: [UInt8], source: String, targetColumn: String? = nil,
                                task: PredictionTask? = nil) throws -> Dataset {
        let table = try CSVTable.parse(bytes: bytes, file: source, targetColumn: targetColumn, allowMissing: false)
        guard !table.featureColumns.isEmpty else {
            throw DataError.invalidCSV(file: source,
                "no feature columns: the only column is the target \"\(table.header[table.targetIndex])\"")
        }
        let targets = try CSVTable.targets(texts: table.targetTexts, lines: table.lines, task: task, file: source,
                                           column: table.targetIndex, columnName: table.header[table.targetIndex])
        let features = try Tensor(shape: [table.rows, table.featureColumns.count], scalars: table.features)
        return try Dataset(features: features, targets: targets,
                           featureNames: table.featureColumns.map { table.header[$0] },
                           targetName: table.header[table.targetIndex], source: source)
    }
}
