import DescentCLITrain
import DescentNN
import DescentTrain
import Foundation

/// `descent evaluate --json` for a classifier: `{"accuracy":…,"confusion_matrix":{"counts":[[…]],"labels":[…]},
/// "loss":…,"per_class":[{"label":…,"precision":…,"recall":…,"support":…}],"rows":…,"status":"completed","task":"classification"}`
/// (`precision`/`recall` null for a class never predicted / absent).
struct ClassificationReport: Encodable {
    struct Matrix: Encodable { var labels: [String]; var counts: [[Int]] }
    struct PerClass: Encodable { var label: String; var precision: Double?; var recall: Double?; var support: Int }
    var status = "completed", task = "classification"
    var rows: Int, loss: Double?, accuracy: Double?, confusionMatrix: Matrix, perClass: [PerClass]
    var balancedAccuracy: Double?, macroF1: Double?, rocAUC: Double?
    /// Rows skipped (a malformed cell) and categories not seen in training, for a raw table.
    var skippedRows: Int?, unknownCategories: [String: Int]?

    init(_ tally: ClassificationTally) {
        rows = tally.count
        loss = tally.loss.isFinite ? tally.loss : nil
        accuracy = tally.accuracy
        balancedAccuracy = tally.balancedAccuracy.isFinite ? tally.balancedAccuracy : nil
        macroF1 = tally.macroF1.isFinite ? tally.macroF1 : nil
        rocAUC = tally.rocAUC
        confusionMatrix = Matrix(labels: tally.classNames, counts: tally.confusion)
        perClass = tally.classNames.indices.map {
            PerClass(label: tally.classNames[$0], precision: tally.precision($0), recall: tally.recall($0), support: tally.support($0))
        }
    }

    enum CodingKeys: String, CodingKey {
        case status, task, rows, loss, accuracy, confusionMatrix = "confusion_matrix", perClass = "per_class"
        case balancedAccuracy = "balanced_accuracy", macroF1 = "macro_f1", rocAUC = "roc_auc"
        case skippedRows = "skipped_rows", unknownCategories = "unknown_categories"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(task, forKey: .task)
        try container.encode(rows, forKey: .rows)
        try container.encode(loss, forKey: .loss)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(confusionMatrix, forKey: .confusionMatrix)
        try container.encode(perClass, forKey: .perClass)
        try container.encode(balancedAccuracy, forKey: .balancedAccuracy)
        try container.encode(macroF1, forKey: .macroF1)
        try container.encode(rocAUC, forKey: .rocAUC)
        if let skippedRows { try container.encode(skippedRows, forKey: .skippedRows) }
        if let unknownCategories { try container.encode(unknownCategories, forKey: .unknownCategories) }
    }
}

/// `descent evaluate --json` for a regression: `{"loss":…,"mean_absolute_error":…,"mean_squared_error":…,"r2":…,"rows":…,
/// "status":"completed","task":"regression"}` (`r2` null when every target is the same).
struct RegressionReport: Encodable {
    var rows: Int, loss: Double, r2: Double, meanAbsoluteError: Double
    var skippedRows: Int? = nil, unknownCategories: [String: Int]? = nil

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TrainSummary.Key.self)
        try container.encode("completed", forKey: .init("status"))
        try container.encode("regression", forKey: .init("task"))
        try container.encode(rows, forKey: .init("rows"))
        try container.encodeNumber(loss, forKey: .init("loss"))
        try container.encodeNumber(loss, forKey: .init("mean_squared_error"))
        try container.encodeNumber(meanAbsoluteError, forKey: .init("mean_absolute_error"))
        try container.encodeNumber(r2, forKey: .init("r2"))
        if let skippedRows { try container.encode(skippedRows, forKey: .init("skipped_rows")) }
        if let unknownCategories { try container.encode(unknownCategories, forKey: .init("unknown_categories")) }
    }
}
