/// Reads the text form of a schedule, used by the CLI and configuration files.
///
/// The language: a schedule is a call `name(arguments)` (or a bare `name`, all defaults);
/// arguments are `label: value` or, for the first few, unlabelled; values are numbers (`0.1`,
/// `1e-5`, `10_000`), words (`cosine`, `true`), lists `[a, b]` or schedules; `a >> b` runs `b` once
/// `a` has reached its length.
///
///     warmup(500) >> cosine(to: 1e-5)
///     onecycle(warmup: 0.25, anneal: linear, three_phase: true)
///     constant(0.01, steps: 100) >> step(every: 1000, gamma: 0.5)
///     join([linear(from: 0.0, to: 0.1, steps: 10), exponential(from: 0.1, decay: 0.9)], at: [10])
///
/// Defaults come from the run: `totalSteps` (what is left of it, after `>>`) and
/// `baseLearningRate` (the rate schedules start from or peak at). The bare names `constant`,
/// `cosine`, `onecycle`, `wsd`, `step` and `exponential` span the whole run. Every schedule
/// prints (its `description`) as text that gives every parameter, which parses back to an equal
/// schedule with or without a run.
///
/// | name | parameters (defaults) | Descent type |
/// | --- | --- | --- |
/// | `constant` | `rate` (base), `steps` (none) | ``ConstantSchedule`` |
/// | `warmup` | `steps` (5 % of the run), `from` (0), `to` (base) | ``PolynomialSchedule`` |
/// | `linear` | `from` (base), `to` (0), `steps` (rest of run), `begin` (0) | ``PolynomialSchedule`` |
/// | `polynomial` | `from` (base), `to` (0), `power` (1), `steps` (rest), `begin` (0) | ``PolynomialSchedule`` |
/// | `exponential` | `from` (base), `decay` (0.01), `every` (1 with decay, else rest of run), `begin`, `staircase`, `to` | ``ExponentialSchedule`` |
/// | `step` | `from` (base), `every` (a third of the run), `gamma` (0.1) | ``StepSchedule`` |
/// | `multistep` | `from` (base), `at` [steps], `gamma` (0.1) | ``PiecewiseConstantSchedule`` |
/// | `piecewise` | `from` (base), `at` [steps], `scales` [factors] | ``PiecewiseConstantSchedule`` |
/// | `interpolate` | `kind` linear/cosine, `from` (base), `at`, `scales` | ``PiecewiseInterpolateSchedule`` |
/// | `cosine` | `from` (base), `to` (0), `steps` (rest), `exponent` (1) | ``CosineDecaySchedule`` |
/// | `cosine_annealing` | `from` (base), `to` (0), `period` (rest) | ``CosineAnnealingSchedule`` |
/// | `restarts` | `from` (base), `to` (0), `period`, `multiplier` (1) | ``WarmRestartsSchedule`` |
/// | `cosine_restarts` | `from` (base), `steps`, `t_mul` (2), `m_mul` (1), `alpha` (0) | ``CosineRestartsSchedule`` |
/// | `onecycle` | `peak` (base), `steps` (rest), `warmup` (0.3), `anneal` (cosine), `div` (25), `final_div` (1e4), `three_phase` (false), `momentum` ([0.85, 0.95]) | ``OneCycleSchedule`` |
/// | `cyclic` | `low` (high/10), `high` (base), `up` (2000), `down` (up), `mode` (triangular), `gamma` (1), `momentum` ([0.8, 0.9]) | ``CyclicSchedule`` |
/// | `wsd` | `peak` (base), `steps` (rest), `warmup` (5 %), `decay` (20 %), `from` (0), `to` (0), `shape` (linear) | ``WarmupStableDecaySchedule`` |
/// | `inverse_time` | `from` (base), `decay` (1), `every` (1), `staircase` | ``InverseTimeSchedule`` |
/// | `scaled` | schedule, `batch`, `base_batch`, `warmup` (0) | ``LinearScalingSchedule`` |
/// | `join` | [schedules], `at` [boundaries] | ``JoinSchedule`` |
/// | `chain` | `from` (base), [schedules] | ``ChainSchedule`` |
///
/// Errors are ``ScheduleError``s whose `column` (1-based) points at the problem:
/// `cosine(to: 1e-5, stepz: 10)` → "column 18: cosine has no argument 'stepz'".
public enum ScheduleParser {
    /// What the text's defaults are taken from.
    struct Context {
        var totalSteps: Int?
        var baseLearningRate: Double?
    }

