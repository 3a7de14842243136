import ArgumentParser
import DescentCLIShared
import DescentFiles
import DescentReport
import DescentSchedules
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

    func validate() throws {
        guard steps >= 1, steps <= ScheduleParser.maximumTotalSteps else {
            throw ValidationError("--steps must be from 1 to 10^15 (\(ScheduleParser.maximumTotalSteps)), got \(steps)")
        }
        guard baseLearningRate.isFinite, baseLearningRate >= 0 else {
            throw ValidationError("--base-lr must be a finite rate ≥ 0, got \(baseLearningRate)")
        }
        // Was: any width or height accepted and silently clamped.
        guard (2...TerminalChart.maximumSize).contains(width) else {
            throw ValidationError("--width must be from 2 to \(TerminalChart.maximumSize) characters, got \(width)")
        }
        guard (1...TerminalChart.maximumSize).contains(height) else {
            throw ValidationError("--height must be from 1 to \(TerminalChart.maximumSize) lines, got \(height)")
        }
    }

    func run() async throws {
        try await FailureJSON.run(json: json) { try show() }
    }

    func show() throws {
        let schedule: AnySchedule
        do {
            schedule = try ScheduleParser.parse(specification, totalSteps: steps, baseLearningRate: baseLearningRate)
        } catch let error as ScheduleError {
            // The text is the command's argument: a mistake in it is a usage error (status 2).
            throw CommandFailure(.usage, "\(error)", excerpt: error.column.map { CaretExcerpt.lines(specification, column: $0) })
        }
        if json || all {
            // Every step's value is printed: keep that to what a terminal or a file can take.
            guard steps <= Self.maximumListedSteps else {
                throw ValidationError("--steps \(steps) with --json or --all would print every step; use at most \(Self.maximumListedSteps)")
            }
        }
        let momentumAt: ((Int) -> Double)? = schedule.cyclesMomentum ? { schedule.momentum(at: $0) ?? .nan } : nil
        if json {
            let everyStep = Array(0..<steps)
            print(try Self.json(schedule: schedule, steps: steps, baseLearningRate: baseLearningRate,
                                rates: everyStep.map { schedule($0) }, momentum: momentumAt.map { everyStep.map($0) }))
            return
        }
        print("schedule: \(schedule)")
        // The chart needs no more points than it has dots across: sample long runs evenly.
        let charted = Self.evenlySpaced(steps: steps, count: Self.maximumChartedSteps)
        let chart = TerminalChart(width: width, height: height)
        print(chart.render(charted.map { schedule($0) }, title: "learning rate", lastIndex: steps - 1))
        if let momentumAt {
            print(chart.render(charted.map(momentumAt), title: "momentum", lastIndex: steps - 1))
        }
        let shown = all ? Array(0..<steps) : Self.evenlySpaced(steps: steps, count: 21)
        print(momentumAt == nil ? "step\trate" : "step\trate\tmomentum")
        for step in shown {
            var line = "\(step)\t\(schedule(step))"
            if let momentumAt { line += "\t\(momentumAt(step))" }
            print(line)
        }
    }

    /// The most steps `--json` or `--all` lists one by one.
    static let maximumListedSteps = 1_000_000
    /// The most steps a chart evaluates (it has at most 2 000 dot columns).
    static let maximumChartedSteps = 2_001

    /// At most `count` steps of `0..<steps`, evenly spaced, always with the first and the last;
    /// computed without overflow for any `steps`.
    static func evenlySpaced(steps: Int, count: Int) -> [Int] {
        guard steps > count else { return Array(0..<steps) }
        let last = steps - 1, intervals = count - 1
        let (quotient, remainder) = last.quotientAndRemainder(dividingBy: intervals)
        return Array(Set((0...intervals).map { $0 * quotient + $0 * remainder / intervals })).sorted()
    }

    static func json(schedule: AnySchedule, steps: Int, baseLearningRate: Double, rates: [Double],
                     momentum: [Double]?) throws -> String {
        // JSON has no infinity or NaN: a schedule that leaves a Double's range is said in words.
        for (name, values) in [("rate", rates), ("momentum", momentum ?? [])] {
            if let step = values.firstIndex(where: { !$0.isFinite }) {
                throw CommandFailure(.usage, "the schedule's \(name) at step \(step) is \(values[step]), beyond a Double "
                    + "(JSON cannot hold it): give the schedule arguments that keep it finite over the \(steps) steps")
            }
        }
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
