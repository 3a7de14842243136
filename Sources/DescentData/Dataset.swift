import DescentTensor

/// What a data set asks a model to predict.
///
/// ```swift
/// try Datasets.load(named: "iris").task       // .classification
/// try Datasets.load(named: "diabetes").task   // .regression
/// ```
public enum PredictionTask: String, Codable, Sendable, CaseIterable {
    /// Predict one of a fixed set of classes (targets are class indices).
    case classification
    /// Predict a real number (targets are floats).
    case regression
}

/// The targets of a data set: class indices with their names, or real values.
///
/// ```swift
/// let targets = Targets.classes([0, 2, 1], names: ["setosa", "versicolor", "virginica"])
/// targets.count        // 3
/// targets.task         // .classification
/// ```
public enum Targets: Sendable {
    /// Class indices in `0..<names.count`; `names[i]` is the text of class `i` in the file.
    case classes([Int], names: [String])
    /// Regression targets, shape `[n]`.
    case values(Tensor)

    /// The number of examples.
    public var count: Int {
        switch self {
        case let .classes(indices, _): return indices.count
        case let .values(tensor): return tensor.shape.first ?? 0
        }
    }

    /// The task these targets imply.
    public var task: PredictionTask {
        switch self {
        case .classes: return .classification
        case .values: return .regression
        }
    }

    /// Class indices (nil for regression).
    public var classIndices: [Int]? {
        if case let .classes(indices, _) = self { return indices }
        return nil
    }

    /// Class names (nil for regression).
    public var classNames: [String]? {
        if case let .classes(_, names) = self { return names }
        return nil
    }

    /// The number of classes (0 for regression).
    public var classCount: Int { classNames?.count ?? 0 }

    /// Targets as a tensor: class indices as floats `[n]`, or the regression values `[n]`.
    public var tensor: Tensor {
        switch self {
        case let .classes(indices, _): return Tensor(indices.map { Float($0) })
        case let .values(tensor): return tensor
        }
    }

    /// Class indices as one-hot rows `[n, classCount]`; nil for regression.
    public func oneHot() throws -> Tensor? {
        guard case let .classes(indices, names) = self else { return nil }
        return try Tensor.oneHot(indices, classes: names.count)
    }

    /// The same classes numbered as in `names`, a superset of these classes' names (a saved model's
    /// classes, so that a warm start on data missing a class, or listing them in another order, keeps
    /// each class on the model's output for it). Regression targets are returned as they are.
    ///
    /// ```swift
    /// try Targets.classes([0, 1, 0], names: ["b", "c"]).relabeled(to: ["a", "b", "c"])   // .classes([1, 2, 1], names: ["a", "b", "c"])
    /// ```
    /// - Throws: `DataError.invalidArgument` naming a class that is not in `names`.
    public func relabeled(to names: [String]) throws -> Targets {
        guard case let .classes(indices, own) = self else { return self }
        var position: [String: Int] = [:]
        for (index, name) in names.enumerated() where position[name] == nil { position[name] = index }
        let map = try own.map { name -> Int in
            guard let index = position[name] else {
                throw DataError.invalidArgument(parameter: "classes", "class \"\(name)\" is not one of the \(names.count) classes "
                    + names.prefix(10).joined(separator: ", ") + (names.count > 10 ? ", …" : ""))
            }
            return index
        }
        return .classes(indices.map { map[$0] }, names: names)
    }

    /// The targets of the examples at `indices`, in that order.
    public func gathering(_ indices: [Int]) -> Targets {
        switch self {
        case let .classes(all, names):
            return .classes(indices.map { all[$0] }, names: names)
        case let .values(tensor):
            return .values(tensor.withUnsafeBufferPointer { buffer in Tensor(indices.map { buffer[$0] }) })
        }
    }
}

/// A table of examples: a feature matrix and one target per row.
///
/// `features` has shape `[n, d]`; `targets.count == n`; `featureNames.count == d`.
///
/// ```swift
/// let iris = try Datasets.load(named: "iris")
/// iris.features.shape     // [150, 4]
/// iris.task               // .classification
/// iris.targets.classCount // 3
/// ```
public struct Dataset: Sendable {
    /// Features, shape `[n, d]`, row-major.
    public var features: Tensor
    /// One target per row.
    public var targets: Targets
    /// The names of the `d` feature columns.
    public var featureNames: [String]
    /// The name of the target column.
    public var targetName: String
    /// Where the data came from (a file path or a bundled name), for messages.
    public var source: String
    /// The SHA-256 of the bytes the data was read from, 64 hex digits as `sha256sum` prints them: the CSV
    /// file (a bundled set's own CSV), or an IDX images file followed by its labels file; nil for data
    /// built in memory. A checkpoint knows its data by it, so a renamed copy is the same data and another
    /// file of the same shape is not.
    public var contentSHA256: String?

    /// Creates a data set, checking that the parts agree.
    /// - Throws: `DataError.invalidArgument` if `features` is not 2-D, or the counts disagree.
    public init(features: Tensor, targets: Targets, featureNames: [String]? = nil,
                targetName: String = "target", source: String = "dataset") throws {
        guard features.rank == 2 else {
            throw DataError.invalidArgument(parameter: "features", "must be 2-D [n, d], got shape \(features.shape)")
        }
        guard targets.count == features.shape[0] else {
            throw DataError.invalidArgument(parameter: "targets",
                "\(targets.count) targets for \(features.shape[0]) rows of features")
        }
        if case let .values(values) = targets, values.rank != 1 {
            throw DataError.invalidArgument(parameter: "targets", "regression values must be 1-D [n], got shape \(values.shape)")
        }
        if case let .classes(indices, names) = targets,
           let bad = indices.firstIndex(where: { $0 < 0 || $0 >= names.count }) {
            throw DataError.invalidArgument(parameter: "targets",
                "class index \(indices[bad]) at row \(bad) is outside 0..<\(names.count)")
        }
        let names = featureNames ?? (0..<features.shape[1]).map { "x\($0)" }
        guard names.count == features.shape[1] else {
            throw DataError.invalidArgument(parameter: "featureNames",
                "\(names.count) names for \(features.shape[1]) feature columns")
        }
        self.features = features
        self.targets = targets
        self.featureNames = names
        self.targetName = targetName
        self.source = source
    }

    /// The number of examples (rows).
    public var count: Int { features.shape[0] }
    /// The number of features per example (columns).
    public var featureCount: Int { features.shape[1] }
    /// Classification or regression.
    public var task: PredictionTask { targets.task }

    /// The examples at `indices`, in that order (indices must be in `0..<count`).
    public func subset(_ indices: [Int]) -> Dataset {
        for index in indices {
            precondition(index >= 0 && index < count, "subset index \(index) outside 0..<\(count)")
        }
        let gathered = try! features.gatherRows(indices)
        var copy = self
        copy.features = gathered
        copy.targets = targets.gathering(indices)
        return copy
    }
}
