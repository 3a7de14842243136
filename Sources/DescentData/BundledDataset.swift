import Foundation

/// The data sets shipped inside the package, loadable by name without any file.
///
/// * `digits`: UCI optical recognition of handwritten digits as scikit-learn
///   ships it: 1,797 images of 8 × 8 pixels (64 features, values 0–16), 10 classes.
/// * `iris`: Fisher's iris (1936): 150 flowers, 4 measurements in cm, 3 species (50 each).
/// * `diabetes`: Efron et al. (2004), "Least angle regression": 442 patients,
///   10 raw (unscaled) features, target a measure of disease progression after one year.
///
/// ```swift
/// let iris = try BundledDataset.iris.load()
/// iris.features.shape         // [150, 4]
/// BundledDataset.diabetes.task // .regression
/// ```
public enum BundledDataset: String, CaseIterable, Sendable {
    case digits
    case iris
    case diabetes

    /// The task the data set is for.
    public var task: PredictionTask {
        switch self {
        case .digits, .iris: return .classification
        case .diabetes: return .regression
        }
    }

    /// Where the CSV file lies inside the package's resource bundle.
    public var url: URL? {
        Bundle.module.url(forResource: rawValue, withExtension: "csv", subdirectory: "Resources")
    }

    /// Loads the data set (target: the last column, task as above).
    /// - Throws: `DataError.io` if the resource is missing from the build.
    public func load() throws -> Dataset {
        guard let url else {
            throw DataError.io(file: "\(rawValue).csv", "bundled data set not found in the package resources")
        }
        var dataset = try Dataset.loadCSV(path: url.path, task: task)
        dataset.source = rawValue
        return dataset
    }
}

/// Loading data sets by name.
public enum Datasets {
    /// The names of the bundled data sets: `["digits", "iris", "diabetes"]`.
    public static var availableNames: [String] { BundledDataset.allCases.map(\.rawValue) }

    /// Loads a bundled data set by name (case-insensitive).
    ///
    /// ```swift
    /// let digits = try Datasets.load(named: "digits")   // 1,797 × 64, 10 classes
    /// ```
    /// - Throws: `DataError.invalidArgument` listing the available names if `name` is unknown.
    public static func load(named name: String) throws -> Dataset {
        guard let bundled = BundledDataset(rawValue: name.lowercased()) else {
            throw DataError.invalidArgument(parameter: "dataset",
                "unknown data set \"\(name)\"; available: \(availableNames.joined(separator: ", "))")
        }
        return try bundled.load()
    }
}
