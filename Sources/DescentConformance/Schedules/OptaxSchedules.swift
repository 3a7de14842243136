import DescentFiles
import DescentSchedules

/// Optax's schedule functions (`optax.schedules`), by name and parameters, as Descent schedules.
///
/// Where Optax quietly returns a constant schedule (`transition_steps ≤ 0`, `decay_rate == 0`),
/// so does Descent, to give the same values; negative `transition_begin` falls back to 0 as in Optax.
enum OptaxSchedules {
    static func make(_ rawName: String, _ parameters: [String: JSONValue]) throws -> AnySchedule {
        let name = rawName.hasPrefix("optax.") ? String(rawName.dropFirst(6)) : rawName
        let key = name.hasSuffix("_schedule") ? String(name.dropLast(9)) : name
        var reader = ReferenceParameters(schedule: name, values: parameters)
        let schedule: AnySchedule
        switch key {
        case "constant":
            let value = try reader.number("value")
            schedule = try reader.build(["rate": "value"]) { try ConstantSchedule(rate: value) }
        case "linear", "polynomial":
            let initial = try reader.number("init_value")
            let end = try reader.number("end_value")
            let power = key == "linear" ? 1 : try reader.number("power")
            let steps = try reader.integer("transition_steps")
            let begin = max(0, try reader.integer("transition_begin", default: 0))
            schedule = try reader.build(["from": "init_value", "to": "end_value", "power": "power", "steps": "transition_steps"]) {
                try PolynomialSchedule(from: initial, to: end, power: power, steps: max(steps, 0), begin: begin, precision: .single)
            }
        case "exponential_decay":
            let initial = try reader.number("init_value")
            let steps = try reader.integer("transition_steps")
            let decay = try reader.number("decay_rate")
            let begin = max(0, try reader.integer("transition_begin", default: 0))
            let staircase = try reader.bool("staircase", default: false)
            let end = try reader.optionalNumber("end_value")
            schedule = try reader.build(["from": "init_value", "decay": "decay_rate", "every": "transition_steps", "to": "end_value"]) {
                if steps <= 0 || decay == 0 { return try ConstantSchedule(rate: initial) }
                return try ExponentialSchedule(from: initial, decay: decay, every: steps, begin: begin, staircase: staircase, to: end,
                                               precision: .single)
            }
        case "piecewise_constant":
            let initial = try reader.number("init_value")
            let (boundaries, scales) = try reader.boundariesAndScales("boundaries_and_scales")
            schedule = try reader.build(["from": "init_value", "at": "boundaries_and_scales", "scales": "boundaries_and_scales"]) {
                try PiecewiseConstantSchedule(from: initial, boundaries: boundaries, scales: scales)
            }
        case "piecewise_interpolate":
            let kind = try reader.string("interpolate_type", allowed: ["linear", "cosine"])
            let initial = try reader.number("init_value")
            let (boundaries, scales) = try reader.boundariesAndScales("boundaries_and_scales")
            schedule = try reader.build(["from": "init_value", "at": "boundaries_and_scales", "scales": "boundaries_and_scales"]) {
                try PiecewiseInterpolateSchedule(Interpolation(rawValue: kind)!, from: initial, boundaries: boundaries, scales: scales,
                                                 precision: .single)
            }
        case "cosine_decay":
            let initial = try reader.number("init_value")
            let steps = try reader.integer("decay_steps")
            let alpha = try reader.number("alpha", default: 0)
            let exponent = try reader.number("exponent", default: 1)
            schedule = try reader.build(["from": "init_value", "to": "alpha", "steps": "decay_steps", "exponent": "exponent"]) {
                try CosineDecaySchedule(from: initial, to: initial * alpha, steps: steps, exponent: exponent, precision: .single)
            }
        case "warmup_cosine_decay":
            schedule = try warmupCosine(&reader)
        case "warmup_exponential_decay":
            let initial = try reader.number("init_value")
            let peak = try reader.number("peak_value")
            let warmup = try reader.integer("warmup_steps")
            let steps = try reader.integer("transition_steps")
            let decay = try reader.number("decay_rate")
            let begin = max(0, try reader.integer("transition_begin", default: 0))
            let staircase = try reader.bool("staircase", default: false)
            let end = try reader.optionalNumber("end_value")
            schedule = try reader.build(["from": "init_value", "to": "peak_value", "steps": "warmup_steps", "decay": "decay_rate",
                                         "every": "transition_steps"]) {
                let decaying: any SerializableSchedule = steps <= 0 || decay == 0
                    ? try ConstantSchedule(rate: peak)
                    : try ExponentialSchedule(from: peak, decay: decay, every: steps, begin: begin, staircase: staircase, to: end,
                                            precision: .single)
                return try JoinSchedule(
                    [AnySchedule(try PolynomialSchedule(from: initial, to: peak, steps: max(warmup, 0), precision: .single)), AnySchedule(decaying)],
                    boundaries: [warmup])
            }
        case "warmup_constant":
            let initial = try reader.number("init_value")
            let peak = try reader.number("peak_value")
            let warmup = try reader.integer("warmup_steps")
            schedule = try reader.build(["from": "init_value", "to": "peak_value", "steps": "warmup_steps"]) {
                try PolynomialSchedule(from: initial, to: peak, steps: max(warmup, 0), precision: .single)
            }
        case "linear_onecycle", "cosine_onecycle":
            let steps = try reader.integer("transition_steps")
            let peak = try reader.number("peak_value")
            let start = try reader.number("pct_start", default: 0.3)
            let final = key == "linear_onecycle" ? try reader.number("pct_final", default: 0.85) : 0
            let div = try reader.number("div_factor", default: 25)
            let finalDiv = try reader.number("final_div_factor", default: 1e4)
            guard steps > 0 else {
                throw ScheduleError(parameter: "transition_steps", message: "\(name): parameter 'transition_steps' must be at least 1, got \(steps)")
            }
            try ScheduleSettingCheck.positive(div, "div_factor")
            try ScheduleSettingCheck.positive(finalDiv, "final_div_factor")
            // Optax's int(pct × steps), checked: pct_start 1e308 once trapped in the conversion.
            func boundary(_ fraction: Double, _ parameter: String) throws -> Int {
                let product = fraction * Double(steps)
                guard product.isFinite, abs(product) < 1e15 else {
                    throw ScheduleError(parameter: parameter,
                        message: "\(name): parameter '\(parameter)' × transition_steps must be below 10^15 in size, got \(fraction)")
                }
                return Int(product)
            }
            // Optax builds a dict {step: scale}: a later key that repeats an earlier one replaces it.
            var entries: [(Int, Double)] = key == "linear_onecycle"
                ? [(try boundary(start, "pct_start"), div), (try boundary(final, "pct_final"), 1 / div), (steps, 1 / finalDiv)]
                : [(try boundary(start, "pct_start"), div), (steps, 1 / (div * finalDiv))]
            var merged: [Int: Double] = [:]
            for (boundary, scale) in entries { merged[boundary] = scale }
            entries = merged.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            schedule = try reader.build(["from": "peak_value", "at": "pct_start"]) {
                try PiecewiseInterpolateSchedule(key == "linear_onecycle" ? .linear : .cosine, from: peak / div,
                                                 boundaries: entries.map(\.0), scales: entries.map(\.1), precision: .single)
            }
        case "sgdr":
            let cycles = try reader.array("cosine_kwargs")
            var children: [AnySchedule] = []
            var boundaries: [Int] = []
            var consumed = 0
            for cycle in cycles {
                guard let object = cycle.object else {
                    throw ScheduleError(parameter: "cosine_kwargs", message: "sgdr: each item of 'cosine_kwargs' must be an object")
                }
                var child = ReferenceParameters(schedule: "sgdr cosine_kwargs", values: object)
                children.append(try warmupCosine(&child))
                try child.finish()
                consumed += try child.integer("decay_steps")
                boundaries.append(consumed)
            }
            schedule = try reader.build(["schedules": "cosine_kwargs"]) { try JoinSchedule(children, boundaries: Array(boundaries.dropLast())) }
        case "join", "join_schedules":
            let children = try reader.array("schedules").map { item in
                let (childName, childParameters) = try ReferenceSchedule.nested(item, in: name, field: "schedules")
                return try make(childName, childParameters)
            }
            let boundaries = try reader.integers("boundaries")
            schedule = try reader.build(["at": "boundaries", "schedules": "schedules"]) { try JoinSchedule(children, boundaries: boundaries) }
        default:
            throw ScheduleError(parameter: "schedule", message: "unknown Optax schedule '\(rawName)'")
        }
        try reader.finish()
        return schedule
    }

