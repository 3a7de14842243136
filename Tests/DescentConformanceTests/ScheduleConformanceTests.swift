import DescentConformance
import DescentSchedules
import Foundation
import XCTest

/// Runs the reference-value files (PyTorch, Optax, Keras) through the public conformance runner.
final class ScheduleConformanceTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run(_ file: String) throws -> [ScheduleConformance.CaseResult] {
        let url = Self.repository.appendingPathComponent("conformance").appendingPathComponent(file)
        return try ScheduleConformance.run(fileURL: url)
    }

    func testSharedFilePasses() throws {
        let results = try run("schedules.json")
        XCTAssertGreaterThanOrEqual(results.count, 23)
        for result in results {
            XCTAssertTrue(result.passed, result.description)
        }
    }

    func testExtraFilePasses() throws {
        let results = try run("schedules-extra.json")
        XCTAssertGreaterThanOrEqual(results.count, 40)
        for result in results {
            XCTAssertTrue(result.passed, result.description)
        }
    }
}
