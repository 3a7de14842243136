import ArgumentParser
import DescentCLIShared
import DescentCLITrain
import DescentData
import DescentTensor
import DescentTrain
import DescentFiles
import Foundation

/// `descent predict --model FILE --csv NEW.csv [--out predictions.csv] [--probabilities] [--json]`:
/// the predictions of a saved model for every row of a CSV file.
///
/// The columns are picked by the names the model was trained on (any order; a missing one is an error
/// naming it; extra ones, such as the target, are ignored and listed on standard error), standardised
/// with the stored means and deviations, and sent through the network. The output has one row per input
/// row, in order: `prediction` (the class label, or the value for regression) and, with `--probabilities`,
/// `probability_<label>` for each class. The file is streamed a few megabytes at a time, so memory does
/// not grow with the number of rows; `--out` appears only when every row was predicted (written to a
/// temporary file beside it and renamed at the end; removed on failure).
///
/// ```
/// $ descent predict --model iris.safetensors --csv new.csv --probabilities
/// prediction,probability_setosa,probability_versicolor,probability_virginica
/// setosa,0.9731,0.0268,0.0001
/// ```
package struct PredictCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a saved model for every row of a CSV file.",
        discussion: """
            The model file is one saved by `descent train --save-weights FILE.safetensors`. Columns are matched by \
            name; extra columns are ignored. Without --out the predictions go to standard output. With --json the \
            last line of standard output is one JSON object (rows, columns ignored, status).
            """
    )

    @Option(help: "The model file (.safetensors saved by descent train --save-weights).")
    var model: String
    @Option(help: "The CSV file to predict for (a header row naming the columns).")
    var csv: String
    @Option(help: "Write the predictions to this CSV file (default: standard output).")
    var out: String?
    @Flag(help: "Add each class's probability (softmax of the outputs) to every row.")
    var probabilities = false
    @Flag(help: "End standard output with one line of JSON.")
    var json = false

    package func validate() throws {
        if let out {
            try TrainCommand.validateOutputs([("--out", out)], streamed: ["--out"])
            if FileDestination.same(out, csv) { throw ValidationError("--out '\(out)' is the input --csv file; give the predictions their own path") }
            if FileDestination.same(out, model) { throw ValidationError("--out '\(out)' is the --model file; give the predictions their own path") }
        }
        // `descent predict --csv new.csv >> new.csv` appended predictions to the file being read.
        try TrainCommand.validateStandardOutput(outputs: [("--out", out)], inputs: [("--csv", csv), ("--model", model)])
    }

    package func run() async throws {
        // SIGINT/SIGTERM end the chunk in progress: --out's temporary file is removed (a file already there stays as
        // it was) and the command exits 130/143, with --json after one object, status "interrupted" (was: killed by
        // the signal, no object, `.NAME.PID.N.partial` left beside --out).
        let signals = SignalStop(json: json)
        defer { signals.restore() }
        let stopped = Box<Int?>(nil)
        try await FailureJSON.run(json: json) {
            let started = Date()
            let predictor = try ModelPredictor(try ModelFile.loadVerified(path: model))
            let card = predictor.card
            if probabilities && card.classNames == nil {
                throw ValidationError("--probabilities: \(model) is a regression model (of \"\(card.targetName)\"); it has no classes")
            }
            if card.preprocessing != nil {
                try predictRawTable(predictor: predictor, started: started, stop: signals.request, stopped: stopped)
                return
            }
            let reader = try CSVChunkReader(path: csv, featureNames: card.featureNames)
            if !reader.ignoredColumns.isEmpty {
                StandardOutput.error(("note: \(csv): ignoring \(reader.ignoredColumns.count) column(s) the model does not use: "
                    + CSVChunkReader.listed(reader.ignoredColumns) + "\n"))
            }
            // --out: a temporary file renamed at the end; else standard output, chunk by chunk.
            let output = try PredictionOutput(out: out, stop: signals.request, stopped: stopped)
            var header = ["prediction"]
            if probabilities, let names = card.classNames { header += names.map { "probability_" + $0 } }
            try output.emit(header.map(Self.quoted).joined(separator: ",") + "\n")
            var rows = 0
            while let chunk = try reader.next() {
                if output.stopsHere(afterRows: rows) { return }
                let features = try Tensor(shape: [chunk.rows, card.featureNames.count], scalars: chunk.features)
                let outputs = try predictor.outputs(features)
                try output.emit(try Self.lines(outputs, predictor: predictor, probabilities: probabilities))
                rows += chunk.rows
            }
            try output.commit()
            if let out, !json {
                StandardOutput.error("Wrote \(rows) predictions to \(out)\n")
            }
            if json {
                let object = PredictSummary(rows: rows, out: out, ignoredColumns: reader.ignoredColumns, task: card.task.rawValue,
                                            seconds: Date().timeIntervalSince(started))
                print(Self.line(object))
            }
        }
        if let rows = stopped.value, let status = signals.exitStatus {
            let message = "stopped by \(signals.request.reason ?? "a signal") after \(rows) rows"
                + (out.map { "; nothing was written to \($0)" } ?? "")
            if json {
                StandardOutput.writeLast(FailureJSON.line(kind: "interrupted", message: message)
                    .replacingOccurrences(of: #""status":"failed""#, with: #""status":"interrupted""#) + "\n")
            } else {
                StandardOutput.error("Interrupted: \(message)\n")
            }
            throw ExitCode(status)
        }
    }

    /// The CSV lines of a chunk's outputs: the label (or value), then the probabilities when asked.
    static func lines(_ outputs: Tensor, predictor: ModelPredictor, probabilities: Bool) throws -> String {
        var text = ""
        if let names = predictor.card.classNames {
            let indices = try outputs.argmax(alongAxis: 1)
            let quotedNames = names.map(quoted)
            let classes = names.count
            let probabilityValues = probabilities ? try predictor.probabilities(outputs).scalars : []
            for (row, index) in indices.enumerated() {
                text += quotedNames[index]
                if probabilities {
                    for column in 0..<classes { text += "," + "\(probabilityValues[row * classes + column])" }
                }
                text += "\n"
            }
        } else {
            for value in predictor.values(outputs) { text += "\(value)\n" }
        }
        return text
    }

    /// A CSV cell: quoted when it holds a comma, a quote or a line break (RFC 4180).
    static func quoted(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `--json`'s last line: `{"ignored_columns":["species"],"out":"p.csv","rows":150,"seconds":0.01,"status":"completed","task":"classification"}`.
    struct PredictSummary: Encodable {
        var status = "completed"
        var rows: Int, out: String?, ignoredColumns: [String], task: String, seconds: Double
        /// A raw table: rows skipped for a malformed cell, and cells of a category not seen in training, per column.
        var skippedRows: Int?, unknownCategories: [String: Int]?
        enum CodingKeys: String, CodingKey {
            case status, rows, out, task, seconds, ignoredColumns = "ignored_columns", skippedRows = "skipped_rows"
            case unknownCategories = "unknown_categories"
        }
    }

    static func line(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"status":"failed"}"#
    }

    package init() {}
}
