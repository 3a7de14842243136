@testable import DescentConformance
import DescentFiles
import Foundation
import XCTest

/// `ConformanceFile` reads a conformance file with the strict parser: deep nesting and a key given twice
/// are errors that say so, and a real reference file reads to the same values as Foundation's decoder.
final class ConformanceFileTests: XCTestCase {
    func testNestingDeeperThanTheLimitIsAnErrorNotACrash() {
        let depth = 100_000
        let text = "{\"cases\": " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        XCTAssertThrowsError(try ConformanceFile.cases(in: Data(text.utf8))) { error in
            guard case ConformanceFile.Problem.undecodable(let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("nesting deeper than \(ConformanceFile.maximumDepth) levels"), reason)
        }
    }

    func testAKeyGivenTwiceIsNamed() {
        XCTAssertThrowsError(try ConformanceFile.cases(in: Data(#"{"cases": [], "cases": [1]}"#.utf8))) { error in
            guard case ConformanceFile.Problem.undecodable(let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("the key \"cases\" appears twice"), reason)
        }
    }

    func testTheReferenceFilesReadAsFoundationDecodesThem() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in ["schedules", "schedules-extra", "optimizers", "optimizers-extra", "lr_finder"] {
            let data = try Data(contentsOf: root.appendingPathComponent("conformance/\(name).json"))
            let strict = try ConformanceFile.cases(in: data)
            let decoded = try XCTUnwrap(JSONDecoder().decode(JSONValue.self, from: data).object?["cases"]?.array)
            XCTAssertEqual(strict.count, decoded.count, name)
            XCTAssertEqual(strict, decoded, name)
        }
    }
}
