import ArgumentParser

/// `descent schedule ...`: look at learning-rate schedules. (Owned by the schedules work.)
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Show learning-rate schedules."
    )
}
