import ArgumentParser
import DescentCLIShared
import DescentData
import DescentNN
import DescentTrain
import Foundation

extension EvaluateCommand {
    /// Scores a model trained on a raw CSV file on a raw table of the same shape: the rows go through the
    /// model's preprocessing (as `predict`), rows whose target is missing are left out (counted), a row with a
    /// malformed cell is reported and skipped (exit status 3), a regression is scored in the target's units.
    /// The file is streamed a few megabytes of rows at a time (`RawTableReader`), as `predict` streams it.
    func evaluateRawTable(predictor: ModelPredictor, targetName: String) throws {
        let card = predictor.card
        let reader = try RawTableReader(path: csv)
        guard let targetIndex = reader.header.firstIndex(of: targetName) else {
            throw DataError.invalidCSV(file: csv, "no target column \"\(targetName)\"; the columns are: " + reader.header.joined(separator: ", "))
        }
        _ = try card.preprocessing?.positions(in: reader.header, file: csv)
        var missingOptions = TabularOptions()
        missingOptions.missingValues = card.preprocessing?.missingValues ?? TabularOptions.defaultMissingValues
        let isMissing = missingOptions.missingCellTest
        let column = targetIndex + 1
        var classIndex: [String: Int] = [:]
        for (position, name) in (card.classNames ?? []).enumerated() { classIndex[name] = position }
        var classification = card.classNames.map { ClassificationTally(classNames: $0) }
        var regression = RegressionTally()
        var tally = RawRowsTally()
        var rowsRead = 0
        while let block = try reader.next() {
            rowsRead += block.count
            var table = RawTable(file: block.file, header: block.header, rows: [], lines: [])
            for (row, cells) in block.rows.enumerated() where !isMissing(cells[targetIndex]) {
                table.rows.append(cells)
                table.lines.append(block.lines[row])
            }
            guard table.count > 0 else { continue }
            let (features, encoding) = try predictor.encode(table, checkingColumnKinds: tally.isFirstBlock)
            tally.add(encoding, rows: table.count)
            guard !encoding.rowsKept.isEmpty else { continue }
            let outputs = try predictor.outputs(features)
            if let names = card.classNames {
                let labels = try encoding.rowsKept.map { row in
                    try Self.classIndex(table.rows[row][targetIndex], index: classIndex, names: names,
                                        place: (csv, table.lines[row], column, targetName))
                }
                try classification?.add(outputs: outputs, labels: labels)
            } else {
                let targets = try encoding.rowsKept.map { row -> Float in
                    let text = table.rows[row][targetIndex]
                    guard let value = (card.preprocessing?.target.numberFormat ?? .plain).parse(text), value.isFinite, Float(value).isFinite else {
                        throw DataError.malformedCSV(file: csv, line: table.lines[row], column: column, columnName: targetName,
                            "\"\(text.prefix(80))\" is not a finite number (the target of a regression must be numeric)")
                    }
                    return Float(value)
                }
                regression.add(predictions: predictor.values(outputs), targets: targets)
            }
        }
        guard rowsRead > 0 else { throw DataError.invalidCSV(file: csv, "no data rows after the header") }
        guard tally.rows > 0 else { throw CommandFailure(.input, "\(csv): every target cell of \"\(targetName)\" is missing") }
        if let error = tally.columnKindError(card.preprocessing, file: csv) { throw error }
        let withoutTarget = rowsRead - tally.rows
        if !json { tally.report(file: csv) }
        if withoutTarget > 0 && !json { print("note: \(withoutTarget) row(s) without a target left out") }
        if let classification {
            if json {
                var report = ClassificationReport(classification)
                report.skippedRows = tally.skippedCount
                report.unknownCategories = tally.unknownCategories
                print(PredictCommand.line(report))
            } else {
                printReport(classification)
            }
        } else if json {
            print(PredictCommand.line(RegressionReport(rows: regression.count, loss: regression.meanSquaredError, r2: regression.rSquared,
                                                       meanAbsoluteError: regression.meanAbsoluteError, skippedRows: tally.skippedCount,
                                                       unknownCategories: tally.unknownCategories)))
        } else {
            print(String(format: "%ld rows: loss (mean squared error, in the target's units) %.6g, R² %.4f, mean absolute error %.6g",
                         regression.count, regression.meanSquaredError, regression.rSquared, regression.meanAbsoluteError))
        }
        if tally.skippedCount > 0 { throw ExitCode(skippedRowsExitStatus) }
    }
}
