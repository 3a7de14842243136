import DescentTensor
import Foundation

/// A raw CSV file made ready for training: its columns' roles (`TabularProfile`), the preprocessing fitted
/// on the training part of the split that `Dataset.split(validationFraction:seed:)` then makes
/// (`TabularPreprocessing`), and the encoded `Dataset`.
///
/// Rows whose target is missing are dropped (counted in `droppedRows`). A regression target is transformed
/// (`TabularOptions.targetTransform`) and standardised with the training part's mean and deviation; the
/// dataset holds the standardised values (`TargetEncoding` maps them back).
///
/// ```swift
/// let loaded = try TabularDataset(path: "penguins.csv", options: TabularOptions(target: "species"),
///                                 validationFraction: 0.2, seed: 0)
/// loaded.dataset.count           // 344 (no species is missing)
/// loaded.profile.ignoredColumns  // ["rownames"]
/// let split = try loaded.dataset.split(validationFraction: 0.2, seed: 0)   // the split the preprocessing was fitted on
/// ```
public struct TabularDataset: Sendable {
    public var table: RawTable
    public var profile: TabularProfile
    public var preprocessing: TabularPreprocessing
    /// The encoded rows (targets standardised for regression).
    public var dataset: Dataset
    /// Rows dropped because their target cell was missing.
    public var droppedRows: Int

    /// - Throws: `DataError` naming the file and column: a target with no values or one class, a log
    ///   transform of a value ≤ 0, and the errors of `RawTable`, `TabularProfile` and `TabularPreprocessing`.
    public init(path: String, options: TabularOptions, validationFraction: Double, seed: UInt64) throws {
        try self.init(table: try RawTable.read(path: path), options: options, validationFraction: validationFraction, seed: seed)
    }

    /// `fitted`, a saved model's preprocessing (a warm start), is applied as it is instead of fitting one.
    /// `fold` (index, count): fit on the training part of fold `index` of `Dataset.folds(count, seed:)` instead.
    public init(table full: RawTable, options: TabularOptions, validationFraction: Double, seed: UInt64,
                fitted: TabularPreprocessing? = nil, fold: (index: Int, count: Int)? = nil) throws {
        let file = full.file
        profile = try TabularProfile(table: full, options: options)
        let targetIndex = profile.targetIndex
        let targetName = full.header[targetIndex]
        guard !profile.featureColumns.isEmpty else {
            throw DataError.invalidCSV(file: file, "no feature columns to train on: "
                + (profile.ignoredColumns.isEmpty ? "the only column is the target \"\(targetName)\"" + RawTable.delimiterHint(header: full.header)
                   : "besides the target \"\(targetName)\", every column is dropped (\(profile.ignoredColumns.joined(separator: ", ")))"))
        }
        // Rows with a target.
        let missingCells = options.missingCells
        var kept = RawTable(file: file, header: full.header, rows: [], lines: [], contentSHA256: full.contentSHA256)
        for (row, cells) in full.rows.enumerated() where !missingCells.contains(cells[targetIndex]) {
            kept.rows.append(cells)
            kept.lines.append(full.lines[row])
        }
        droppedRows = full.count - kept.count
        guard kept.count > 0 else {
            throw DataError.invalidCSV(file: file, "target column \"\(targetName)\" (column \(targetIndex + 1)) has no values: "
                                       + "every one of its \(full.count) cells is missing")
        }
        table = kept
        // A target written with thousands separators or decimal commas is read as the numbers they are.
        let targetFormat = profile.columns[targetIndex].numberFormat
        let targetTexts = Self.plainTexts(kept.rows.map { $0[targetIndex] }, format: targetFormat)
        var targets = try CSVTable.targets(texts: targetTexts, lines: kept.lines, task: options.task,
                                           file: file, column: targetIndex, columnName: targetName)
        // The split only depends on the targets and the seed: make it once here to fit on the training part.
        let placeholder = try Dataset(features: Tensor.zeros([kept.count, 1]), targets: targets, targetName: targetName, source: file)
        let trainingRows = try fold.map { fold in placeholder.split(fold: fold.index, of: try placeholder.folds(fold.count, seed: seed)).trainIndices }
            ?? placeholder.split(validationFraction: validationFraction, seed: seed).trainIndices
        var preprocessing = try fitted ?? TabularPreprocessing(fitting: kept, profile: profile, options: options, trainingRows: trainingRows)
        if fitted == nil, targetFormat != .plain, targets.classNames == nil { preprocessing.target.numberFormat = targetFormat }
        if case .values(let values) = targets {
            var numbers = values.scalars.map(Double.init)
            if preprocessing.target.transform == .log {
                if let row = numbers.firstIndex(where: { $0 <= 0 }) {
                    throw DataError.malformedCSV(file: file, line: kept.lines[row], column: targetIndex + 1, columnName: targetName,
                        "\(kept.rows[row][targetIndex]) is not positive: --target-transform log needs every target > 0")
                }
                numbers = numbers.map { Foundation.log($0) }
            }
            let training = trainingRows.map { numbers[$0] }
            var mean = training.reduce(0, +) / Double(max(1, training.count))
            let variance = training.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, training.count))
            var deviation = variance > 0 && variance.isFinite ? variance.squareRoot() : 1
            if fitted != nil, let saved = preprocessing.target.mean, let savedDeviation = preprocessing.target.standardDeviation {
                (mean, deviation) = (saved, savedDeviation)
            }
            preprocessing.target.mean = mean
            preprocessing.target.standardDeviation = deviation
            targets = .values(Tensor(numbers.map { Float(($0 - mean) / deviation) }))
        } else if fitted == nil && options.targetTransform != .none {
            throw DataError.invalidArgument(parameter: "--target-transform",
                "--target-transform \(options.targetTransform.rawValue) goes with a regression target; \"\(targetName)\" is read as "
                + "\(targets.classCount) classes (give --task regression for numbers)")
        }
        self.preprocessing = preprocessing
        let encoded = try preprocessing.encode(kept, training: fitted == nil)
        if let first = encoded.skipped.first { throw first }
        dataset = try Dataset(features: try Tensor(shape: [kept.count, preprocessing.inputWidth], scalars: encoded.features),
                              targets: targets, featureNames: preprocessing.inputNames, targetName: targetName, source: file)
        // The file's bytes, as read: a checkpoint knows the data by them (a renamed copy is the same data).
        dataset.contentSHA256 = full.contentSHA256
    }
}

extension TabularDataset {
    /// A column's cells written in `format` as plain numbers ("215,000" → "215000", "27,5" → "27.5"); a cell that is not
    /// a number so written is left as it is.
    public static func plainTexts(_ cells: [String], format: NumberFormat) -> [String] {
        guard format != .plain else { return cells }
        return cells.map { cell in
            guard let value = format.parse(cell) else { return cell }
            return value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        }
    }

    /// A target column's present cells as classes or values, the task inferred as `Dataset.loadCSV` does
    /// (`task` nil); `lines` are the cells' lines, for errors.
    /// - Throws: `DataError` naming the column: a single class, a non-numeric regression target.
    public static func targets(texts: [String], lines: [Int], task: PredictionTask?, file: String, column: Int,
                               name: String) throws -> Targets {
        try CSVTable.targets(texts: texts, lines: lines, task: task, file: file, column: column, columnName: name)
    }
}
