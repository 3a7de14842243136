import ArgumentParser
import Descent
import Foundation

/// `descent conformance optimizers FILE`: runs every case of an optimizer conformance file.
///
/// Prints one line per case (`PASS name (max rel err …)` or `FAIL name: …`), then
/// `N passed, M failed`; exits 1 if a case failed or the file cannot be read.
struct ConformanceOptimizersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimizers",
        abstract: "Run every case of an optimizers conformance file."
    )

    @Argument(help: "A JSON file in the form of conformance/optimizers.json.")
    var file: String

    @Flag(help: "End with a JSON object: the counts, and on failure the error.")
    var json = false

    func run() async throws {
        try await ConformanceRun.run(file: file, json: json) { try OptimizerConformance.run(fileURL: URL(fileURLWithPath: file)).outcomes }
    }
}
