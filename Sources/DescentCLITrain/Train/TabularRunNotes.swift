import DescentCLIShared
import DescentData
import DescentNN
import DescentTrain
import Foundation

/// What `descent train` says about a raw table besides the losses: the columns dropped and why, the rows
/// dropped for a missing target, the class weights, a warning when a class is rare, the target's
/// standardisation, and (after training) balanced accuracy, macro-F1 and ROC AUC on the validation part.
///
/// In `--json`: `"ignored_columns":["rownames"]` (always, empty when none), and
/// `"preprocessing":{"columns":[{"name":…,"role":…,"encoding":…}],"dropped_rows":0,"class_weights":[…],
/// "target_standardized":true,"losses_in":"standardized target units",…}` and the validation metrics
/// `final_validation_balanced_accuracy`, `final_validation_macro_f1`, `final_validation_roc_auc`,
/// `final_validation_mse_original_units`, `final_validation_r2_original_units` (R² of the predictions mapped back:
/// the same as `final_validation_r2` unless the target was log-transformed).
struct TabularRunNotes {
    var ignoredColumns: [String] = []
    var reasons: [String: String] = [:]
    var droppedRows = 0
    /// The file was not UTF-8 and was read as Windows-1252 (said before training; `text_encoding` in the JSON).
    var readAsWindows1252 = false
    var classWeights: [Float]?
    var classNames: [String]?
    var smallestClassShare: Double?
    var smallestClassName: String?
    var columnRoles: [(name: String, role: String, encoding: String)] = []
    var target: TabularPreprocessing.TargetEncoding?
    var balancedAccuracy: Double?
    var macroF1: Double?
    var rocAUC: Double?
    var originalMeanSquaredError: Double?
    var originalRSquared: Double?

    init?(setup: TrainingSetup, classWeights: [Float]?) {
        self.classWeights = classWeights
        classNames = setup.data.targets.classNames
        if let labels = setup.split.train.targets.classIndices, let names = classNames, !labels.isEmpty {
            var counts = [Int](repeating: 0, count: names.count)
            for label in labels { counts[label] += 1 }
            if let smallest = counts.indices.min(by: { counts[$0] < counts[$1] }) {
                smallestClassShare = Double(counts[smallest]) / Double(labels.count)
                smallestClassName = names[smallest]
            }
        }
        readAsWindows1252 = setup.readAsWindows1252
        guard let profile = setup.profile, let preprocessing = setup.preprocessing else {
            if classWeights == nil && (smallestClassShare ?? 1) >= 0.1 && !readAsWindows1252 { return nil }
            return
        }
        for column in profile.columns where column.role.isDropped {
            ignoredColumns.append(column.name)
            reasons[column.name] = "\(column.role.rawValue): \(column.reason)"
        }
        droppedRows = setup.droppedRows
        for encoding in preprocessing.columns {
            let role = profile.columns.first { $0.name == encoding.name }?.role.rawValue ?? encoding.kind.rawValue
            let how: String
            switch encoding.kind {
            case .numeric, .boolean:
                how = (encoding.kind == .boolean ? "0/1, " : "") + "standardised"
                    + ((encoding.missingIndicator ?? false) ? ", missing → median \(Self.number(Double(encoding.median ?? 0))) + \(encoding.name)_missing" : "")
            case .categorical:
                let levels = (encoding.levels?.count ?? 1) - 1
                how = encoding.embeddingDimension.map { "embedding \(levels) levels × \($0)" } ?? "one-hot, \(levels) levels"
            }
            columnRoles.append((encoding.name, role, how))
        }
        target = preprocessing.target
    }

    /// The lines printed before training.
    var lines: [String] {
        var lines: [String] = []
        if readAsWindows1252 {
            lines.append("The file is not UTF-8: read as Windows-1252 (Latin-1); if it is in another encoding, save it as UTF-8")
        }
        if !columnRoles.isEmpty {
            lines.append("Columns: " + columnRoles.map { "\($0.name) (\($0.role): \($0.encoding))" }.joined(separator: "; "))
        }
        if !ignoredColumns.isEmpty {
            lines.append("Ignored columns: " + ignoredColumns.map { "\($0) (\(reasons[$0] ?? "dropped"))" }.joined(separator: ", "))
        }
        if droppedRows > 0 { lines.append("Dropped \(droppedRows) row\(droppedRows == 1 ? "" : "s") whose target is missing") }
        if let target, let mean = target.mean, let deviation = target.standardDeviation {
            lines.append("Target \(target.name): trained standardised" + (target.transform == .log ? " after log" : "")
                + " (mean \(Self.number(mean)), deviation \(Self.number(deviation))); the losses below are in standardised units, R² is the same in either")
        }
        if let share = smallestClassShare, share < 0.1, let name = smallestClassName {
            lines.append("warning: class \"\(name)\" is \(String(format: "%.1f", share * 100))% of the training part (under 10%): "
                + (classWeights == nil ? "consider --class-weights balanced, and read balanced accuracy and macro-F1 beside accuracy"
                                        : "the loss is weighted (--class-weights balanced)"))
        }
        if let classWeights, let names = classNames {
            lines.append("Class weights (balanced): " + zip(names, classWeights).map { "\($0) \(Self.number(Double($1)))" }.joined(separator: ", "))
        }
        return lines
    }

