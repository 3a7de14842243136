import Foundation
import XCTest
@testable import DescentFiles

/// The reference fixtures of the two configuration readers, shared by ``TOMLReaderTests`` and ``YAMLReaderTests``:
/// Fixtures/toml/cases.json (scripts/generate_toml_fixtures.py, tomllib's values) and Fixtures/yaml/cases.json
/// (scripts/generate_yaml_fixtures.py, ruamel.yaml's), and the comparison of a read ``ConfigurationValue`` with a
/// reference's value in toml-test's tagged JSON form.
///
/// Example: the TOML case `"hidden = [64, 32]\n"` expects `{"valid": {"hidden": [{"type": "integer", "value": "64"},
/// {"type": "integer", "value": "32"}]}}`; reading it as `.integer(64), .integer(32)` gives no difference, reading
/// `.integer(64), .float(32)` gives `name.hidden[1]: read float 32.0, expected integer 32`.
enum ConfigurationFixtures {
    struct Case {
        var name: String
        /// The document's text.
        var document: String
        /// `["valid": tagged value]`, `["invalid": line(s)]` or `["refused": what]` (each generator's docstring says which).
        var expect: [String: Any]
    }

    /// The cases of Fixtures/`format`/cases.json, `format` being "toml" or "yaml" (also the key of each case's text).
    static func cases(_ format: String) throws -> [Case] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "cases", withExtension: "json", subdirectory: "Fixtures/\(format)"))
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]])
        return try list.map { item in
            Case(name: try XCTUnwrap(item["name"] as? String), document: try XCTUnwrap(item[format] as? String),
                 expect: try XCTUnwrap(item["expect"] as? [String: Any]))
        }
    }

    /// The first difference between a read value and the reference's tagged JSON of its value, or nil; `syntax` names
    /// the collections in the difference as the format does ("an array" or "a list").
    static func difference(_ value: ConfigurationValue, _ expected: Any, at path: String, syntax: ConfigurationValue.Syntax) -> String? {
        func scalar(_ type: String, _ text: String) -> String? {
            guard let tagged = expected as? [String: String], tagged.count == 2, let want = tagged["value"] else {
                return "\(path): read \(type) \(text), expected \(expected)"
            }
            guard tagged["type"] == type else { return "\(path): read \(type) \(text), expected \(tagged["type"] ?? "?") \(want)" }
            if type == "float" {
                let parsed = ["inf": Double.infinity, "-inf": -Double.infinity, "nan": Double.nan]
                guard let number = parsed[text] ?? Double(text), let wanted = parsed[want] ?? Double(want) else {
                    return "\(path): float \(text) vs \(want)"
                }
                let same = number.isNaN ? wanted.isNaN : number == wanted && number.sign == wanted.sign
                return same ? nil : "\(path): read \(text), expected \(want)"
            }
            return text == want ? nil : "\(path): read \(type) \(text.debugDescription), expected \(want.debugDescription)"
        }
        switch value {
        case let .string(text): return scalar("string", text)
        case let .integer(number): return scalar("integer", String(number))
        case let .float(number): return scalar("float", number.isNaN ? "nan" : number.isInfinite ? (number > 0 ? "inf" : "-inf") : "\(number)")
        case let .boolean(on): return scalar("bool", on ? "true" : "false")
        case .null: return scalar("null", "")
        case let .array(items):
            guard let list = expected as? [Any], list.count == items.count else {
                return "\(path): read \(value.kindDescription(in: syntax)) of \(items.count), expected \(expected)"
            }
            for (index, item) in items.enumerated() {
                if let found = difference(item, list[index], at: "\(path)[\(index)]", syntax: syntax) { return found }
            }
            return nil
        case let .table(table):
            guard let object = expected as? [String: Any], !(object.count == 2 && object["type"] is String && object["value"] is String)
            else { return "\(path): read \(value.kindDescription(in: syntax)), expected \(expected)" }
            guard Set(table.keys) == Set(object.keys), table.keys.count == object.count else {
                return "\(path): keys \(table.keys.sorted()), expected \(object.keys.sorted())"
            }
            for key in table.keys {
                guard let item = table[key], let want = object[key] else { return "\(path).\(key) missing" }
                if let found = difference(item, want, at: "\(path).\(key)", syntax: syntax) { return found }
            }
            return nil
        }
    }
}
