import ArgumentParser
import DescentCLIShared
import DescentCLITrain
import DescentData
import DescentTrain
import DescentFiles
import Foundation

extension PredictCommand {
    /// Predicts for a raw table through the model's preprocessing (a model trained on a raw CSV file):
    /// columns by name in any order, missing cells filled, unseen categories "(unknown)" and counted, a row
    /// with a malformed cell reported on standard error (file, line, column) and given an empty prediction,
    /// so the output still has one line per input row; then exit status 3.
    ///
    /// The file is streamed (`RawTableReader`, a few megabytes of rows at a time), so memory does not grow with
    /// the number of rows. A file whose columns the model does not find, or whose first block holds text in most
    /// cells of a numeric column, fails before any prediction is written; the same judged over the whole file
    /// at the end fails too (`--out` is then not written).
    /// `stop` set (SIGINT, SIGTERM): the temporary file is removed and `stopped` holds the rows written, with no summary.
    func predictRawTable(predictor: ModelPredictor, started: Date, stop: StopRequest, stopped: Box<Int?>) throws {
        let card = predictor.card
        let reader = try RawTableReader(path: csv)
        _ = try card.preprocessing?.positions(in: reader.header, file: csv)
        let used = Set((card.preprocessing?.columns ?? []).map(\.name))
        let ignored = reader.header.filter { !used.contains($0) }
        if !ignored.isEmpty && !json {
            StandardOutput.error("note: \(csv): ignoring \(ignored.count) column(s) the model does not use: " + CSVChunkReader.listed(ignored) + "\n")
        }
        // --out: a temporary file renamed at the end; else standard output, block by block.
        let output = try PredictionOutput(out: out, stop: stop, stopped: stopped)
        var header = ["prediction"]
        if probabilities, let names = card.classNames { header += names.map { "probability_" + $0 } }
        let blank = probabilities ? String(repeating: ",", count: card.classNames?.count ?? 0) : ""
        var tally = RawRowsTally()
        var pendingHeader: String? = header.map(Self.quoted).joined(separator: ",") + "\n"
        while let block = try reader.next() {
            if output.stopsHere(afterRows: tally.rowsKept) { return }
            // The library's prediction on raw rows (ModelPredictor.predict); this command words it.
            let predicted = try predictor.predict(block, checkingColumnKinds: tally.isFirstBlock)
            let encoding = predicted.encoding
            tally.add(encoding, rows: block.count)
            let lines = encoding.rowsKept.isEmpty ? [] : try Self.lines(predicted.outputs, predictor: predictor, probabilities: probabilities)
                .split(separator: "\n", omittingEmptySubsequences: false)
            var text = pendingHeader ?? ""
            pendingHeader = nil
            var next = 0
            for row in 0..<block.count {
                if next < encoding.rowsKept.count && encoding.rowsKept[next] == row {
                    text += lines[next] + "\n"
                    next += 1
                } else {
                    text += blank + "\n"
                }
            }
            try output.emit(text)
        }
        guard tally.rows > 0 else { throw DataError.invalidCSV(file: csv, "no data rows after the header") }
        if let error = tally.columnKindError(card.preprocessing, file: csv) { throw error }
        try output.commit()
        tally.report(file: csv)
        if let out, !json { StandardOutput.error("Wrote \(tally.rowsKept) predictions to \(out)\n") }
        if json {
            var object = PredictSummary(rows: tally.rowsKept, out: out, ignoredColumns: ignored, task: card.task.rawValue,
                                        seconds: Date().timeIntervalSince(started))
            object.skippedRows = tally.skippedCount
            object.unknownCategories = tally.unknownCategories
            if tally.skippedCount > 0 { object.status = "completed_with_skipped_rows" }
            print(Self.line(object))
        }
        if tally.skippedCount > 0 { throw ExitCode(skippedRowsExitStatus) }
    }
}
