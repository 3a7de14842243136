import Foundation
import XCTest

final class HelpAndVersionTests: XCTestCase {
    func testVersionPrintsTheSemanticVersion() throws {
        let result = try CommandLineRunner.run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines), "0.1.0")
    }

    func testHelpListsEverySubcommand() throws {
        let result = try CommandLineRunner.run(["--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.standardOutput.hasPrefix("OVERVIEW: Train models by gradient descent with a learning rate that is\nmanaged, not guessed."),
                      result.standardOutput)
        for command in ["train", "range-test", "schedule", "conformance", "inspect", "diagnose", "bench"] {
            XCTAssertTrue(result.standardOutput.contains("\n  \(command) "), "help should list \(command):\n\(result.standardOutput)")
        }
    }

    func testUnknownSubcommandIsAUsageError() throws {
        let result = try CommandLineRunner.run(["frobnicate"])
        XCTAssertEqual(result.status, 2)  // a usage error
        XCTAssertTrue(result.standardError.contains("frobnicate"), result.standardError)
    }
}
