/// The schedule names of the text form and how each is built from its arguments: one table of
/// name → positional argument names and builder, so adding a schedule is adding one entry.
extension ScheduleParser {
    static func buildCall(_ name: String, _ syntaxArguments: [SyntaxArgument], _ column: Int,
                          _ context: Context) throws -> AnySchedule {
        let kind = kinds[name]
        var arguments = try ScheduleArguments(name: name, column: column, arguments: syntaxArguments,
                                              positional: kind?.positional ?? [])
        guard let kind else {
            throw ScheduleError(column: column, message: "unknown schedule '\(TextForm.excerpt(name))'; known: " + knownNames.joined(separator: ", "))
        }
        let schedule = try kind.build(&arguments, ScheduleKind.Site(context: context, column: column, arguments: arguments))
        try arguments.finish()
        return AnySchedule(schedule)
    }

    /// Every schedule name the text form knows, in the order messages list them.
    public static let knownNames = [
        "constant", "warmup", "linear", "polynomial", "exponential", "step", "multistep", "piecewise",
        "interpolate", "cosine", "cosine_annealing", "restarts", "cosine_restarts", "onecycle", "cyclic",
        "wsd", "inverse_time", "scaled", "join", "chain",
    ]

    /// Each name's positional arguments and builder.
    static let kinds: [String: ScheduleKind] = [
        "constant": ScheduleKind(positional: ["rate", "steps"]) { arguments, site in
            let rate = try arguments.number("rate", default: site.base, hint: site.baseHint)
            let steps = try arguments.optionalInteger("steps")
            return try site.make { try ConstantSchedule(rate: rate, steps: steps) }
        },
        "warmup": ScheduleKind(positional: ["steps"]) { arguments, site in
            let steps = try arguments.integer("steps", default: site.total.map { max(1, $0 / 20) }, hint: site.stepsHint)
            let from = try arguments.number("from", default: 0)
            let to = try arguments.number("to", default: site.base, hint: site.baseHint)
            if let total = site.total, steps > total {
                throw ScheduleError(parameter: "steps", column: arguments.column(of: "steps") ?? site.column,
                                    message: "warmup (\(steps) steps) is longer than the run (\(total) steps)")
            }
            return try site.make { try PolynomialSchedule.warmup(steps: steps, from: from, to: to) }
        },
        "linear": polynomial(power: 1),
        "polynomial": polynomial(power: nil),
        "exponential": ScheduleKind(positional: []) { arguments, site in
            let from = try arguments.number("from", default: site.base, hint: site.baseHint)
            let decayGiven = arguments.has("decay")
            let decay = try arguments.number("decay", default: 0.01)
            let every = try arguments.integer("every", default: decayGiven ? 1 : site.total.map { max(1, $0) }, hint: site.stepsHint)
            let begin = try arguments.integer("begin", default: 0)
            let staircase = try arguments.bool("staircase", default: false)
            let to = try arguments.optionalNumber("to")
            let precision = try arguments.word("precision", default: Precision.double)
            return try site.make {
                try ExponentialSchedule(from: from, decay: decay, every: every, begin: begin, staircase: staircase, to: to,
                                        precision: precision)
            }
        },
        "step": ScheduleKind(positional: []) { arguments, site in
            let from = try arguments.number("from", default: site.base, hint: site.baseHint)
            // ⌈total / 3⌉, written so that it cannot overflow.
            let every = try arguments.integer("every", default: site.total.map { max(1, $0 / 3 + ($0 % 3 == 0 ? 0 : 1)) }, hint: site.stepsHint)
            let gamma = try arguments.number("gamma", default: 0.1)
            return try site.make { try StepSchedule(from: from, every: every, gamma: gamma) }
        },
        "multistep": ScheduleKind(positional: []) { arguments, site in
            let from = try arguments.number("from", default: site.base, hint: site.baseHint)
            let boundaries = try arguments.integers("at", default: nil)
            let gamma = try arguments.number("gamma", default: 0.1)
            return try site.make {
                try PiecewiseConstantSchedule(from: from, boundaries: boundaries,
                                              scales: Array(repeating: gamma, count: boundaries.count))
            }
        },
        "piecewise": ScheduleKind(positional: []) { arguments, site in
            let from = try arguments.number("from", default: site.base, hint: site.baseHint)
            let boundaries = try arguments.integers("at", default: nil)
            let scales = try arguments.numbers("scales", default: nil)
            return try site.make { try PiecewiseConstantSchedule(from: from, boundaries: boundaries, scales: scales) }
        },
        "interpolate": ScheduleKind(positional: ["kind"]) { arguments, site in
            let kind = try arguments.word("kind", default: Interpolation.linear)
            let from = try arguments.number("from", default: site.base, hint: site.baseHint)
            let boundaries = try arguments.integers("at", default: nil)
            let scales = try arguments.numbers("scales", default: nil)
            let precision = try arguments.word("precision", default: Precision.double)
            return try site.make {
                try PiecewiseInterpolateSchedule(kind, from: from, boundaries: boundaries, scales: scales, precision: precision)
            }
        },
        "cosine": ScheduleKind(positional: []) { arguments, site in
            let from = try arguments.number("from", default: site.base, hint: site.baseHint)
            let to = try arguments.number("to", default: 0)
            let steps = try arguments.integer("steps", default: site.total, hint: site.stepsHint)
            let exponent = try arguments.number("exponent", default: 1)
            let precision = try arguments.word("precision", default: Precision.double)
            return try site.make {
                try CosineDecaySchedule(from: from, to: to, steps: steps, exponent: exponent, precision: precision)
            }
        },
        "cosine_annealing": ScheduleKind(positional: []) { arguments, site in
            let from = try arguments.number("from", default: site.base, hint: site.baseHint)
            let to = try arguments.number("to", default: 0)
            let period = try arguments.integer("period", default: site.total, hint: site.stepsHint)
            return try site.make { try CosineAnnealingSchedule(from: from, to: to, period: period) }
        },
        "restarts": ScheduleKind(positional: []) { arguments, site in
            let from = try arguments.number("from", default: site.base, hint: site.baseHint)
            let to = try arguments.number("to", default: 0)
            let period = try arguments.integer("period", default: nil)
            let multiplier = try arguments.integer("multiplier", default: 1)
            return try site.make { try WarmRestartsSchedule(from: from, to: to, period: period, multiplier: multiplier) }
        },
        "cosine_restarts": ScheduleKind(positional: []) { arguments, site in
            let from = try arguments.number("from", default: site.base, hint: site.baseHint)
            let steps = try arguments.integer("steps", default: nil)
            let periodMultiplier = try arguments.number("t_mul", default: 2)
            let rateMultiplier = try arguments.number("m_mul", default: 1)
            let alpha = try arguments.number("alpha", default: 0)
            let precision = try arguments.word("precision", default: Precision.double)
            return try site.make {
                try CosineRestartsSchedule(from: from, steps: steps, periodMultiplier: periodMultiplier,
                                           rateMultiplier: rateMultiplier, alpha: alpha, precision: precision)
            }
        },
        "onecycle": ScheduleKind(positional: []) { arguments, site in
            let peak = try arguments.number("peak", default: site.base, hint: site.baseHint)
            let steps = try arguments.integer("steps", default: site.total, hint: site.stepsHint)
            let warmup = try arguments.number("warmup", default: 0.3)
            let anneal = try arguments.word("anneal", default: Interpolation.cosine)
            let div = try arguments.number("div", default: 25)
            let finalDiv = try arguments.number("final_div", default: 1e4)
            let threePhase = try arguments.bool("three_phase", default: false)
            let momentum = try arguments.momentum(default: try MomentumRange(base: 0.85, maximum: 0.95))
            return try site.make {
                try OneCycleSchedule(peak: peak, steps: steps, warmupFraction: warmup, anneal: anneal, divFactor: div,
                                     finalDivFactor: finalDiv, threePhase: threePhase, momentum: momentum)
            }
        },
        "cyclic": ScheduleKind(positional: []) { arguments, site in
            let high = try arguments.number("high", default: site.base, hint: site.baseHint)
            let low = try arguments.number("low", default: high / 10)
            let up = try arguments.integer("up", default: 2000)
            let down = try arguments.optionalInteger("down")
            let mode = try arguments.word("mode", default: CyclicSchedule.Mode.triangular)
            let gamma = try arguments.number("gamma", default: 1)
            let momentum = try arguments.momentum(default: try MomentumRange(base: 0.8, maximum: 0.9))
            return try site.make {
                try CyclicSchedule(low: low, high: high, up: up, down: down, mode: mode, gamma: gamma, momentum: momentum)
            }
        },
        "wsd": ScheduleKind(positional: []) { arguments, site in
            let peak = try arguments.number("peak", default: site.base, hint: site.baseHint)
            let steps = try arguments.integer("steps", default: site.total, hint: site.stepsHint)
            let warmup = try arguments.integer("warmup", default: steps / 20)
            let decay = try arguments.integer("decay", default: steps / 5)
            let from = try arguments.number("from", default: 0)
            let to = try arguments.number("to", default: 0)
            let shape = try arguments.word("shape", default: WarmupStableDecaySchedule.Shape.linear)
            return try site.make {
                try WarmupStableDecaySchedule(peak: peak, steps: steps, warmup: warmup, decay: decay,
                                              from: from, to: to, shape: shape)
            }
        },
        "inverse_time": ScheduleKind(positional: []) { arguments, site in
            let from = try arguments.number("from", default: site.base, hint: site.baseHint)
            let decay = try arguments.number("decay", default: 1)
            let every = try arguments.integer("every", default: 1)
            let staircase = try arguments.bool("staircase", default: false)
            return try site.make { try InverseTimeSchedule(from: from, decay: decay, every: every, staircase: staircase) }
        },
        "scaled": ScheduleKind(positional: ["schedule"]) { arguments, site in
            guard let (inner, _) = arguments.syntax("schedule") else {
                throw ScheduleError(parameter: "schedule", column: site.column, message: "scaled needs a schedule to scale")
            }
            let child = try ScheduleParser.build(inner, site.context)
            let batch = try arguments.integer("batch", default: nil)
            let baseBatch = try arguments.integer("base_batch", default: nil)
            let warmup = try arguments.integer("warmup", default: 0)
            return try site.make { try LinearScalingSchedule(child, batchSize: batch, baseBatchSize: baseBatch, warmup: warmup) }
        },
        "join": ScheduleKind(positional: ["schedules"]) { arguments, site in
            guard let (list, _) = arguments.syntax("schedules") else {
                throw ScheduleError(parameter: "schedules", column: site.column, message: "join needs a list of schedules")
            }
            let boundaries = try arguments.integers("at", default: nil)
            guard case .list(let items, _) = list else {
                throw arguments.wrongType("schedules", "a list of schedules [a, b, …]", list.column)
            }
            var children: [AnySchedule] = []
            for (index, item) in items.enumerated() {
                var local = site.context
                let start = index == 0 ? 0 : (index - 1 < boundaries.count ? boundaries[index - 1] : 0)
                if index < boundaries.count {
                    local.totalSteps = max(boundaries[index] - start, 1)
                } else if let total = site.total {
                    local.totalSteps = max(total - start, 1)
                }
                children.append(try ScheduleParser.build(item, local))
            }
            return try site.make { try JoinSchedule(children, boundaries: boundaries) }
        },
        "chain": ScheduleKind(positional: ["schedules"]) { arguments, site in
            let from = try arguments.number("from", default: site.base, hint: site.baseHint)
            guard let (list, _) = arguments.syntax("schedules") else {
                throw ScheduleError(parameter: "schedules", column: site.column, message: "chain needs a list of schedules")
            }
            let children = try ScheduleParser.schedules(list, "schedules", site.context)
            return try site.make { try ChainSchedule(from: from, children) }
        },
    ]
}

