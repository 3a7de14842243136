import Foundation
import XCTest
@testable import DescentConformance

/// The JSON check in front of every conformance reader: the place of the first problem.
final class JSONTextCheckTests: XCTestCase {
    private func problem(_ text: String) -> String? {
        JSONTextCheck.firstProblem(in: Array(text.utf8)).map(\.description)
    }

    func testProblemsAreFoundByLineAndColumn() {
        XCTAssertNil(problem(#"{"cases": [1, 2.5e-3, -0, true, null, "a\"\u00e9"]}"#))
        XCTAssertEqual(problem(""), "line 1, column 1: the file is empty")
        XCTAssertEqual(problem("{\"cases\": [1, 2}"), "line 1, column 16: expected ',' or ']' but found '}'")
        XCTAssertEqual(problem("{\n  \"cases\": [\n    {\"steps\": 1e400}\n  ]\n}"),
                       "line 3, column 15: the number 1e400 is beyond the range of a 64-bit float")
        XCTAssertEqual(problem("{\"cases\": [{\"name\": \"x\""), "line 1, column 24: the file ends early (truncated?): expected '}'")
        XCTAssertEqual(problem("{\"a\": \"never ends"), "line 1, column 7: a string that never ends (the file ends early: truncated?)")
        XCTAssertEqual(problem("{} x"), "line 1, column 4: unexpected 'x' after the end of the JSON value")
        XCTAssertEqual(problem("{\"é\": 01}"), "line 1, column 8: expected ',' or '}' but found '1'")
    }

    func testDeepNestingIsCheckedWithoutRecursion() throws {
        // 100 000 nested lists: valid JSON, checked with an explicit stack; the decoder behind it
        // refuses the depth with an error, not a stack overflow.
        let deep = "{\"cases\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        XCTAssertNil(problem(deep))
        XCTAssertThrowsError(try ScheduleConformance.run(data: Data(deep.utf8)))
        XCTAssertNotNil(problem(String(repeating: "[", count: 100_000)))
    }
}
