import ArgumentParser
import Descent
import Foundation

/// `descent conformance lr-finder FILE`: runs every case of a range-test conformance file
/// (the form of conformance/lr_finder.json, fastai's values) with `RangeTestConformance`.
///
/// Prints one line per case (`PASS digits_mlp (max rel err 1.51e-15)` or `FAIL name: field …`),
/// then `N passed, M failed`; exits 1 if a case failed or the file cannot be read.
struct ConformanceLearningRateFinderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lr-finder",
        abstract: "Run every case of a learning-rate range test (LR finder) conformance file."
    )

    @Argument(help: "A JSON file in the form of conformance/lr_finder.json.")
    var file: String

    @Flag(help: "End with a JSON object: the counts, and on failure the error.")
    var json = false

    func run() async throws {
        try await ConformanceRun.run(file: file, json: json) { try RangeTestConformance.run(fileURL: URL(fileURLWithPath: file)).outcomes }
    }
}
