import DescentData

/// How each class's examples weigh in the training loss of a classification run (`class_weights`).
///
/// * `none`: every example weighs 1.
/// * `balanced`: class c weighs n / (C · n_c) — scikit-learn's `class_weight="balanced"` (King & Zeng 2001) —
///   so each class contributes as much to the loss as the others, however rare; the validation loss stays unweighted.
///
/// ```swift
/// ClassWeighting.balanced.weights(labels: [0, 0, 0, 1], classes: 2)   // [0.667, 2.0]: 4 / (2·3), 4 / (2·1)
/// ClassWeighting.none.weights(labels: [0, 0, 0, 1], classes: 2)       // nil
/// ```
public enum ClassWeighting: String, Codable, Sendable, CaseIterable {
    case none, balanced

    /// The per-class weights for training labels `labels` of `classes` classes (nil: unweighted).
    public func weights(labels: [Int], classes: Int) -> [Float]? {
        guard self == .balanced else { return nil }
        return Objective.balancedClassWeights(labels: labels, classes: classes)
    }
}

extension RunSpecification {
    /// The raw-table options of `csv` when any field asks for them (nil: the defaults, and a plain numeric file
    /// is read as plain numbers).
    public var tabularOptions: TabularOptions? {
        guard csv != nil else { return nil }
        let given = categorical != nil || numeric != nil || ignore != nil || missingValues != nil || minCategoryCount != 5
            || targetTransform != .none
        guard given else { return nil }
        return Self.tabularOptions(target: target, task: task, categorical: categorical, numeric: numeric, ignore: ignore,
                                   missingValues: missingValues, minCategoryCount: minCategoryCount,
                                   targetTransform: targetTransform)
    }

    /// The raw-table options the fields' texts describe (`categorical = "a,b"`, `missing_values = ",NA"`, …):
    /// the one reading of them, for a specification and for `descent inspect`'s flags alike.
    public static func tabularOptions(target: String?, task: PredictionTask?, categorical: String?, numeric: String?,
                                      ignore: String?, missingValues: String?, minCategoryCount: Int,
                                      targetTransform: TargetTransform) -> TabularOptions {
        var options = TabularOptions(target: target, task: task)
        options.categorical = categorical.map(columnNames) ?? []
        options.numeric = numeric.map(columnNames) ?? []
        options.ignore = ignore.map(columnNames) ?? []
        if let missingValues {
            options.missingValues = missingValues.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        options.minimumCategoryCount = minCategoryCount
        options.targetTransform = targetTransform
        return options
    }

    /// "a, b,c" → ["a", "b", "c"]: a field's column names.
    public static func columnNames(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
