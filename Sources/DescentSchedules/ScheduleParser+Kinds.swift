/// The schedule names of the text form and how each is built from its arguments.
extension ScheduleParser {
    static func buildCall(_ name: String, _ syntaxArguments: [SyntaxArgument], _ column: Int,
                          _ context: Context) throws -> AnySchedule {
        let positional: [String]
        switch name {
        case "constant": positional = ["rate", "steps"]
        case "warmup": positional = ["steps"]
        case "interpolate": positional = ["kind"]
        case "join", "chain": positional = ["schedules"]
        case "scaled": positional = ["schedule"]
        default: positional = []
        }
        var arguments = try ScheduleArguments(name: name, column: column, arguments: syntaxArguments, positional: positional)
        let base = context.baseLearningRate
        let total = context.totalSteps
        let baseHint = " (or a base learning rate)"
        let stepsHint = " (or the run's total steps)"
        let schedule: any SerializableSchedule
        let argumentsSnapshot = arguments

        func make(_ body: () throws -> any SerializableSchedule) throws -> any SerializableSchedule {
            try located(column, argumentsSnapshot, body)
        }

        switch name {
        case "constant":
            let rate = try arguments.number("rate", default: base, hint: baseHint)
            let steps = try arguments.optionalInteger("steps")
            schedule = try make { try ConstantSchedule(rate: rate, steps: steps) }
        case "warmup":
            let steps = try arguments.integer("steps", default: total.map { max(1, $0 / 20) }, hint: stepsHint)
            let from = try arguments.number("from", default: 0)
            let to = try arguments.number("to", default: base, hint: baseHint)
            if let total, steps > total {
                throw ScheduleError(parameter: "steps", column: arguments.column(of: "steps") ?? column,
                                    message: "warmup (\(steps) steps) is longer than the run (\(total) steps)")
            }
            schedule = try make { try PolynomialSchedule.warmup(steps: steps, from: from, to: to) }
        case "linear", "polynomial":
            let from = try arguments.number("from", default: base, hint: baseHint)
            let to = try arguments.number("to", default: 0)
            let power = name == "linear" ? 1 : try arguments.number("power", default: 1)
            let begin = try arguments.integer("begin", default: 0)
            let steps = try arguments.integer("steps", default: total.map { max(0, $0 - begin) }, hint: stepsHint)
            let precision = try arguments.word("precision", default: Precision.double)
            schedule = try make {
                try PolynomialSchedule(from: from, to: to, power: power, steps: steps, begin: begin, precision: precision)
            }
        case "exponential":
            let from = try arguments.number("from", default: base, hint: baseHint)
            let decayGiven = arguments.has("decay")
            let decay = try arguments.number("decay", default: 0.01)
            let every = try arguments.integer("every", default: decayGiven ? 1 : total.map { max(1, $0) }, hint: stepsHint)
            let begin = try arguments.integer("begin", default: 0)
            let staircase = try arguments.bool("staircase", default: false)
            let to = try arguments.optionalNumber("to")
            let precision = try arguments.word("precision", default: Precision.double)
            schedule = try make {
                try ExponentialSchedule(from: from, decay: decay, every: every, begin: begin, staircase: staircase, to: to,
                                        precision: precision)
            }
        case "step":
            let from = try arguments.number("from", default: base, hint: baseHint)
            // ⌈total / 3⌉, written so that it cannot overflow.
            let every = try arguments.integer("every", default: total.map { max(1, $0 / 3 + ($0 % 3 == 0 ? 0 : 1)) }, hint: stepsHint)
            let gamma = try arguments.number("gamma", default: 0.1)
            schedule = try make { try StepSchedule(from: from, every: every, gamma: gamma) }
        case "multistep":
            let from = try arguments.number("from", default: base, hint: baseHint)
            let boundaries = try arguments.integers("at", default: nil)
            let gamma = try arguments.number("gamma", default: 0.1)
            schedule = try make {
                try PiecewiseConstantSchedule(from: from, boundaries: boundaries,
                                              scales: Array(repeating: gamma, count: boundaries.count))
            }
        case "piecewise":
            let from = try arguments.number("from", default: base, hint: baseHint)
            let boundaries = try arguments.integers("at", default: nil)
            let scales = try arguments.numbers("scales", default: nil)
            schedule = try make { try PiecewiseConstantSchedule(from: from, boundaries: boundaries, scales: scales) }
        case "interpolate":
            let kind = try arguments.word("kind", default: Interpolation.linear)
            let from = try arguments.number("from", default: base, hint: baseHint)
            let boundaries = try arguments.integers("at", default: nil)
            let scales = try arguments.numbers("scales", default: nil)
            let precision = try arguments.word("precision", default: Precision.double)
            schedule = try make {
                try PiecewiseInterpolateSchedule(kind, from: from, boundaries: boundaries, scales: scales, precision: precision)
            }
        case "cosine":
            let from = try arguments.number("from", default: base, hint: baseHint)
            let to = try arguments.number("to", default: 0)
            let steps = try arguments.integer("steps", default: total, hint: stepsHint)
            let exponent = try arguments.number("exponent", default: 1)
            let precision = try arguments.word("precision", default: Precision.double)
            schedule = try make {
                try CosineDecaySchedule(from: from, to: to, steps: steps, exponent: exponent, precision: precision)
            }
        case "cosine_annealing":
            let from = try arguments.number("from", default: base, hint: baseHint)
            let to = try arguments.number("to", default: 0)
            let period = try arguments.integer("period", default: total, hint: stepsHint)
            schedule = try make { try CosineAnnealingSchedule(from: from, to: to, period: period) }
        case "restarts":
            let from = try arguments.number("from", default: base, hint: baseHint)
            let to = try arguments.number("to", default: 0)
            let period = try arguments.integer("period", default: nil)
            let multiplier = try arguments.integer("multiplier", default: 1)
            schedule = try make { try WarmRestartsSchedule(from: from, to: to, period: period, multiplier: multiplier) }
        case "cosine_restarts":
            let from = try arguments.number("from", default: base, hint: baseHint)
            let steps = try arguments.integer("steps", default: nil)
            let periodMultiplier = try arguments.number("t_mul", default: 2)
            let rateMultiplier = try arguments.number("m_mul", default: 1)
            let alpha = try arguments.number("alpha", default: 0)
            let precision = try arguments.word("precision", default: Precision.double)
            schedule = try make {
                try CosineRestartsSchedule(from: from, steps: steps, periodMultiplier: periodMultiplier,
                                           rateMultiplier: rateMultiplier, alpha: alpha, precision: precision)
            }
        case "onecycle":
            let peak = try arguments.number("peak", default: base, hint: baseHint)
            let steps = try arguments.integer("steps", default: total, hint: stepsHint)
            let warmup = try arguments.number("warmup", default: 0.3)
            let anneal = try arguments.word("anneal", default: Interpolation.cosine)
            let div = try arguments.number("div", default: 25)
            let finalDiv = try arguments.number("final_div", default: 1e4)
            let threePhase = try arguments.bool("three_phase", default: false)
            let momentum = try arguments.momentum(default: try MomentumRange(base: 0.85, maximum: 0.95))
            schedule = try make {
                try OneCycleSchedule(peak: peak, steps: steps, warmupFraction: warmup, anneal: anneal, divFactor: div,
                                     finalDivFactor: finalDiv, threePhase: threePhase, momentum: momentum)
            }
        case "cyclic":
            let high = try arguments.number("high", default: base, hint: baseHint)
            let low = try arguments.number("low", default: high / 10)
            let up = try arguments.integer("up", default: 2000)
            let down = try arguments.optionalInteger("down")
            let mode = try arguments.word("mode", default: CyclicSchedule.Mode.triangular)
            let gamma = try arguments.number("gamma", default: 1)
            let momentum = try arguments.momentum(default: try MomentumRange(base: 0.8, maximum: 0.9))
            schedule = try make {
                try CyclicSchedule(low: low, high: high, up: up, down: down, mode: mode, gamma: gamma, momentum: momentum)
            }
        case "wsd":
            let peak = try arguments.number("peak", default: base, hint: baseHint)
            let steps = try arguments.integer("steps", default: total, hint: stepsHint)
            let warmup = try arguments.integer("warmup", default: steps / 20)
            let decay = try arguments.integer("decay", default: steps / 5)
            let from = try arguments.number("from", default: 0)
            let to = try arguments.number("to", default: 0)
            let shape = try arguments.word("shape", default: WarmupStableDecaySchedule.Shape.linear)
            schedule = try make {
                try WarmupStableDecaySchedule(peak: peak, steps: steps, warmup: warmup, decay: decay,
                                              from: from, to: to, shape: shape)
            }
        case "inverse_time":
            let from = try arguments.number("from", default: base, hint: baseHint)
            let decay = try arguments.number("decay", default: 1)
            let every = try arguments.integer("every", default: 1)
            let staircase = try arguments.bool("staircase", default: false)
            schedule = try make { try InverseTimeSchedule(from: from, decay: decay, every: every, staircase: staircase) }
        case "scaled":
            guard let (inner, _) = arguments.syntax("schedule") else {
                throw ScheduleError(parameter: "schedule", column: column, message: "scaled needs a schedule to scale")
            }
            let child = try build(inner, context)
            let batch = try arguments.integer("batch", default: nil)
            let baseBatch = try arguments.integer("base_batch", default: nil)
            let warmup = try arguments.integer("warmup", default: 0)
            schedule = try make { try LinearScalingSchedule(child, batchSize: batch, baseBatchSize: baseBatch, warmup: warmup) }
        case "join":
            guard let (list, _) = arguments.syntax("schedules") else {
                throw ScheduleError(parameter: "schedules", column: column, message: "join needs a list of schedules")
            }
            let boundaries = try arguments.integers("at", default: nil)
            guard case .list(let items, _) = list else {
                throw arguments.wrongType("schedules", "a list of schedules [a, b, …]", list.column)
            }
            var children: [AnySchedule] = []
            for (index, item) in items.enumerated() {
                var local = context
                let start = index == 0 ? 0 : (index - 1 < boundaries.count ? boundaries[index - 1] : 0)
                if index < boundaries.count {
                    local.totalSteps = max(boundaries[index] - start, 1)
                } else if let total {
                    local.totalSteps = max(total - start, 1)
                }
                children.append(try build(item, local))
            }
            schedule = try make { try JoinSchedule(children, boundaries: boundaries) }
        case "chain":
            let from = try arguments.number("from", default: base, hint: baseHint)
            guard let (list, _) = arguments.syntax("schedules") else {
                throw ScheduleError(parameter: "schedules", column: column, message: "chain needs a list of schedules")
            }
            let children = try schedules(list, "schedules", context)
            schedule = try make { try ChainSchedule(from: from, children) }
        default:
            throw ScheduleError(column: column, message: "unknown schedule '\(TextForm.excerpt(name))'; known: " + knownNames.joined(separator: ", "))
        }
        try arguments.finish()
        return AnySchedule(schedule)
    }

    /// Every schedule name the text form knows.
    public static let knownNames = [
        "constant", "warmup", "linear", "polynomial", "exponential", "step", "multistep", "piecewise",
        "interpolate", "cosine", "cosine_annealing", "restarts", "cosine_restarts", "onecycle", "cyclic",
        "wsd", "inverse_time", "scaled", "join", "chain",
    ]
}
