import ArgumentParser
import DescentCLIShared
import DescentCLITrain
import DescentExplore
import DescentOptim
import DescentReport
import DescentSchedules
import Foundation

/// `descent explore`: the learning-rate explorer (the treasure field). Runs Descent's own
/// optimizers and schedules on a two-variable landscape at several rates, says for each
/// whether it crawled, converged, oscillated, overshot or diverged, and draws an animated
/// contour map of the paths with their losses.
///
/// ```
/// $ descent explore --landscape bowl --optimizer sgd --learning-rate 0.01,0.5,1.05 --steps 40 --out x.html
/// bowl, f(x, y) = x² + y², from (-1.6, 1.2): 40 steps of sgd (momentum 0), schedule constant
/// stable limit 2/λmax = 1 (exact: the curvature is the same everywhere)
/// rate 0.01 (0.01× the limit)   crawled    gap to the minimum 4 → 0.7946 after 40 steps (×0.1986); 1000× smaller would take about 171 steps; 0% of steps overshot
/// rate 0.5  (0.5× the limit)    converged  gap to the minimum 4 → 0 after 40 steps (1000× smaller from step 1); 0% of steps overshot
/// rate 1.05 (1.05× the limit)   diverged   gap to the minimum 4 → 8194 after 40 steps (×2048, growing); 100% of steps overshot
/// Wrote x.html
/// ```
package struct ExploreCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Watch optimizers at several learning rates on a 2-D loss: crawl, converge, oscillate, overshoot, diverge.",
        discussion: """
        Landscapes: bowl x²+y² (2/λmax = 1), ravine x²/2+10y² (2/λmax = 0.1), rosenbrock, himmelblau, beale \
        (2/λmax at the minimum). Verdicts, with the gap g = f − f*: diverged when a value stops being finite or \
        the final gap exceeds the first; converged when the gap shrank 1000× (overshot when most steps jumped \
        past the lowest point along their own direction); otherwise oscillated (most steps jumped past) or \
        crawled; each path's motion is straight, zig-zag, spiral or curved. SGD's momentum defaults to 0 here (plain \
        gradient descent, whose limit is 2/λmax; with momentum β the limit is 2(1 + β)/λmax, as in the range test); \
        `descent train` defaults to 0.9. With --json the last line is {"landscape":…,"paths":[{"learning_rate":…,\
        "verdict":…,…}],…}.
        """
    )

    enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
        case sgd, adam, adamw, nadam, radam, rmsprop, adagrad, adamax, lion, prodigy
        case scheduleFreeSGD = "schedule-free-sgd", scheduleFreeAdamW = "schedule-free-adamw"
    }

    @Option(help: "The landscape: \(Landscape.allCases.map(\.rawValue).joined(separator: ", ")).")
    var landscape: Landscape = .bowl
    @Option(help: "The optimizer: \(OptimizerChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var optimizer: OptimizerChoice = .sgd
    @Option(name: .customLong("learning-rate"), help: "Comma-separated rates, one path each (default: three that show the landscape's behaviours).")
    var learningRates: String?
    @Option(help: "SGD momentum (0: plain gradient descent).")
    var momentum: Double = 0
    @Option(help: "Steps per path (1…100000).")
    var steps: Int = 40
    @Option(help: "The start point X,Y (default: the landscape's); it must lie in the drawn region.")
    var start: String?
    @Option(help: "The learning-rate schedule, e.g. constant, cosine, \"warmup(10) >> constant\"; each rate is its base.")
    var schedule: String = "constant"
    @Option(help: "The HTML page to write.")
    var out: String = "explore.html"
    @Flag(help: "Print a JSON summary as the last line.")
    var json = false

    static let maximumSteps = 100_000
    static let maximumRates = ChartPalette.colors.count

    /// The rates of `--learning-rate` (or the landscape's defaults).
    func rates() throws -> [Double] {
        guard let learningRates else { return landscape.suggestedRates }
        let parts = learningRates.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let rates = try parts.map { part -> Double in
            guard let rate = Double(part), rate.isFinite, rate > 0 else {
                throw ValidationError("--learning-rate: '\(part)' is not a positive number (give rates like 0.01,0.5,1.05)")
            }
            return rate
        }
        guard rates.count <= Self.maximumRates else {
            throw ValidationError("--learning-rate: at most \(Self.maximumRates) rates (one colour each), got \(rates.count)")
        }
        return rates
    }

    /// The start point of `--start` (or the landscape's default).
    func startPoint() throws -> (x: Double, y: Double) {
        guard let start else { return landscape.defaultStart }
        let parts = start.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]), x.isFinite, y.isFinite else {
            throw ValidationError("--start: '\(start)' is not a point X,Y such as -1.5,1")
        }
        guard landscape.contains(x: x, y: y) else {
            let domain = landscape.domain
            throw ValidationError("--start \(start) is outside the \(landscape.rawValue) landscape's region "
                + "x ∈ [\(domain.x.lowerBound), \(domain.x.upperBound)], y ∈ [\(domain.y.lowerBound), \(domain.y.upperBound)]")
        }
        return (x, y)
    }

    package func validate() throws {
        _ = try rates()
        _ = try startPoint()
        guard (1...Self.maximumSteps).contains(steps) else {
            throw ValidationError("--steps must be between 1 and \(Self.maximumSteps), got \(steps)")
        }
        guard momentum >= 0, momentum < 1 else { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") }
        if momentum != 0 && optimizer != .sgd { throw ValidationError("--momentum goes with --optimizer sgd") }
        do {
            _ = try ScheduleParser.parse(schedule, totalSteps: steps, baseLearningRate: 1)
        } catch {
            throw ValidationError("--schedule: \(error)")
        }
        do {
            try ReportFile.check(out)
        } catch {
            throw ValidationError("--out: \(error)")
        }
    }

    package func run() async throws {
        // A failure (a path that cannot be written: a full disk, /dev/full, a FIFO without a reader)
        // is one line on standard error and, with --json, the failure object as the last line.
        try await FailureJSON.run(json: json) {
            let exploration = try explore()
            if !json { print(exploration.terminalText, terminator: "") }
            try exploration.page(command: TrainReport.commandLine(CommandLine.arguments)).write(toFile: out)
            if json { print(exploration.json(out: out)) } else { print("Wrote \(out)") }
        }
    }

    /// Runs every rate.
    func explore() throws -> Exploration {
        let start = try startPoint()
        let rates = try rates()
        let paths = try rates.map { rate in try path(rate: rate, from: start) }
        return Exploration(landscape: landscape, start: start, optimizerName: optimizerDescription, schedule: schedule,
                           steps: steps, paths: paths, baseRates: rates, momentum: optimizer == .sgd ? momentum : nil)
    }

    var optimizerDescription: String { optimizer == .sgd ? "sgd (momentum \(ChartNumberFormat.value(momentum)))" : optimizer.rawValue }

    private func path(rate: Double, from start: (x: Double, y: Double)) throws -> LandscapePath {
        let parsed = try ScheduleParser.parse(schedule, totalSteps: steps, baseLearningRate: rate)
        let scheduled = ScheduledRate.schedule(parsed)
        func run<Rule: OptimizerRule>(_ rule: Rule) throws -> LandscapePath {
            var optimizer = try Optimizer(rule, learningRate: rate, schedule: scheduled)
            return try LandscapePath(on: landscape, from: start, steps: steps, optimizer: &optimizer)
        }
        switch optimizer {
        case .sgd: return try run(SGD(momentum: momentum))
        case .adam: return try run(Adam())
        case .adamw: return try run(AdamW())
        case .nadam: return try run(NAdam())
        case .radam: return try run(RAdam())
        case .rmsprop: return try run(RMSprop())
        case .adagrad: return try run(Adagrad())
        case .adamax: return try run(Adamax())
        case .lion: return try run(Lion())
        case .prodigy: return try run(Prodigy())
        case .scheduleFreeSGD: return try run(ScheduleFreeSGD())
        case .scheduleFreeAdamW: return try run(ScheduleFreeAdamW())
        }
    }

    package init() {}
}

extension Landscape: ExpressibleByArgument {}
