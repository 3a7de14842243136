import ArgumentParser
import Descent
import DescentFiles
import Foundation

/// The exit status of `predict` and `evaluate` when the work was done but rows with a malformed cell were
/// skipped (docs/exit-codes.md).
let skippedRowsExitStatus: Int32 = 3

extension PredictCommand {
    /// Predicts for a raw table through the model's preprocessing (a model trained on a raw CSV file):
    /// columns by name in any order, missing cells filled, unseen categories "(unknown)" and counted, a row
    /// with a malformed cell reported on standard error (file, line, column) and given an empty prediction,
    /// so the output still has one line per input row; then exit status 3.
    func predictRawTable(predictor: ModelPredictor, started: Date) throws {
        let card = predictor.card
        let table = try RawTable.read(path: csv)
        let (features, encoding) = try predictor.encode(table)
        let used = Set((card.preprocessing?.columns ?? []).map(\.name))
        let ignored = table.header.filter { !used.contains($0) }
        if !ignored.isEmpty && !json {
            FileHandle.standardError.write(Data(("note: \(csv): ignoring \(ignored.count) column(s) the model does not use: "
                + CSVChunkReader.listed(ignored) + "\n").utf8))
        }
        Self.reportSkipped(encoding, file: csv)
        let outputs = try predictor.outputs(features)
        let lines = try Self.lines(outputs, predictor: predictor, probabilities: probabilities).split(separator: "\n", omittingEmptySubsequences: false)
        var header = ["prediction"]
        if probabilities, let names = card.classNames { header += names.map { "probability_" + $0 } }
        var text = header.map(Self.quoted).joined(separator: ",") + "\n"
        var next = 0
        let blank = probabilities ? String(repeating: ",", count: card.classNames?.count ?? 0) : ""
        for row in 0..<table.count {
            if next < encoding.rowsKept.count && encoding.rowsKept[next] == row {
                text += lines[next] + "\n"
                next += 1
            } else {
                text += blank + "\n"
            }
        }
        if let out {
            try AtomicFile.write(text, to: out)
            if !json { FileHandle.standardError.write(Data("Wrote \(encoding.rowsKept.count) predictions to \(out)\n".utf8)) }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if json {
            var object = PredictSummary(rows: encoding.rowsKept.count, out: out, ignoredColumns: ignored, task: card.task.rawValue,
                                        seconds: Date().timeIntervalSince(started))
            object.skippedRows = encoding.skipped.count
            object.unknownCategories = encoding.unknownCategories
            if !encoding.skipped.isEmpty { object.status = "completed_with_skipped_rows" }
            print(Self.line(object))
        }
        if !encoding.skipped.isEmpty { throw ExitCode(skippedRowsExitStatus) }
    }

    /// Writes the skipped rows (at most 20, then a count) and the unseen categories to standard error.
    static func reportSkipped(_ encoding: TabularEncoding, file: String) {
        var text = ""
        for error in encoding.skipped.prefix(20) { text += "skipped: \(error)\n" }
        if encoding.skipped.count > 20 { text += "skipped: … and \(encoding.skipped.count - 20) more rows\n" }
        if !encoding.skipped.isEmpty {
            text += "note: \(file): \(encoding.skipped.count) row\(encoding.skipped.count == 1 ? "" : "s") skipped (malformed cells); exit status 3\n"
        }
        if encoding.unknownCount > 0 {
            text += "note: \(file): \(encoding.unknownCount) cell\(encoding.unknownCount == 1 ? "" : "s") with a category not seen in training, read as (unknown): "
                + encoding.unknownCategories.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        }
        if !text.isEmpty { FileHandle.standardError.write(Data(text.utf8)) }
    }
}