    /// The validation metrics beyond accuracy, measured with the final model.
    mutating func addValidationMetrics(model: Sequential, setup: TrainingSetup) {
        let validation = setup.split.validation
        guard validation.count > 0 else { return }
        guard let outputs = try? ModelPredictor.outputs(of: model, validation.features) else { return }
        if let names = validation.targets.classNames, let labels = validation.targets.classIndices {
            var tally = ClassificationTally(classNames: names)
            guard (try? tally.add(outputs: outputs, labels: labels)) != nil else { return }
            balancedAccuracy = tally.balancedAccuracy
            macroF1 = tally.macroF1
            rocAUC = tally.rocAUC
        } else if let target, case .values(let values) = validation.targets {
            // The squared error in the target's own units (after the inverse transform).
            let predictions = outputs.scalars.map { Double(target.original($0)) }
            let truths = values.scalars.map { Double(target.original($0)) }
            var total = 0.0
            for (prediction, truth) in zip(predictions, truths) { total += (prediction - truth) * (prediction - truth) }
            originalMeanSquaredError = total / Double(max(1, truths.count))
            let mean = truths.reduce(0, +) / Double(max(1, truths.count))
            let spread = truths.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            originalRSquared = spread > 0 ? 1 - total / spread : nil
        }
    }

    /// The line printed after training, nil when there is nothing to add.
    var metricsLine: String? {
        if let balancedAccuracy, let macroF1 {
            return String(format: "Validation balanced accuracy %.4f, macro-F1 %.4f", balancedAccuracy, macroF1)
                + (rocAUC.map { String(format: ", ROC AUC %.4f", $0) } ?? "")
        }
        if let originalMeanSquaredError {
            return "Validation in \(target?.name ?? "the target")'s own units: mean squared error \(Self.number(originalMeanSquaredError))"
                + (originalRSquared.map { String(format: ", R² %.4f", $0) } ?? "")
        }
        return nil
    }

    func encode(into container: inout KeyedEncodingContainer<TrainSummary.Key>) throws {
        try container.encodeNumber(balancedAccuracy, forKey: .init("final_validation_balanced_accuracy"))
        try container.encodeNumber(macroF1, forKey: .init("final_validation_macro_f1"))
        if rocAUC != nil { try container.encodeNumber(rocAUC, forKey: .init("final_validation_roc_auc")) }
        if originalMeanSquaredError != nil {
            try container.encodeNumber(originalMeanSquaredError, forKey: .init("final_validation_mse_original_units"))
            try container.encodeNumber(originalRSquared, forKey: .init("final_validation_r2_original_units"))
        }
        var object = container.nestedContainer(keyedBy: TrainSummary.Key.self, forKey: .init("preprocessing"))
        try object.encode(droppedRows, forKey: .init("dropped_rows"))
        if readAsWindows1252 { try object.encode("windows-1252", forKey: .init("text_encoding")) }
        try object.encode(reasons, forKey: .init("ignored_reasons"))
        try object.encode(columnRoles.map { ["name": $0.name, "role": $0.role, "encoding": $0.encoding] }, forKey: .init("columns"))
        try object.encode(classWeights.map { $0.map(Double.init) }, forKey: .init("class_weights"))
        try object.encodeNumber(smallestClassShare, forKey: .init("smallest_class_share"))
        if let target, target.mean != nil {
            try object.encode(true, forKey: .init("target_standardized"))
            try object.encode(target.transform.rawValue, forKey: .init("target_transform"))
            try object.encode("losses are in standardised target units (mse_original_units is not); R² is unchanged by standardisation",
                              forKey: .init("loss_units"))
        }
    }

    static func number(_ value: Double) -> String { String(format: "%.4g", value) }
}
