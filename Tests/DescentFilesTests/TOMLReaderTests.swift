import Foundation
import XCTest
@testable import DescentFiles

/// `TOMLReader` against Python's `tomllib` (the standard library's TOML 1.0 reader): every document in
/// Fixtures/toml/cases.json (scripts/generate_toml_fixtures.py) is read to the value tomllib reads, refused
/// on the line where tomllib refuses it, or refused on purpose (dates, integers outside 64 bits).
final class TOMLReaderTests: XCTestCase {
    func testEveryFixtureReadsAsTomllibReadsIt() throws {
        let all = try ConfigurationFixtures.cases("toml")
        XCTAssertGreaterThan(all.count, 150)
        var failures: [String] = []
        for item in all {
            let outcome = Result { try TOMLReader.parse(item.document) }
            if let expected = item.expect["valid"] {
                switch outcome {
                case let .success(table):
                    if let found = ConfigurationFixtures.difference(.table(table), expected, at: item.name, syntax: .toml) { failures.append(found) }
                case let .failure(error): failures.append("\(item.name): refused a valid document: \(error)")
                }
            } else if let line = item.expect["invalid"] as? Int {
                switch outcome {
                case .success: failures.append("\(item.name): read an invalid document")
                case let .failure(error as ConfigurationReadError):
                    // An unclosed string: tomllib names the end of the file, this reader the line the string opens on.
                    let unclosed = ["literal-unclosed", "multiline-unclosed", "multiline-literal-unclosed"].contains(item.name)
                    if error.line != line && !(unclosed && error.line == 1) { failures.append("\(item.name): refused on line \(error.line), tomllib on line \(line): \(error)") }
                    if error.reason.contains("\n") || error.reason.isEmpty { failures.append("\(item.name): not one line: \(error)") }
                case let .failure(error): failures.append("\(item.name): not a ConfigurationReadError: \(error)")
                }
            } else if let what = item.expect["refused"] as? String {
                let words = what == "date" ? "is a date or time, which no setting takes" : "does not fit in 64 bits"
                if case let .failure(error) = outcome, "\(error)".contains(words) { continue }
                failures.append("\(item.name): expected a refusal (\(words)), got \(outcome)")
            } else {
                failures.append("\(item.name): unknown expectation \(item.expect)")
            }
        }
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
    }

    func testErrorsNameLineAndColumnInOneLine() {
        let cases: [(String, String)] = [
            ("epochs = = 3\n", "line 1, column 10: a value is expected here, found '='"),
            ("a = 1\nb = 2\na = 3\n", "line 3, column 1: the key 'a' is given twice (first on line 1)"),
            ("[t]\nx = 1\n[t]\n", "line 3, column 2: the table [t] is defined twice (first on line 1)"),
            ("start = 1979-05-27\n", "line 1, column 9: '1979-05-27' is a date or time, which no setting takes; write it as a quoted string if it is text"),
            ("n = 0123\n", "line 1, column 5: '0123' is not a TOML value (a number, true, false, a quoted string, an array or an inline table)"),
            ("\"ü\" = \"é\" x\n", "line 1, column 11: the end of the line is expected after the value, found 'x'"),
            ("s = \"\\q\"\n", "line 1, column 6: '\\' followed by 'q' is not a TOML escape (\\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)"),
            ("big = 9223372036854775808\n", "line 1, column 7: the integer '9223372036854775808' does not fit in 64 bits"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try TOMLReader.parse(text), text) { error in XCTAssertEqual("\(error)", message) }
        }
    }

    func testKeysKeepDocumentOrderAndTheirLines() throws {
        let table = try TOMLReader.parse("# run\nzeta = 1\n\nalpha.beta = 2\n[gamma]\nx = 3\n")
        XCTAssertEqual(table.keys, ["zeta", "alpha", "gamma"])
        XCTAssertEqual(table.lines, ["zeta": 2, "alpha": 4, "gamma": 5])
    }

    func testDeepNestingIsRefusedNotOverflowed() {
        let deep = "a = " + String(repeating: "[", count: 100_000) + "\n"
        XCTAssertThrowsError(try TOMLReader.parse(deep)) { error in
            XCTAssertTrue("\(error)".contains("nest more than \(TOMLReader.maximumDepth) deep"), "\(error)")
        }
        let nested = "a = " + String(repeating: "[", count: 50) + String(repeating: "]", count: 50) + "\n"
        XCTAssertNoThrow(try TOMLReader.parse(nested))
    }

    func testLongDottedKeysAreRefusedNotOverflowed() {
        // 16 000 parts took 40 s and then overflowed the stack (status 139), in a key and in a table header alike.
        for text in ["a" + String(repeating: ".a", count: 100_000) + " = 1\n", "[a" + String(repeating: ".a", count: 100_000) + "]\n"] {
            XCTAssertThrowsError(try TOMLReader.parse(text)) { error in
                XCTAssertTrue("\(error)".contains("a dotted key has more than \(TOMLReader.maximumDepth) parts"), "\(error)")
            }
        }
        XCTAssertNoThrow(try TOMLReader.parse("a" + String(repeating: ".a", count: 50) + " = 1\n"))
    }
}
