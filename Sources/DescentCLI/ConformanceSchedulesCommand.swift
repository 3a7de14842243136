import ArgumentParser

/// `descent conformance schedules FILE`. (Owned by the schedules work; stub.)
struct ConformanceSchedulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedules",
        abstract: "Run every case of a schedules conformance file."
    )
}
