import DescentFiles
import Foundation
import Yams

/// A configuration file of `descent train --config FILE`: flat `key = value` pairs whose keys are
/// the command's long flag names (`learning-rate` or `learning_rate`), read from TOML (`.toml`,
/// through DescentFiles' `TOMLReader`) or YAML (`.yaml`, `.yml`, through Yams), chosen by the file's extension.
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
            throw ConfigurationError(path: path, reason: "unknown format '.\(format)': give a .toml, .yaml, .yml or .json file")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigurationError(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw ConfigurationError(path: path, reason: "it is a directory") }
        let data: Data
        do {
            data = try FileContents.read(path)
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
        let table: TOMLTable
        do {
            table = try TOMLReader.parse(text)
        } catch let error as TOMLError {
            throw ConfigurationError(path: path, line: error.line, reason: "not valid TOML at column \(error.column): \(error.reason)")
        }
        func value(_ node: TOMLValue) -> Value {
            switch node {
            case let .string(text): return .string(text)
            case let .integer(number): return .integer(Int(number))
            case let .float(number): return .number(number)
            case let .boolean(on): return .boolean(on)
            case let .array(items): return .list(items.map(value))
            case .table: return .other("a table")
            }
        }
        return table.keys.sorted().compactMap { key in table[key].map { Entry(key: key, value: value($0), line: nil) } }
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

    private static func yamlEntries(_ text: String, path: String) throws -> [Entry] {
        // Aliases are counted (and nesting measured) before anything is expanded (YAMLExpansionCheck).
        do {
            _ = try YAMLExpansionCheck.measure(text)
        } catch let problem as YAMLExpansionCheck.Problem {
            switch problem {
            case let .tooManyNodes(line):
                throw ConfigurationError(path: path, line: line, reason: "its aliases expand to more than \(YAMLExpansionCheck.maximumNodes) "
                    + "values (a configuration holds a few dozen); nothing was expanded")
            case let .tooDeep(line):
                throw ConfigurationError(path: path, line: line, reason: "it nests more than \(YAMLExpansionCheck.maximumDepth) deep")
            }
        }
        let document: Node?
        do {
            document = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let (line, reason) = yamlProblem(error)
            throw ConfigurationError(path: path, line: line, reason: "not valid YAML" + reason)
        } catch {
            throw ConfigurationError(path: path, reason: "not valid YAML (\(CaretExcerpt.cut("\(error)")))")
        }
        guard let document else { return [] }   // an empty file sets nothing
        guard let mapping = document.mapping else {
            throw ConfigurationError(path: path, line: document.mark.map { $0.line }, reason: "the file must be a mapping of keys to values")
        }
        func value(_ node: Node, key: String) throws -> Value {
            switch node {
            case let .scalar(scalar):
                // Quoted text is a string; a plain scalar is read as YAML's core types are.
                guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }
                if node.null != nil { return .other("null") }
                if let value = node.bool { return .boolean(value) }
                if let value = node.int {
                    try Self.checkDecimal(scalar.string, key: key, path: path, line: node.mark?.line)
                    return .integer(value)
                }
                if let value = node.float {
                    try Self.checkDecimal(scalar.string, key: key, path: path, line: node.mark?.line)
                    return .number(value)
                }
                return .string(scalar.string)
            case let .sequence(sequence): return .list(try sequence.map { try value($0, key: key) })
            case .mapping: return .other("a mapping")
            case .alias: return .other("an alias")
            }
        }
        var entries: [Entry] = []
        for (key, node) in mapping {
            guard let name = key.scalar?.string else {
                throw ConfigurationError(path: path, line: key.mark.map { $0.line }, reason: "a key must be a plain name")
            }
            entries.append(Entry(key: name, value: try value(node, key: name), line: key.mark.map { $0.line }))
        }
        return entries
    }

    /// Refuses a YAML number that YAML 1.1 and decimal reading disagree on, or that only YAML 1.1
    /// reads as a number: a leading zero (`010` is octal 8 in YAML 1.1, 10 in YAML 1.2, an error in
    /// TOML and JSON), `0o`/`0x`/`0b` prefixes, `_` between digits, and base-60 `1:30` (90).
    static func checkDecimal(_ text: String, key: String, path: String, line: Int?) throws {
        let unsigned = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        let digits = unsigned.prefix { $0.isASCII && $0.isNumber }
        let special = [".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"].contains(String(unsigned))
        let leadingZero = digits.count > 1 && digits.first == "0"
        guard special || (!leadingZero && !unsigned.contains(where: { "_:xXoObB".contains($0) })) else {
            throw ConfigurationError(path: path, line: line, reason: "'\(CaretExcerpt.cut(key))': \(CaretExcerpt.cut(text)) is not a decimal number "
                + "(YAML 1.1 reads leading zeros as octal, '_' and ':' as digits); write it in decimal digits, e.g. "
                + (leadingZero ? String(Int(digits.drop { $0 == "0" }) ?? 0) : "10"))
        }
    }

    /// A Yams error as one line: the line (1-based) and ": PROBLEM at column C (near 'TEXT')", the text
    /// cut to about 40 characters around the column (Yams's own description spans lines and echoes
    /// whole lines, however long).
    static func yamlProblem(_ error: YamlError) -> (line: Int?, reason: String) {
        func near(_ yaml: String, _ mark: Mark) -> String {
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            guard mark.line >= 1, mark.line <= lines.count else { return "" }
            let characters = Array(lines[mark.line - 1].unicodeScalars.map(Character.init))
            let index = Swift.min(Swift.max(mark.column - 1, 0), characters.count)
            let start = Swift.max(0, index - 20), end = Swift.min(characters.count, index + 20)
            let shown = (start > 0 ? "…" : "") + String(characters[start..<end]) + (end < characters.count ? "…" : "")
            return shown.trimmingCharacters(in: .whitespaces).isEmpty ? "" : " (near '\(shown)')"
        }
        func words(_ context: YamlError.Context?, _ problem: String) -> String {
            // libyaml's own words (fixed texts, not the input): whole.
            [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        }
        switch error {
        case let .scanner(context, problem, mark, yaml), let .parser(context, problem, mark, yaml),
             let .composer(context, problem, mark, yaml):
            return (mark.line, ": \(words(context, problem)) at column \(mark.column)" + near(yaml, mark))
        case let .reader(problem, offset, _, yaml):
            let before = offset.map { yaml.utf8.prefix(Swift.max(0, $0)) }
            let line = before.map { $0.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } }
            return (line, ": " + CaretExcerpt.cut(problem))
        case let .duplicatedKeysInMapping(duplicates, context):
            return (context.mark.line, ": the key '\(CaretExcerpt.cut(duplicates.sorted().first ?? ""))' is given twice")
        default:
            return (nil, " (" + CaretExcerpt.cut("\(error)".split(separator: "\n").first.map(String.init) ?? "") + ")")
        }
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
