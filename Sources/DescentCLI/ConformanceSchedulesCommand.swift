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

    func run() async throws {
        let results: [ScheduleConformance.CaseResult]
        do {
            results = try ScheduleConformance.run(fileURL: URL(fileURLWithPath: file))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        for result in results {
            print(result.description)
        }
        let failed = results.filter { !$0.passed }.count
        print("\(results.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode.failure }
    }
}
