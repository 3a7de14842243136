import ArgumentParser
import Descent
import Foundation

/// `--save-config FILE`: a run specification written as TOML (`.toml`), YAML (`.yaml`, `.yml`) or JSON
/// (`.json`), by the file's extension; one `key = value` a field, the keys the long flags with `_`, so
/// `--config FILE` reads it back as the flags it stands for.
///
/// ```toml
/// # written by descent train --dataset iris --learning-rate auto --save-config run.toml
/// batch_size = 32
/// chosen_learning_rate = 0.0123
/// dataset = "iris"
/// hidden = [64]
/// learning_rate = "auto"
/// ```
enum SpecificationFile {
    /// The formats, by extension.
    static let extensions = ["toml", "yaml", "yml", "json"]

    /// Checks that `path` names a file of a known format that may be written.
    /// - Throws: `ValidationError` naming `flag`.
    static func checkPath(_ path: String, flag: String) throws {
        let format = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard extensions.contains(format) else {
            throw ValidationError("\(flag): '\(CaretExcerpt.cut(path))' has no known extension; give a .toml, .yaml or .json file")
        }
        do { try AtomicFile.check(path) } catch { throw ValidationError("\(flag): \(error)") }
    }

    /// Writes `spec` to `path` in the format of its extension (atomically).
    static func write(_ spec: RunSpecification, to path: String) throws {
        try AtomicFile.write(try text(of: spec, format: URL(fileURLWithPath: path).pathExtension.lowercased()), to: path)
    }

    /// `spec` as the text of a file of `format` (`toml`, `yaml`/`yml`, `json`); keys sorted.
    static func text(of spec: RunSpecification, format: String) throws -> String {
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(spec), as: UTF8.self) + "\n"
        }
        let separator = format == "toml" ? " = " : ": "
        let header = "# A descent run (descent train --config FILE runs it; flags on the command line win over it).\n"
        let lines = RunSpecification.fields.compactMap { field -> (String, String)? in
            guard let value = spec.value(of: field.key) else { return nil }
            return (field.key, literal(value))
        }.sorted { $0.0 < $1.0 }
        return header + lines.map { $0.0 + separator + $0.1 }.joined(separator: "\n") + "\n"
    }

    /// A value as TOML and YAML both write it: quoted text (JSON escapes, which both read), numbers, booleans, lists.
    private static func literal(_ value: RunFieldValue) -> String {
        switch value {
        case let .text(text):
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let data = (try? encoder.encode(text)) ?? Data("\"\"".utf8)
            return String(decoding: data, as: UTF8.self)
        case let .integer(number): return "\(number)"
        case let .number(number): return number == number.rounded() && abs(number) < 1e15 ? String(format: "%.1f", number) : "\(number)"
        case let .flag(on): return "\(on)"
        case let .sizes(sizes): return "[" + sizes.map(String.init).joined(separator: ", ") + "]"
        }
    }
}
