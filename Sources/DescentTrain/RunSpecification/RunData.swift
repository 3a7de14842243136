import DescentData
import DescentNN
import Foundation

/// The data a run specification names, as a run trains on it: loaded (a bundled set, a CSV file, IDX files), a raw
/// table sent through its fitted preprocessing, split into training and validation parts, and standardised with the
/// training part's statistics — what `descent train` and `TrainingRun` both train on, built once here.
///
/// A CSV file of plain numbers (comma-separated, every feature cell a plain number, none missing, no identifier
/// column, no raw-table field set) is read as before (`Dataset.loadCSV`, then `Standardizer`). Any other CSV — text categories, yes/no columns,
/// missing cells, a row-number column, or a specification that sets a raw-table field (`categorical`, `numeric`,
/// `ignore`, `missing_values`, `min_category_count`, `target_transform`) — goes through `TabularDataset`: column
/// roles inferred (`TabularProfile`), the preprocessing fitted on the training part only (`TabularPreprocessing`:
/// medians and missing indicators, category levels, one-hot or embedding codes, standardisation, a regression
/// target standardised after its transform), rows without a target dropped and counted.
///
/// ```swift
/// var spec = RunSpecification()
/// spec.csv = "penguins.csv"; spec.target = "species"
/// let data = try RunData(spec)
/// data.preprocessing?.ignoredColumns     // ["rownames"]
/// data.droppedRows                       // 0: every penguin has a species
/// data.split.train.count                 // 275 (344 − round(0.2 × 344))
/// data.multilayerPerceptron(hidden: [64]).embeddings   // nil: every category has at most 10 levels (one-hot)
/// ```
public struct RunData {
    /// The whole data set as loaded (a raw table's rows encoded).
    public let data: Dataset
    /// Training and validation parts (standardised when the specification asks, or the raw table's encoding is).
    public let split: DatasetSplit
    /// Classification or regression, from the data.
    public let objective: Objective
    /// The standardisation fitted on the training part (nil: a raw table, which standardises in its preprocessing, or
    /// `standardize` off): saved with the model.
    public let standardizer: Standardizer?
    /// A raw table's fitted preprocessing (nil for a bundled set, IDX files or a plain numeric CSV): saved with the model.
    public let preprocessing: TabularPreprocessing?
    /// The raw table's columns and roles (nil when `preprocessing` is).
    public let profile: TabularProfile?
    /// Rows of a raw table dropped because their target was missing.
    public let droppedRows: Int
    /// Whether the CSV file was not UTF-8 and was read as Windows-1252 (Latin-1, Excel's "CSV" on Windows;
    /// `RawTable.readAsWindows1252`): a text value such as `café` is then what the bytes meant in that encoding.
    public let readAsWindows1252: Bool