    /// `warmup_cosine_decay_schedule(init_value, peak_value, warmup_steps, decay_steps, end_value, exponent)`.
    private static func warmupCosine(_ reader: inout ReferenceParameters) throws -> AnySchedule {
        let initial = try reader.number("init_value")
        let peak = try reader.number("peak_value")
        let warmup = try reader.integer("warmup_steps")
        let steps = try reader.integer("decay_steps")
        let end = try reader.number("end_value", default: 0)
        let exponent = try reader.number("exponent", default: 1)
        guard warmup >= 0 else {
            throw ScheduleError(parameter: "warmup_steps", message: "warmup_cosine_decay: parameter 'warmup_steps' must be ≥ 0, got \(warmup)")
        }
        guard steps > warmup else {
            throw ScheduleError(parameter: "decay_steps",
                message: "warmup_cosine_decay: parameter 'decay_steps' (\(steps)) must exceed warmup_steps (\(warmup)): the warmup is longer than the run")
        }
        return try reader.build(["from": "init_value", "to": "end_value", "exponent": "exponent"]) {
            try JoinSchedule([
                AnySchedule(try PolynomialSchedule(from: initial, to: peak, steps: warmup, precision: .single)),
                AnySchedule(try CosineDecaySchedule(from: peak, to: peak == 0 ? 0 : end, steps: steps - warmup, exponent: exponent,
                                                    precision: .single)),
            ], boundaries: [warmup])
        }
    }
}
