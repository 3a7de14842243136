import ArgumentParser
import DescentFiles
import DescentTrain
import Foundation

/// `--save-config FILE`: a run specification written as TOML (`.toml`), YAML (`.yaml`, `.yml`) or JSON
/// (`.json`), by the file's extension; one `key = value` a field, the keys the long flags with `_`; and
/// `--config FILE` read back into a specification (`read`), field by field.
///
/// ```toml
/// # written by descent train --dataset iris --learning-rate auto --save-config run.toml
/// batch_size = 32
/// chosen_learning_rate = 0.0123
/// dataset = "iris"
/// hidden = [64]
/// learning_rate = "auto"
/// ```
package enum SpecificationFile {
    /// The formats, by extension.
    static let extensions = ["toml", "yaml", "yml", "json"]

    /// The flags of `descent train` that are how the command runs, not part of the run: a file that names one is
    /// told to give it on the command line.
    static let commandFlags = ["json", "resume", "save_config", "config", "help"]

    /// The run a configuration file describes, decoded field by field (`RunSpecification.set`), and the fields it
    /// names in file order.
    /// - Throws: `ConfigurationError` naming the file, the line where known, and the key: a key that is no field (with
    ///   the nearest field), a key given twice (`-` and `_` name the same field), a value of the wrong kind.
    static func read(_ file: ConfigurationFile) throws -> (RunSpecification, keys: [String]) {
        var spec = RunSpecification()
        var seen: [String: String] = [:]
        var keys: [String] = []
        for entry in file.entries {
            func failure(_ reason: String) -> ConfigurationError { ConfigurationError(path: file.path, line: entry.line, reason: reason) }
            let name = CaretExcerpt.cut(entry.key)
            guard let field = RunSpecification.field(named: entry.key) else {
                let normalized = entry.key.replacingOccurrences(of: "-", with: "_")
                if commandFlags.contains(normalized) {
                    throw failure("'\(name)' is not part of a run (it is how the command runs): give --\(normalized.replacingOccurrences(of: "_", with: "-")) "
                        + "on the command line")
                }
                var reason = "unknown key '\(name)'"
                if let nearest = ConfigurationArguments.nearestKey(to: normalized, in: RunSpecification.fields.map(\.key)) {
                    reason += "; did you mean '\(nearest)'?"
                }
                throw failure(reason + " (the keys are the fields of a run: descent train's long flags, e.g. learning_rate)")
            }
            if let earlier = seen[field.key] {
                throw failure("the key '\(name)' repeats '\(CaretExcerpt.cut(earlier))' (a '-' and a '_' name the same field)")
            }
            seen[field.key] = entry.key
            keys.append(field.key)
            do {
                try set(field, from: entry.value, in: &spec)
            } catch let error as RunSpecificationError {
                // The value echoed is cut (a 2 MB value is not printed back) and kept on one line.
                throw failure("'\(name)' " + CaretExcerpt.cutEchoes(error.reason).replacingOccurrences(of: "\n", with: "\\n"))
            }
        }
        return (spec, keys)
    }

    /// Sets `field` from a file's value: text as a flag takes it ("5e-2" in quotes), numbers, true/false,
    /// a list of whole numbers (widths) or of names (columns, joined with commas).
    private static func set(_ field: RunSpecification.Field, from value: ConfigurationFile.Value, in spec: inout RunSpecification) throws {
        let mismatch = RunSpecificationError(field: field.key, reason: "must be \(expected(field.kind)), not \(value.described)")
        switch value {
        case let .string(text):
            if field.kind == .flag { throw mismatch }
            try spec.set(field.key, text: text)
        case let .integer(number):
            guard field.kind != .flag, field.kind != .text else { throw mismatch }
            try spec.set(field.key, to: .integer(number))
        case let .number(number):
            guard [.number, .rate].contains(field.kind) || field.role == .record else { throw mismatch }
            try spec.set(field.key, to: .number(number))
        case let .boolean(on):
            guard field.kind == .flag else { throw mismatch }
            try spec.set(field.key, to: .flag(on))
        case let .list(items):
            switch field.kind {
            case .sizes:
                try spec.set(field.key, to: .sizes(try items.map { item in
                    guard case let .integer(size) = item else { throw mismatch }
                    return size
                }))
            case .text:
                try spec.set(field.key, to: .text(try items.map { item in
                    guard case let .string(name) = item else { throw mismatch }
                    return name
                }.joined(separator: ",")))
            default: throw mismatch
            }
        case .other: throw mismatch
        }
    }

    /// What a field of `kind` takes, in words.
    private static func expected(_ kind: RunSpecification.FieldKind) -> String {
        switch kind {
        case .text: return "text"
        case .integer: return "an integer"
        case .number: return "a number"
        case .flag: return "true or false"
        case .sizes: return "a list of integers (or a string such as \"64,32\")"
        case .rate: return "a number or \"auto\""
        case let .choice(words): return "one of " + words.map { "\"\($0)\"" }.joined(separator: ", ")
        }
    }

    /// Checks that `path` names a file of a known format that may be written.
    /// - Throws: `ValidationError` naming `flag`.
    package static func checkPath(_ path: String, flag: String) throws {
        let format = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard extensions.contains(format) else {
            throw ValidationError("\(flag): '\(CaretExcerpt.cut(path))' has no known extension; give a .toml, .yaml or .json file")
        }
        do { try AtomicFile.check(path) } catch { throw ValidationError("\(flag): \(error)") }
    }

    /// Writes `spec` to `path` in the format of its extension (atomically).
    package static func write(_ spec: RunSpecification, to path: String) throws {
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