    /// The data of `spec`.
    /// - Parameters:
    ///   - savedCard: a warm start's model card: its preprocessing is applied as it is (not refitted), its
    ///     standardisation (or none) is the run's, and the data must fit it (`fitting(_:to:source:)`).
    ///   - loaded: the data the specification's source holds, already read (a tuning worker reads a file once).
    ///   - fold: fold `index` of `count` (`Dataset.folds`, stratified for classes) is the validation part.
    /// - Throws: the data's errors (`DataError`, naming file, line and column), `RunSpecificationError` for a
    ///   specification without a data source, or (field `init_weights`) data that does not fit `savedCard`.
    ///   An empty validation part is not an error here (`validation_fraction` 0 asks for one); callers word it.
    public init(_ spec: RunSpecification, savedCard: ModelCard? = nil, loaded: Dataset? = nil,
                fold: (index: Int, count: Int)? = nil) throws {
        let tabular = spec.tabularOptions
        var data: Dataset
        var (preprocessing, profile, droppedRows): (TabularPreprocessing?, TabularProfile?, Int) = (nil, nil, 0)
        var readAsWindows1252 = false
        if let loaded {
            data = loaded
        } else if let name = spec.dataset {
            data = try Datasets.load(named: name)
        } else if let csv = spec.csv {
            // A raw table goes through the preprocessing unless it is plain numbers (read as before) and no field asks otherwise.
            let options = tabular ?? TabularOptions(target: spec.target, task: spec.task)
            let table = try RawTable.read(path: csv)
            readAsWindows1252 = table.readAsWindows1252
            let found = try TabularProfile(table: table, options: options)
            if found.isPlainNumeric && found.columns[found.targetIndex].missing == 0 && tabular == nil
                && savedCard?.preprocessing == nil && table.isPlainCSV {
                data = try Dataset.loadCSV(path: csv, targetColumn: spec.target, task: spec.task)
            } else {
                let loaded = try TabularDataset(table: table, options: options, validationFraction: spec.validationFraction,
                                                seed: spec.seed, fitted: savedCard?.preprocessing, fold: fold)
                data = loaded.dataset
                (preprocessing, profile, droppedRows) = (loaded.preprocessing, loaded.profile, loaded.droppedRows)
            }
        } else if let images = spec.idxImages, let labels = spec.idxLabels {
            data = try IDX.loadDataset(images: images, labels: labels)
        } else {
            throw RunSpecificationError(field: "dataset", reason: "is missing: give one of dataset, csv or idx_images with idx_labels")
        }
        if let savedCard {
            data = try Self.fitting(data, to: savedCard, source: spec.csv ?? spec.dataset ?? spec.idxImages ?? "the data")
        }
        // fold: fold `index` of the K folds is the validation part.
        var split = try fold.map { fold in data.split(fold: fold.index, of: try data.folds(fold.count, seed: spec.seed)) }
            ?? data.split(validationFraction: spec.validationFraction, seed: spec.seed)
        var standardizer: Standardizer?
        if preprocessing != nil {
            // The preprocessing standardised the numeric columns with the training part's statistics.
        } else if let savedCard {
            // A warm start: the saved model's own statistics (or none, as it was trained), so its weights
            // see features on their scale; `standardize` does not apply.
            if let given = savedCard.standardizer {
                split = try split.standardized(with: given)
                standardizer = given
            }
        } else if spec.standardize {
            (split, standardizer) = try split.standardized()
        }
        self.data = data
        self.split = split
        self.objective = Objective(for: data)
        self.standardizer = standardizer
        self.preprocessing = preprocessing
        self.profile = profile
        self.droppedRows = droppedRows
        self.readAsWindows1252 = readAsWindows1252
    }

    /// The multilayer perceptron of `hidden` widths on this data: `Linear(d, h₁) → ReLU → … → Linear(hₖ, outputs)`,
    /// after a raw table's embeddings (`TabularInput`: one table per many-level category, `preprocessing.embeddingTables`).
    public func multilayerPerceptron(hidden: [Int]) -> ModelArchitecture {
        let tables = preprocessing?.embeddingTables ?? []
        return ModelArchitecture(kind: .mlp, inputSize: data.featureCount, hiddenSizes: hidden, outputSize: objective.outputSize,
                                 embeddings: tables.isEmpty ? nil : tables.map { [$0.count, $0.dimension] })
    }

    /// `data` made to fit a warm start's saved model: the same task and feature count, and its classes numbered as
    /// the model's (`Targets.relabeled(to:)`), so each class trains the output that predicts it.
    /// - Throws: `RunSpecificationError` (field `init_weights`) naming what differs.
    public static func fitting(_ data: Dataset, to card: ModelCard, source: String) throws -> Dataset {
        func mismatch(_ reason: String) -> RunSpecificationError { RunSpecificationError(field: "init_weights", reason: reason) }
        guard data.task == card.task else {
            throw mismatch("the saved model does \(card.task.rawValue), \(source) is a \(data.task.rawValue) task")
        }
        guard data.featureCount == card.featureNames.count else {
            throw mismatch("the saved model standardises and reads \(card.featureNames.count) features, \(source) has \(data.featureCount)")
        }
        guard let names = card.classNames, let own = data.targets.classNames else { return data }
        let unknown = own.filter { !names.contains($0) }
        guard unknown.isEmpty else {
            throw mismatch("\(source) has class\(unknown.count == 1 ? "" : "es") "
                + unknown.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ") + (unknown.count > 5 ? ", …" : "")
                + " that the saved model does not predict (it predicts " + names.prefix(10).joined(separator: ", ")
                + (names.count > 10 ? ", …" : "") + ")")
        }
        var copy = data
        copy.targets = try data.targets.relabeled(to: names)
        return copy
    }
}
