import ArgumentParser
import DescentConformance
import Foundation

/// `descent conformance schedules FILE`: runs every case of a schedules conformance file (the form
/// of shared/conformance/schedules.json) with `ScheduleConformance`.
struct ConformanceSchedulesCommand: ConformanceFileCommand {
    static let configuration = commandConfiguration(
        "schedules", "Run every case of a schedules conformance file (conformance/schedules.json).",
        discussion: """
            Each case names a PyTorch, Optax or Keras schedule with that library's parameters and lists the \
            reference rates (and cycled momentum, and for ReduceLROnPlateau the metrics). A value matches \
            within relative 1e-6 (absolute 1e-9 near zero).
            """)
    @OptionGroup var arguments: ConformanceFileArguments
    static func report(fileURL: URL) throws -> ConformanceReport { ConformanceReport(results: try ScheduleConformance.run(fileURL: fileURL)) }
}
