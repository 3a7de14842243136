import ArgumentParser
import DescentCLIShared
import DescentData
import DescentTensor
import DescentTrain
import Foundation

/// `descent inspect FILE [--target COLUMN] [--task classification|regression] [--json]`:
/// look inside a data file or a weights file before training on it or loading it.
///
/// * `.csv`: columns with range, mean and missing count, row count, the target
///   column (the last unless `--target` names one), the task it implies and the
///   classes with their counts. Empty cells are counted as missing here (training
///   refuses them, naming the line and column).
/// * `.safetensors`: tensor names, dtypes and shapes, and the `__metadata__`.
/// * `.npy`: shape and values summary.
///
/// With `--json` the last line of the output is one JSON object, e.g. for a
/// safetensors file `{"tensors":[{"name":"fc.weight","dtype":"F32","shape":[10,64]}],"metadata":{}}`.
/// A malformed file ends with the message on stderr and exit status 1.
///
/// ```
/// $ descent inspect iris.csv
/// iris.csv: 150 rows, 5 columns
/// ...
/// target: species (column 5), task: classification, 3 classes
/// ```
package struct InspectCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Look inside a CSV data file or a safetensors weights file.",
        discussion: """
            CSV: columns, rows, per-column min/max/mean and missing count, the target column \
            (the last unless --target names one), the task it implies and the classes with counts. \
            safetensors: tensor names, dtypes and shapes. NPY: shape and value range. \
            With --json the last line is one JSON object. Malformed input: message on stderr, exit status 1.
            """
    )

    @Argument(help: "The file to inspect (.csv, .safetensors or .npy).")
    var file: String

    @Option(help: "The target column of a CSV file (default: the last column).")
    var target: String?

    @Option(help: "The task of a CSV file's target: classification or regression (default: inferred).")
    var task: PredictionTask?

    @Flag(help: "End the output with one line of JSON.")
    var json = false

    /// How a CSV file's columns are read: the roles shown are those training will use with the same flags.
    @OptionGroup var tabular: TabularArguments

    package func validate() throws {
        if kind == nil {
            throw ValidationError("cannot tell the format of '\(file)': inspect reads .csv, .safetensors and .npy files")
        }
    }

    private enum Kind { case csv, safetensors, npy }

    private var kind: Kind? {
        switch (file as NSString).pathExtension.lowercased() {
        case "csv": return .csv
        case "safetensors": return .safetensors
        case "npy": return .npy
        default: return nil
        }
    }

    package func run() async throws {
        try await FailureJSON.run(json: json) {
            do {
                switch kind {
                case .csv: try inspectCSV()
                case .safetensors: try inspectSafetensors()
                case .npy: try inspectNPY()
                case nil: throw ValidationError("cannot tell the format of '\(file)'")
                }
            } catch let error as TensorError {
                throw CommandFailure(.input, "\(file): \(error.description)")
            }
        }
    }

    private func inspectCSV() throws {
        let options = tabular.options(target: target, task: task)
        let table = try RawTable.read(path: file)
        let profile = try TabularProfile(table: table, options: options)
        let roles = try ColumnRolesTable(table: table, profile: profile, options: options)
        guard profile.isPlainNumeric && profile.columns[profile.targetIndex].missing == 0 && table.isPlainCSV else {
            try inspectRawTable(table: table, profile: profile, roles: roles, options: options)
            return
        }
        let summary = try CSVSummary.inspect(path: file, targetColumn: target, task: task)
        print("\(summary.file): \(summary.rows) rows, \(summary.columns.count) columns")
        let nameWidth = max(6, summary.columns.map { $0.name.count }.max() ?? 0)
        print(pad("column", nameWidth) + "  " + ["min", "max", "mean", "missing"].map { pad($0, 12, right: true) }.joined())
        for (index, column) in summary.columns.enumerated() {
            let marker = index == summary.targetIndex ? "  (target)" : ""
            let cells: [String] = column.isNumeric
                ? [format(column.minimum), format(column.maximum), format(column.mean)]
                : ["text", "", ""]
            print(pad(column.name, nameWidth) + "  " + (cells + [String(column.missing)]).map { pad($0, 12, right: true) }.joined() + marker)
        }
        let totalMissing = summary.columns.reduce(0) { $0 + $1.missing }
        if totalMissing > 0 {
            print("missing cells: \(totalMissing) (training on this file fails until they are filled or the rows removed)")
        }
        let how = task == nil ? "inferred" : "given"
        print("target: \(summary.target) (column \(summary.targetIndex + 1)), task: \(summary.task.rawValue) (\(how))")
        if !summary.classes.isEmpty {
            print("classes: \(summary.classes.count)")
            let width = max(5, summary.classes.map { $0.name.count }.max() ?? 0)
            for item in summary.classes { print("  " + pad(item.name, width) + "  " + String(item.count)) }
        }
        for line in roles.lines { print(line) }
        if json { print(String(summary.json.dropLast()) + "," + roles.jsonFields + "}") }
    }

    private func inspectSafetensors() throws {
        let header = try Safetensors.readHeader(path: file)
        print("\(file): \(header.tensors.count) tensors, \(header.elementCount) elements, header \(header.headerByteCount) bytes")
        let nameWidth = max(4, header.tensors.map { $0.name.count }.max() ?? 0)
        print(pad("name", nameWidth) + "  " + pad("dtype", 8) + "shape")
        for info in header.tensors {
            print(pad(info.name, nameWidth) + "  " + pad(info.dtype.rawValue, 8) + "[" + info.shape.map(String.init).joined(separator: ", ") + "]")
        }
        if ModelCard.isPresent(in: header.metadata) {
            // A model saved by descent train: the card in words (a broken card is an input error naming the key).
            for line in try ModelCard(metadata: header.metadata, source: file).describedLines() { print(line) }
            print(header.metadata[ModelCard.Key.tensorChecksums] == nil
                ? "tensor checksums: none recorded (its weights are not verified when loaded)"
                : "tensor checksums: the SHA-256 of each tensor (verified when predict, evaluate or --init-weights load it)")
        } else if !header.metadata.isEmpty {
            print("metadata:")
            for key in header.metadata.keys.sorted() { print("  \(key): \(header.metadata[key]!)") }
        }
        if !ModelCard.isPresent(in: header.metadata) {
            print("no model description: weights only (descent predict and evaluate need a file saved by descent train --save-weights)")
        }
        if json { print(header.json) }
    }

    private func inspectNPY() throws {
        let tensor = try NPY.read(path: file)
        // Statistics of the finite values; NaN and ±infinity are counted, not mixed in
        // (Swift's min/max give an order-dependent answer when NaN is present).
        let values = tensor.scalars.filter(\.isFinite)
        let nonFinite = tensor.count - values.count
        let minimum = values.min(), maximum = values.max()
        let mean = values.isEmpty ? nil : values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        print("\(file): shape [\(tensor.shape.map(String.init).joined(separator: ", "))], \(tensor.count) elements")
        print("min \(format(minimum)), max \(format(maximum)), mean \(format(mean))"
            + (nonFinite > 0 ? " (of the finite values); non-finite (NaN or infinite): \(nonFinite)" : ""))
        if json {
            func number(_ value: Double?) -> String { value.map { $0.isFinite ? "\($0)" : "null" } ?? "null" }
            print("{\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],\"count\":\(tensor.count),"
                + "\"min\":\(number(minimum.map(Double.init))),\"max\":\(number(maximum.map(Double.init))),\"mean\":\(number(mean)),"
                + "\"non_finite\":\(nonFinite)}")
        }
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }

    private func format(_ value: Float?) -> String { value.map { format(Double($0)) } ?? "-" }

    private func format(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value == value.rounded() && abs(value) < 1e9 { return String(Int(value)) }
        let text = String(format: "%.6g", value)
        return text
    }

    package init() {}
}