extension ScheduleParser {
    /// `linear` (power 1) and `polynomial` (power read from the text, default 1).
    private static func polynomial(power fixedPower: Double?) -> ScheduleKind {
        ScheduleKind(positional: []) { arguments, site in
            let from = try arguments.number("from", default: site.base, hint: site.baseHint)
            let to = try arguments.number("to", default: 0)
            let power = try fixedPower ?? arguments.number("power", default: 1)
            let begin = try arguments.integer("begin", default: 0)
            let steps = try arguments.integer("steps", default: site.total.map { max(0, $0 - begin) }, hint: site.stepsHint)
            let precision = try arguments.word("precision", default: Precision.double)
            return try site.make {
                try PolynomialSchedule(from: from, to: to, power: power, steps: steps, begin: begin, precision: precision)
            }
        }
    }
}

/// How one schedule name of the text form is built: the names its positional arguments take, and a
/// builder that reads its arguments and makes the schedule (`ScheduleParser.kinds` holds one per name).
///
/// ```swift
/// // cosine(0.1, steps: 100) reads "from" and "steps", then builds CosineDecaySchedule
/// ScheduleParser.kinds["cosine"]?.positional   // []
/// ScheduleParser.kinds["warmup"]?.positional   // ["steps"]: warmup(5) means warmup(steps: 5)
/// ```
struct ScheduleKind: Sendable {
    let positional: [String]
    let build: @Sendable (inout ScheduleArguments, Site) throws -> any SerializableSchedule

    init(positional: [String], _ build: @escaping @Sendable (inout ScheduleArguments, Site) throws -> any SerializableSchedule) {
        self.positional = positional
        self.build = build
    }

    /// Where a schedule is built: the run's defaults, the call's column and its arguments as written
    /// (before any was read), so a constructor's error is located at the argument it names.
    struct Site {
        let context: ScheduleParser.Context
        let column: Int
        let arguments: ScheduleArguments
        var base: Double? { context.baseLearningRate }
        var total: Int? { context.totalSteps }
        let baseHint = " (or a base learning rate)"
        let stepsHint = " (or the run's total steps)"

        func make(_ body: () throws -> any SerializableSchedule) throws -> any SerializableSchedule {
            try ScheduleParser.located(column, arguments, body)
        }
    }
}
