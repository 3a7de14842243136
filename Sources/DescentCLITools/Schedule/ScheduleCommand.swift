import ArgumentParser

/// `descent schedule ...`: look at learning-rate schedules.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Show learning-rate schedules.",
        subcommands: [ScheduleShowCommand.self]
    )
}
