import ArgumentParser
import DescentCLIShared
import DescentData
import DescentNN
import DescentTensor
import DescentTrain
import Foundation

/// `descent evaluate --model FILE --csv DATA.csv [--target COL] [--json]`: how a saved model scores on
/// labelled data — the loss it was trained on, accuracy or R², and for classification the confusion
/// matrix (rows: the true class, columns: the predicted one) with each class's precision and recall.
///
/// The file is streamed as `descent predict` streams it. The target column is the one the model was
/// trained on unless `--target` names another; a label the model does not know is an error naming the
/// line and column.
///
/// ```
/// $ descent evaluate --model iris.safetensors --csv iris.csv
/// 150 rows: loss 0.0731, accuracy 0.9733
/// confusion matrix (rows: true class, columns: predicted)
///               setosa  versicolor  virginica
///   setosa          50           0          0
///   versicolor       0          47          3
///   virginica        0           1         49
/// class        precision  recall  support
/// setosa          1.0000  1.0000       50
/// ```
package struct EvaluateCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a saved model on a labelled CSV file: loss, accuracy or R², confusion matrix.",
        discussion: """
            The model file is one saved by `descent train --save-weights FILE.safetensors`. With --json the last \
            line of standard output is one JSON object: loss, accuracy (classification: confusion_matrix, per_class \
            precision/recall/support) or r2, mean_squared_error, mean_absolute_error (regression).
            """
    )

    @Option(help: "The model file (.safetensors saved by descent train --save-weights).")
    var model: String
    @Option(help: "The labelled CSV file to score the model on.")
    var csv: String
    @Option(help: "The target column (default: the one the model was trained on).")
    var target: String?
    @Flag(help: "End standard output with one line of JSON.")
    var json = false

    package func run() async throws {
        try await FailureJSON.run(json: json) {
            let predictor = try ModelPredictor(try ModelFile.loadVerified(path: model))
            let card = predictor.card
            let targetName = target ?? card.targetName
            if card.preprocessing != nil {
                try evaluateRawTable(predictor: predictor, targetName: targetName)
                return
            }
            let reader = try CSVChunkReader(path: csv, featureNames: card.featureNames, targetColumn: targetName)
            if !reader.ignoredColumns.isEmpty, !json {
                print("note: ignoring \(reader.ignoredColumns.count) column(s) the model does not use: " + CSVChunkReader.listed(reader.ignoredColumns))
            }
            let column = (reader.targetColumn ?? 0) + 1
            if let names = card.classNames {
                var tally = ClassificationTally(classNames: names)
                var index: [String: Int] = [:]
                for (position, name) in names.enumerated() { index[name] = position }
                while let chunk = try reader.next() {
                    let labels = try chunk.targetTexts.enumerated().map { row, text in
                        try Self.classIndex(text, index: index, names: names, place: (csv, chunk.lines[row], column, targetName))
                    }
                    let features = try Tensor(shape: [chunk.rows, card.featureNames.count], scalars: chunk.features)
                    try tally.add(outputs: try predictor.outputs(features), labels: labels)
                }
                guard tally.count > 0 else { throw CommandFailure(.input, "\(csv): no data rows after the header") }
                if json { print(PredictCommand.line(ClassificationReport(tally))) } else { printReport(tally) }
            } else {
                var tally = RegressionTally()
                while let chunk = try reader.next() {
                    let targets = try chunk.targetTexts.enumerated().map { row, text -> Float in
                        guard let value = NumberParser.parse(text), value.isFinite, Float(value).isFinite else {
                            throw DataError.malformedCSV(file: csv, line: chunk.lines[row], column: column, columnName: targetName,
                                "\"\(text.prefix(80))\" is not a finite number (the target of a regression must be numeric)")
                        }
                        return Float(value)
                    }
                    let features = try Tensor(shape: [chunk.rows, card.featureNames.count], scalars: chunk.features)
                    tally.add(predictions: try predictor.outputs(features).scalars, targets: targets)
                }
                guard tally.count > 0 else { throw CommandFailure(.input, "\(csv): no data rows after the header") }
                if json {
                    print(PredictCommand.line(RegressionReport(rows: tally.count, loss: tally.meanSquaredError, r2: tally.rSquared,
                                                               meanAbsoluteError: tally.meanAbsoluteError)))
                } else {
                    print(String(format: "%ld rows: loss (mean squared error) %.6g, R² %.4f, mean absolute error %.6g",
                                 tally.count, tally.meanSquaredError, tally.rSquared, tally.meanAbsoluteError))
                }
            }
        }
    }

    /// The class index of a label; integer labels match however they are written (`1`, `1.0`), as training read them.
    static func classIndex(_ text: String, index: [String: Int], names: [String], place: (file: String, line: Int, column: Int, name: String)) throws -> Int {
        if let found = index[text] { return found }
        if let value = NumberParser.parse(text), value.rounded() == value, abs(value) < 1e15, let found = index[String(Int(value))] {
            return found
        }
        throw DataError.malformedCSV(file: place.file, line: place.line, column: place.column, columnName: place.name,
            "unknown class label \"\(text.prefix(80))\"; the model knows \(names.count): " + CSVChunkReader.listed(names))
    }

    func printReport(_ tally: ClassificationTally) {
        print(String(format: "%ld rows: loss (cross-entropy) %.4f, accuracy %.4f", tally.count, tally.loss, tally.accuracy))
        let names = tally.classNames
        let width = max(10, min(30, names.map(\.count).max() ?? 0))
        func pad(_ text: String, _ size: Int, right: Bool = true) -> String {
            let padding = String(repeating: " ", count: max(0, size - text.count))
            return right ? padding + text : text + padding
        }
        print(String(format: "balanced accuracy %.4f, macro-F1 %.4f", tally.balancedAccuracy, tally.macroF1)
              + (tally.rocAUC.map { String(format: ", ROC AUC %.4f", $0) } ?? ""))
        print("confusion matrix (rows: true class, columns: predicted)")
        print(pad("", width + 2, right: false) + names.map { pad($0, max(8, $0.count) + 2) }.joined())
        for (row, name) in names.enumerated() {
            print("  " + pad(name, width, right: false) + names.indices.map { pad(String(tally.confusion[row][$0]), max(8, names[$0].count) + 2) }.joined())
        }
        print(pad("class", width + 2, right: false) + pad("precision", 11) + pad("recall", 9) + pad("support", 9))
        func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "-" }
        for (index, name) in names.enumerated() {
            print(pad(name, width + 2, right: false) + pad(number(tally.precision(index)), 11) + pad(number(tally.recall(index)), 9)
                + pad(String(tally.support(index)), 9))
        }
    }

    package init() {}
}
