import DescentTrain
import Foundation

extension ModelCard {
    /// The card in words, as `descent inspect` prints it:
    ///
    /// ```
    /// model: MLP 4 → 64 → 3, relu (format version 1)
    /// task: classification of "species" into 3 classes: setosa, versicolor, virginica
    /// features (4, in this order): sepal_length, sepal_width, petal_length, petal_width
    /// standardised: (x − mean) / standard deviation per feature
    ///   sepal_length  mean 5.8425  sd 0.8276
    /// trained on: iris: 120 training and 30 validation examples, …
    ///   optimizer adamw, learning rate 0.003, schedule constant, 20 epochs (completed)
    ///   final training loss 0.0712, validation loss 0.0588, validation accuracy 0.9667
    /// made by: descent train --dataset iris --learning-rate auto --epochs 30
    /// ```
    func describedLines() -> [String] {
        var lines = ["model: \(architecture.summary) (format version \(formatVersion))"]
        if let classNames {
            lines.append("task: classification of \"\(targetName)\" into \(classNames.count) classes: " + Self.cut(classNames))
        } else {
            lines.append("task: regression of \"\(targetName)\"")
        }
        lines.append("features (\(featureNames.count), in this order): " + Self.cut(featureNames))
        if let standardizer {
            lines.append("standardised: (x − mean) / standard deviation per feature")
            let width = min(40, featureNames.map(\.count).max() ?? 0)
            for (index, name) in featureNames.enumerated().prefix(20) {
                lines.append("  " + name.padding(toLength: max(width, name.count), withPad: " ", startingAt: 0)
                    + String(format: "  mean %.6g  sd %.6g", standardizer.mean[index], standardizer.standardDeviation[index]))
            }
            if featureNames.count > 20 { lines.append("  … (\(featureNames.count - 20) more)") }
        } else if let preprocessing {
            lines.append("preprocessing (raw CSV columns, fitted on the training part): " + preprocessing.columns.map { column -> String in
                switch column.kind {
                case .numeric, .boolean:
                    return "\(column.name) \(column.kind.rawValue)" + ((column.missingIndicator ?? false) ? " (missing → median, indicator)" : "")
                case .categorical:
                    let levels = (column.levels?.count ?? 1) - 1
                    return "\(column.name) " + (column.embeddingDimension.map { "embedding \(levels)×\($0)" } ?? "one-hot \(levels)")
                }
            }.joined(separator: ", "))
            if !preprocessing.ignoredColumns.isEmpty { lines.append("ignored columns: " + Self.cut(preprocessing.ignoredColumns)) }
            if let mean = preprocessing.target.mean, let deviation = preprocessing.target.standardDeviation {
                lines.append(String(format: "target: trained standardised%@ (mean %.6g, sd %.6g), predictions in its own units",
                                    preprocessing.target.transform == .log ? " after log" : "", mean, deviation))
            }
        } else {
            lines.append("standardised: no (features are used as they are)")
        }
        if let training {
            lines.append("trained on: \(training.data)")
            lines.append(String(format: "  optimizer %@, learning rate %.4g, schedule %@, %ld epochs (%@)", training.optimizer,
                                training.learningRate, training.schedule, training.epochsRun, training.status))
            func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "-" }
            lines.append("  final training loss \(number(training.finalTrainingLoss)), validation loss \(number(training.finalValidationLoss)), "
                + "validation \(training.metricName) \(number(training.finalValidationMetric))")
        }
        if let members = ensembleMembers {
            lines.append("ensemble: \(members) models (seeds S, S+1000, …: each its own validation part and rate) averaged at prediction; "
                + "the training lines above are the first model's (docs/tabular.md, small tables)")
        }
        if let specification {
            // Format version 2 on: the run itself, as the command line that trains it again.
            let words = specification.arguments(roles: [.shapesTheRun, .length]).map { word in
                word.allSatisfy { $0.isLetter || $0.isNumber || "-_./,:=+".contains($0) } && !word.isEmpty ? word : "'\(word)'"
            }
            lines.append("made by: descent train " + words.joined(separator: " "))
        }
        return lines
    }

    private static func cut(_ names: [String]) -> String {
        names.count > 20 ? names.prefix(20).joined(separator: ", ") + ", … (\(names.count) in all)" : names.joined(separator: ", ")
    }
}
