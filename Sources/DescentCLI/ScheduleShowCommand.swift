import ArgumentParser
import Descent
import Foundation

/// `descent schedule show "<spec>" --steps N [--base-lr X] [--json]`: a schedule's values and a
/// terminal chart of its rate (and of momentum, where the schedule cycles it).
struct ScheduleShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a schedule's rates (and cycled momentum) with a terminal chart.",
        discussion: """
            The schedule is given in Descent's text form, for example:
              descent schedule show "warmup(500) >> cosine(to: 1e-5)" --steps 10000 --base-lr 3e-4
              descent schedule show onecycle --steps 1000
            Known names: \(ScheduleParser.knownNames.joined(separator: ", ")).
            """
    )

    @Argument(help: "The schedule's text form, e.g. \"warmup(500) >> cosine(to: 1e-5)\".")
    var specification: String

    @Option(help: "The run's length in steps (≥ 1); bare names span it.")
    var steps: Int

    @Option(name: .customLong("base-lr"), help: "The base learning rate schedules start from or peak at.")
    var baseLearningRate: Double = 0.1

    @Flag(help: "Print JSON: the schedule's full text form, and every step's rate (and momentum).")
    var json = false

    @Flag(help: "Print every step's value (by default at most 21 evenly spaced steps).")
    var all = false

    @Option(help: "Chart width in characters.")
    var width: Int = 60

    @Option(help: "Chart height in lines.")
    var height: Int = 10

    func run() async throws {
        guard steps >= 1 else {
            throw ValidationError("--steps must be at least 1, got \(steps)")
        }
        let schedule: AnySchedule
        do {
            schedule = try ScheduleParser.parse(specification, totalSteps: steps, baseLearningRate: baseLearningRate)
        } catch let error as ScheduleError {
            var message = "error: \(error)\n"
            if let column = error.column {
                message += "  \(specification)\n  " + String(repeating: " ", count: max(column - 1, 0)) + "^\n"
            }
            FileHandle.standardError.write(Data(message.utf8))
            throw ExitCode.failure
        }
        let rates = (0..<steps).map { schedule($0) }
        let momentum: [Double]? = schedule.cyclesMomentum ? (0..<steps).map { schedule.momentum(at: $0) ?? .nan } : nil
        if json {
            print(try Self.json(schedule: schedule, steps: steps, baseLearningRate: baseLearningRate,
                                rates: rates, momentum: momentum))
            return
        }
        print("schedule: \(schedule)")
        let chart = TerminalChart(width: width, height: height)
        print(chart.render(rates, title: "learning rate"))
        if let momentum {
            print(chart.render(momentum, title: "momentum"))
        }
        let shown: [Int]
        if all || steps <= 21 {
            shown = Array(0..<steps)
        } else {
            shown = Array(Set((0...20).map { $0 * (steps - 1) / 20 })).sorted()
        }
        print(momentum == nil ? "step\trate" : "step\trate\tmomentum")
        for step in shown {
            var line = "\(step)\t\(rates[step])"
            if let momentum { line += "\t\(momentum[step])" }
            print(line)
        }
    }

    static func json(schedule: AnySchedule, steps: Int, baseLearningRate: Double, rates: [Double],
                     momentum: [Double]?) throws -> String {
        var object: [String: JSONValue] = [
            "schedule": .string(schedule.description),
            "steps": .number(Double(steps)),
            "base_lr": .number(baseLearningRate),
            "lr": .array(rates.map(JSONValue.number)),
        ]
        if let momentum { object["momentum"] = .array(momentum.map(JSONValue.number)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(JSONValue.object(object)), as: UTF8.self)
    }
}
