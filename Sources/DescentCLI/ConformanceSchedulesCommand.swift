import ArgumentParser
import Descent
import Foundation

/// `descent conformance schedules FILE`: runs every case of a schedules conformance file (the form
/// of shared/conformance/schedules.json) and prints one line per case, then `N passed, M failed`.
/// Exits with status 1 when a case fails or the file is malformed.
struct ConformanceSchedulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedules",
        abstract: "Run every case of a schedules conformance file.",
        discussion: """
            Each case names a PyTorch, Optax or Keras schedule with that library's parameters and lists the \
            reference rates (and cycled momentum, and for ReduceLROnPlateau the metrics). A value matches \
            within relative 1e-6 (absolute 1e-9 near zero).
            """
    )

    @Argument(help: "The conformance file (JSON).")
    var file: String

    @Flag(help: "End with a JSON object: the counts, and on failure the error.")
    var json = false

    func run() async throws {
        try await ConformanceRun.run(file: file, json: json) {
            try ScheduleConformance.run(fileURL: URL(fileURLWithPath: file)).map {
                ConformanceRun.Outcome(name: $0.name, passed: $0.passed, line: $0.description)
            }
        }
    }
}