    /// The deepest nesting of calls and lists the text form accepts (`scaled(scaled(…))`, `[[…]]`).
    /// Real schedules nest two or three deep; the bound keeps the recursive reader, builder and
    /// printer far from the stack's end.
    public static let maximumNesting = 100

    /// The longest run a schedule can describe: 10¹⁵ steps. Whole-number arguments are bounded the
    /// same way, so sums and differences of step counts (`total - begin`, the steps consumed by
    /// `>>`) can never overflow `Int`.
    public static let maximumTotalSteps = 1_000_000_000_000_000

    /// Parses `text` into a schedule, taking defaults from the run.
    ///
    /// - Parameters:
    ///   - totalSteps: the run's length in steps (1 … ``maximumTotalSteps`` when given).
    ///   - baseLearningRate: the run's base rate (finite, ≥ 0, when given).
    public static func parse(_ text: String, totalSteps: Int? = nil, baseLearningRate: Double? = nil) throws -> AnySchedule {
        if let totalSteps, totalSteps <= 0 {
            throw ScheduleError(parameter: "totalSteps", message: "total steps must be at least 1, got \(totalSteps)")
        }
        if let totalSteps, totalSteps > maximumTotalSteps {
            throw ScheduleError(parameter: "totalSteps",
                                message: "total steps must be at most 10^15 (\(maximumTotalSteps)), got \(totalSteps)")
        }
        if let baseLearningRate { try ScheduleSettingCheck.rate(baseLearningRate, "baseLearningRate") }
        var reader = try ScheduleTextReader(text)
        let syntax = try reader.readAll()
        return try build(syntax, Context(totalSteps: totalSteps, baseLearningRate: baseLearningRate))
    }

    static func build(_ syntax: ScheduleSyntax, _ context: Context) throws -> AnySchedule {
        switch syntax {
        case .sequence(let items, let column):
            var schedules: [AnySchedule] = []
            var consumed = 0
            for (index, item) in items.enumerated() {
                var local = context
                if let total = context.totalSteps {
                    local.totalSteps = max(total - consumed, 1)
                }
                let schedule = try build(item, local)
                if index < items.count - 1 {
                    guard let length = schedule.length else {
                        throw ScheduleError(column: item.column,
                            message: "\(schedule) goes on for ever, so nothing can follow it with '>>'; give it a length (steps:) or use join([...], at: [...])")
                    }
                    consumed += length
                    if let total = context.totalSteps, consumed > total {
                        throw ScheduleError(column: item.column,
                            message: "\(schedule) ends at step \(consumed), longer than the run (\(total) steps)")
                    }
                }
                schedules.append(schedule)
            }
            return AnySchedule(try located(column) { try JoinSchedule(sequence: schedules) })
        case .word(let name, let column):
            return try buildCall(name, [], column, context)
        case .call(let name, let arguments, let column):
            return try buildCall(name, arguments, column, context)
        case .number(_, let column), .list(_, let column):
            throw ScheduleError(column: column, message: "expected a schedule (a name such as cosine or warmup(100))")
        }
    }

    /// Gives an error without a column the column of its parameter's argument, or `column`.
    static func located<T>(_ column: Int, _ arguments: ScheduleArguments? = nil, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as ScheduleError where error.column == nil {
            error.column = error.parameter.flatMap { arguments?.column(of: $0) } ?? column
            if let name = arguments?.name { error.message = "\(name): " + error.message }
            throw error
        }
    }

    static func schedules(_ syntax: ScheduleSyntax, _ label: String, _ context: Context) throws -> [AnySchedule] {
        guard case .list(let items, _) = syntax else {
            throw ScheduleError(parameter: label, column: syntax.column, message: "'\(label)' must be a list of schedules [a, b, …]")
        }
        return try items.map { try build($0, context) }
    }
}
