import ArgumentParser
import Descent
import Foundation

extension EvaluateCommand {
    /// Scores a model trained on a raw CSV file on a raw table of the same shape: the rows go through the
    /// model's preprocessing (as `predict`), rows whose target is missing are left out (counted), a row with a
    /// malformed cell is reported and skipped (exit status 3), a regression is scored in the target's units.
    func evaluateRawTable(predictor: ModelPredictor, targetName: String) throws {
        let card = predictor.card
        let full = try RawTable.read(path: csv)
        guard let targetIndex = full.index(of: targetName) else {
            throw DataError.invalidCSV(file: csv, "no target column \"\(targetName)\"; the columns are: " + full.header.joined(separator: ", "))
        }
        var missingOptions = TabularOptions()
        missingOptions.missingValues = card.preprocessing?.missingValues ?? TabularOptions.defaultMissingValues
        let isMissing = missingOptions.missingCellTest
        var table = RawTable(file: full.file, header: full.header, rows: [], lines: [])
        for (row, cells) in full.rows.enumerated() where !isMissing(cells[targetIndex]) {
            table.rows.append(cells)
            table.lines.append(full.lines[row])
        }
        let withoutTarget = full.count - table.count
        guard table.count > 0 else { throw CommandFailure(.input, "\(csv): every target cell of \"\(targetName)\" is missing") }
        let (features, encoding) = try predictor.encode(table)
        if !json { PredictCommand.reportSkipped(encoding, file: csv) }
        if withoutTarget > 0 && !json { print("note: \(withoutTarget) row(s) without a target left out") }
        let outputs = try predictor.outputs(features)
        let column = targetIndex + 1
        if let names = card.classNames {
            var index: [String: Int] = [:]
            for (position, name) in names.enumerated() { index[name] = position }
            let labels = try encoding.rowsKept.map { row in
                try Self.classIndex(table.rows[row][targetIndex], index: index, names: names,
                                    place: (csv, table.lines[row], column, targetName))
            }
            var tally = ClassificationTally(classNames: names)
            try tally.add(outputs: outputs, labels: labels)
            if json {
                var report = ClassificationReport(tally)
                report.skippedRows = encoding.skipped.count
                report.unknownCategories = encoding.unknownCategories
                print(PredictCommand.line(report))
            } else {
                printReport(tally)
            }
        } else {
            let targets = try encoding.rowsKept.map { row -> Float in
                let text = table.rows[row][targetIndex]
                guard let value = NumberParser.parse(text), value.isFinite, Float(value).isFinite else {
                    throw DataError.malformedCSV(file: csv, line: table.lines[row], column: column, columnName: targetName,
                        "\"\(text.prefix(80))\" is not a finite number (the target of a regression must be numeric)")
                }
                return Float(value)
            }
            var tally = RegressionTally()
            tally.add(predictions: predictor.values(outputs), targets: targets)
            if json {
                print(PredictCommand.line(RegressionReport(rows: tally.count, loss: tally.meanSquaredError, r2: tally.rSquared,
                                                           meanAbsoluteError: tally.meanAbsoluteError, skippedRows: encoding.skipped.count,
                                                           unknownCategories: encoding.unknownCategories)))
            } else {
                print(String(format: "%ld rows: loss (mean squared error, in the target's units) %.6g, R² %.4f, mean absolute error %.6g",
                             tally.count, tally.meanSquaredError, tally.rSquared, tally.meanAbsoluteError))
            }
        }
        if !encoding.skipped.isEmpty { throw ExitCode(skippedRowsExitStatus) }
    }
}
