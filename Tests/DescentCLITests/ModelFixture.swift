import Foundation

/// Model files for the CLI tests, written byte by byte (the safetensors layout: 8-byte header length,
/// JSON header with `__metadata__`, F32 data), so the tests do not depend on the writer they check.
enum ModelFixture {
    /// A safetensors file of `tensors` (name, shape, values) with `metadata`.
    static func bytes(_ tensors: [(name: String, shape: [Int], values: [Float])], metadata: [String: String]) -> [UInt8] {
        func quoted(_ text: String) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes]), as: UTF8.self)
                .dropFirst().dropLast().description
        }
        var parts: [String] = []
        if !metadata.isEmpty {
            parts.append("\"__metadata__\":{" + metadata.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + quoted($0.value) }
                .joined(separator: ",") + "}")
        }
        var offset = 0
        var data: [UInt8] = []
        for tensor in tensors {
            let end = offset + 4 * tensor.values.count
            parts.append(quoted(tensor.name) + ":{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],"
                + "\"data_offsets\":[\(offset),\(end)]}")
            offset = end
            for value in tensor.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
        }
        var header = Array(("{" + parts.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        return bytes + header + data
    }

    /// A linear classifier of columns `a`, `b` into classes "0", "1" with identity weights and no
    /// standardisation: its logits are (a, b), so it predicts class 1 exactly when b > a.
    static var linearClassifier: [UInt8] { linearClassifier(weights: [1, 0, 0, 1]) }

    /// The linear classifier with other `weights` (2 × 2, row-major) and `extraMetadata` (e.g. checksums).
    static func linearClassifier(weights: [Float], extraMetadata: [String: String] = [:]) -> [UInt8] {
        bytes([("0.bias", [2], [0, 0]), ("0.weight", [2, 2], weights)], metadata: extraMetadata.merging([
            "format": "pt",
            "descent.format_version": "1",
            "descent.model": #"{"activation":"relu","hidden_sizes":[],"input_size":2,"kind":"mlp","output_size":2}"#,
            "descent.task": "classification",
            "descent.features": #"["a","b"]"#,
            "descent.classes": #"["0","1"]"#,
            "descent.target": "y",
        ]) { $1 })
    }

    /// The same tensors without any metadata.
    static var weightsOnly: [UInt8] { bytes([("0.bias", [2], [0, 0]), ("0.weight", [2, 2], [1, 0, 0, 1])], metadata: [:]) }
}
