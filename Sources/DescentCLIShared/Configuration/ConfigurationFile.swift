import DescentFiles
import Foundation

/// A configuration file of `descent train --config FILE`: flat `key = value` pairs whose keys are
/// the command's long flag names (`learning-rate` or `learning_rate`), read from TOML (`.toml`,
/// through DescentFiles' `TOMLReader`) or YAML (`.yaml`, `.yml`, through DescentFiles' `YAMLReader`), chosen by the file's extension.
///
/// ```toml
/// # digits.toml
/// dataset = "digits"
/// optimizer = "sgd"
/// learning_rate = 0.05
/// epochs = 30
/// hidden = [64, 32]
/// no-standardize = false
/// ```
/// ```yaml
/// # digits.yaml: the same settings
/// dataset: digits
/// learning-rate: 0.05
/// hidden: [64, 32]
/// ```
package struct ConfigurationFile: Equatable {
    /// One value, whatever the format.
    enum Value: Equatable {
        case string(String)
        case integer(Int)
        case number(Double)
        case boolean(Bool)
        case list([Value])
        /// Something no flag takes (a table, a date, null), in words.
        case other(String)

        /// "the string \"ten\"", "the integer 3", ... for error messages.
        var described: String {
            switch self {
            case let .string(text): return "the string \"\(CaretExcerpt.cut(text))\""
            case let .integer(value): return "the integer \(value)"
            case let .number(value): return "the number \(value)"
            case let .boolean(value): return "the boolean \(value)"
            case .list: return "a list"
            case let .other(what): return what
            }
        }
    }

    /// One `key = value` line; `line` is known for YAML (1-based).
    struct Entry: Equatable {
        var key: String
        var value: Value
        var line: Int?
    }

    var path: String
    var entries: [Entry]

    /// The formats, by extension.
    static let extensions = ["toml", "yaml", "yml", "json"]

    /// Reads and parses the file at `path`.
    package init(contentsOf path: String) throws {
        let format = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard Self.extensions.contains(format) else {
            // A name without an extension (`--config /dev/zero`) was "unknown format '.'".
            throw ConfigurationError(path: path, reason: (format.isEmpty ? "the name has no extension" : "unknown format '.\(format)'")
                + ": give a .toml, .yaml, .yml or .json file")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigurationError(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw ConfigurationError(path: path, reason: "it is a directory") }
        let data: Data
        do {
            // Bounded: a `.yaml` name on /dev/zero (or a 5 GB file) was read whole, without end, before the YAML reader's
            // own 8 MiB check; TOML and JSON files had no limit at all.
            data = try FileContents.read(path, limit: YAMLReader.maximumBytes)
        } catch let error as FileReadError {
            throw ConfigurationError(path: path, reason: "it cannot be read (\(error.reason))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(path: path, reason: "it is not UTF-8 text")
        }
        try self.init(text: text, format: format, path: path)
    }

    /// Parses `text` as TOML (`format` "toml") or YAML; `path` names the file in errors.
    init(text: String, format: String, path: String) throws {
        self.path = path
        switch format {
        case "toml": entries = try Self.tomlEntries(text, path: path)
        case "json": entries = try Self.jsonEntries(text, path: path)
        default: entries = try Self.yamlEntries(text, path: path)
        }
    }

    private static func tomlEntries(_ text: String, path: String) throws -> [Entry] {
        let table: ConfigurationTable
        do {
            table = try TOMLReader.parse(text)
        } catch let error as ConfigurationReadError {
            throw ConfigurationError(path: path, line: error.line, reason: "not valid TOML at column \(error.column): \(error.reason)")
        }
        return table.keys.sorted().compactMap { key in table[key].map { Entry(key: key, value: value($0, in: .toml), line: nil) } }
    }

    /// A value of either reader as a flag's value; what no flag takes (a table, null) is named as `syntax`
    /// names it ("a table" in TOML, "a mapping" in YAML).
    private static func value(_ node: ConfigurationValue, in syntax: ConfigurationValue.Syntax) -> Value {
        switch node {
        case let .string(text): return .string(text)
        case let .integer(number): return .integer(Int(number))
        case let .float(number): return .number(number)
        case let .boolean(on): return .boolean(on)
        case let .array(items): return .list(items.map { value($0, in: syntax) })
        case .null, .table: return .other(node.kindDescription(in: syntax))
        }
    }

    /// A JSON object of keys to values (as `--save-config run.json` writes), read by the strict, depth-limited parser.
    private static func jsonEntries(_ text: String, path: String) throws -> [Entry] {
        let document: JSONValue
        let bytes = Array(text.utf8)
        do {
            document = try JSONValue.parse(bytes[...])
        } catch let error as JSONValue.ParseError {
            // Was: `not valid JSON: ParseError(message: "unexpected end of JSON", offset: 0, duplicateKey: nil)`.
            throw ConfigurationError(path: path, reason: "not valid JSON at \(error.described(in: bytes))")
        }
        guard let object = document.object else {
            throw ConfigurationError(path: path, reason: "the file must be a JSON object of keys to values")
        }
        func value(_ node: JSONValue) -> Value {
            switch node {
            case let .string(text): return .string(text)
            case let .number(number):
                return number == number.rounded() && abs(number) < 9e15 ? .integer(Int(number)) : .number(number)
            case let .bool(on): return .boolean(on)
            case let .array(items): return .list(items.map(value))
            case .object: return .other("an object")
            case .null: return .other("null")
            }
        }
        return object.keys.sorted().compactMap { key in object[key].map { Entry(key: key, value: value($0), line: nil) } }
    }

    /// A YAML mapping of keys to values, read by DescentFiles' `YAMLReader` (YAML 1.2; what YAML 1.1 reads
    /// otherwise, such as `010` or `yes`, is refused in words, and aliases are counted before they are expanded).
    private static func yamlEntries(_ text: String, path: String) throws -> [Entry] {
        let document: ConfigurationValue?
        do {
            document = try YAMLReader.parse(text)
        } catch let error as ConfigurationReadError {
            let near = error.near.isEmpty ? "" : " (near '\(error.near)')"
            switch error.kind {
            case .invalid:
                throw ConfigurationError(path: path, line: error.line, reason: "not valid YAML: \(error.reason) at column \(error.column)" + near)
            case .refused:
                throw ConfigurationError(path: path, line: error.line, reason: error.reason)
            }
        }
        guard let document, document != .null else { return [] }   // an empty file sets nothing
        guard case let .table(mapping) = document else {
            throw ConfigurationError(path: path, line: 1, reason: "the file must be a mapping of keys to values, not \(document.kindDescription(in: .yaml))")
        }
        return mapping.keys.compactMap { key in mapping[key].map { Entry(key: key, value: value($0, in: .yaml), line: mapping.lines[key]) } }
    }
}

/// A configuration file that cannot be used: names the file, the line where known, and the key.
struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    var path: String
    var line: Int?
    var reason: String

    init(path: String, line: Int? = nil, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    var description: String {
        "--config '\(path)'" + (line.map { ", line \($0)" } ?? "") + ": " + reason
    }
}
