import ArgumentParser

/// `descent schedule ...`: look at learning-rate schedules.
package struct ScheduleCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Show learning-rate schedules.",
        subcommands: [ScheduleShowCommand.self]
    )

    package init() {}
}
