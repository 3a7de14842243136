import Foundation
import XCTest
@testable import DescentFiles

/// `YAMLReader` against ruamel.yaml (YAML 1.2) and PyYAML (YAML 1.1): every document in Fixtures/yaml/cases.json
/// (scripts/generate_yaml_fixtures.py) is read to the value ruamel.yaml reads, refused on the line where the
/// references refuse it, or refused on purpose in words (what YAML 1.1 and 1.2 read differently, dates, tags, bombs).
final class YAMLReaderTests: XCTestCase {
    func testEveryFixtureReadsAsTheReferencesReadIt() throws {
        let all = try ConfigurationFixtures.cases("yaml")
        XCTAssertGreaterThan(all.count, 150)
        var failures: [String] = []
        for item in all {
            let outcome = Result { try YAMLReader.parse(item.document) }
            if let expected = item.expect["valid"] {
                switch outcome {
                case let .success(value):
                    if let found = ConfigurationFixtures.difference(value ?? .null, expected, at: item.name, syntax: .yaml) { failures.append(found) }
                case let .failure(error): failures.append("\(item.name): refused a valid document: \(error)")
                }
            } else if let lines = item.expect["invalid"] as? [Int] {
                switch outcome {
                case let .success(value): failures.append("\(item.name): read an invalid document: \(String(describing: value))")
                case let .failure(error as ConfigurationReadError):
                    if !lines.contains(error.line) { failures.append("\(item.name): refused on line \(error.line), the references on \(lines): \(error)") }
                    if error.description.contains("\n") || error.reason.isEmpty { failures.append("\(item.name): not one line: \(error)") }
                case let .failure(error): failures.append("\(item.name): not a ConfigurationReadError: \(error)")
                }
            } else if let words = item.expect["refused"] as? String {
                if case let .failure(error as ConfigurationReadError) = outcome, error.description.contains(words), error.kind == .refused,
                   !error.description.contains("\n") { continue }
                failures.append("\(item.name): expected a refusal (\(words)), got \(outcome)")
            } else {
                failures.append("\(item.name): unknown expectation \(item.expect)")
            }
        }
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
    }

    func testErrorsNameLineColumnAndTheTextAround() {
        let cases: [(String, String)] = [
            ("epochs: [1, 2\n", "line 2, column 1: the list opened on line 1 is not closed (']' is expected)"),
            ("a: 1\nb: 2\na: 3\n", "line 3, column 1: the key 'a' is given twice (first on line 1) (near 'a: 3')"),
            ("dataset: iris\nepochs: 010\n", "line 2, column 9: 'epochs': 010 is not a decimal number (YAML 1.1 reads leading zeros as octal, "
                + "'_' and ':' as digits, YAML 1.2 '0o' as octal); write it in decimal digits, e.g. 10 (near 'epochs: 010')"),
            ("a:\n\tb: 1\n", "line 2, column 1: a tab in the indentation (YAML indents with spaces only) (near '\tb: 1')"),
            ("a: 1\n---\nb: 2\n", "line 2, column 1: the file holds more than one YAML document (another begins here); "
                + "a configuration file is one document (near '---')"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try YAMLReader.parse(text), text) { error in XCTAssertEqual("\(error)", message) }
        }
        // A 10 000-character line is cut around the problem.
        let long = "a: \"" + String(repeating: "x", count: 10_000) + "\" :: [\n"
        XCTAssertThrowsError(try YAMLReader.parse(long)) { error in
            XCTAssertLessThan("\(error)".count, 200, "\(error)")
        }
    }

    func testKeysKeepDocumentOrderAndTheirLines() throws {
        let value = try YAMLReader.parse("# run\nzeta: 1\n\nalpha:\n  beta: 2\ngamma: [3]\n")
        guard case let .table(mapping)? = value else { return XCTFail("\(String(describing: value))") }
        XCTAssertEqual(mapping.keys, ["zeta", "alpha", "gamma"])
        XCTAssertEqual(mapping.lines, ["zeta": 2, "alpha": 4, "gamma": 6])
    }

    func testAliasesAreCountedExactlyBeforeTheyAreExpanded() throws {
        // The mapping, 2 keys, [1, 2] (3 nodes) and [*x, *x] (1 + 3 + 3): 13.
        let text = "a: &x [1, 2]\nb: [*x, *x]\n"
        XCTAssertNoThrow(try YAMLReader.parse(text, maximumNodes: 13))
        XCTAssertThrowsError(try YAMLReader.parse(text, maximumNodes: 12)) { error in
            XCTAssertTrue("\(error)".hasPrefix("line 2, column 9: its aliases expand to more than 12 values"), "\(error)")
        }
    }

    func testHostileDocumentsFailInWords() {
        let deep = "a: " + String(repeating: "[", count: 100_000) + "\n"
        XCTAssertThrowsError(try YAMLReader.parse(deep)) { error in
            XCTAssertTrue("\(error)".contains("nests more than \(YAMLReader.maximumDepth) deep"), "\(error)")
        }
        let deepBlock = (0..<100_000).map { String(repeating: " ", count: $0 % 2) + "- " }.joined() + "x\n"
        XCTAssertThrowsError(try YAMLReader.parse(deepBlock)) { error in
            XCTAssertTrue("\(error)".contains("nests more than"), "\(error)")
        }
        let huge = "a: " + String(repeating: "x", count: YAMLReader.maximumBytes) + "\n"
        XCTAssertThrowsError(try YAMLReader.parse(huge)) { error in
            XCTAssertTrue("\(error)".contains("a configuration file is read only up to 8 MiB"), "\(error)")
        }
        let nested = "a: " + String(repeating: "[", count: 50) + String(repeating: "]", count: 50) + "\n"
        XCTAssertNoThrow(try YAMLReader.parse(nested))
    }

    func testAFileOfManyValuesWithoutAliasesIsNotSaidToExpandAliases() {
        // 20 000 plain keys: the count passes the limit with no alias in the file (was: "its aliases expand to …").
        let keys = (0..<20_000).map { "k\($0): \($0)\n" }.joined()
        XCTAssertThrowsError(try YAMLReader.parse(keys)) { error in
            XCTAssertTrue("\(error)".contains("it holds more than \(YAMLReader.maximumNodes) values"), "\(error)")
            XCTAssertFalse("\(error)".contains("alias"), "\(error)")
        }
    }
}
