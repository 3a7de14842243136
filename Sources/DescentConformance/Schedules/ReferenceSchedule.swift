import DescentFiles
import DescentSchedules

/// Builds Descent schedules and controllers from a reference library's description: a library
/// (`source`), a scheduler or schedule function name and its parameters under the library's own
/// names, as in the conformance files (`shared/conformance/schedules.json`).
///
/// | source | names |
/// | --- | --- |
/// | `pytorch` | StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR, SequentialLR, ChainedScheduler, MultiplicativeLR (`factor`: a constant factor) — LambdaLR takes a closure and cannot come from a file; ReduceLROnPlateau is a controller: ``makePlateau(parameters:)`` |
/// | `optax` | constant, linear, polynomial, exponential_decay, piecewise_constant, piecewise_interpolate, cosine_decay, warmup_cosine_decay, warmup_exponential_decay, warmup_constant, linear_onecycle, cosine_onecycle, sgdr, join_schedules (with or without the `_schedule` suffix) |
/// | `keras` | InverseTimeDecay, CosineDecayRestarts, ExponentialDecay, CosineDecay |
/// | `descent` | the name is a text form (``ScheduleParser``); parameter `total_steps` optional |
///
/// Nested schedules (SequentialLR's and ChainedScheduler's `schedulers`, join_schedules'
/// `schedules`) are objects `{"schedule": name, "params": {...}}`; sgdr's `cosine_kwargs` is a list of
/// warmup_cosine_decay parameter objects.
///
/// Example:
///
///     let made = try ReferenceSchedule.make(source: "pytorch", name: "OneCycleLR",
///         parameters: ["max_lr": .number(0.1), "total_steps": .number(50)], baseLearningRate: 0.1)
///     made.rate(0)        // 0.004
///     made.momentum?(0)   // 0.95
public enum ReferenceSchedule {
    /// The schedule for `name` from `source` with `parameters` (the library's names and defaults).
    ///
    /// - Parameters:
    ///   - source: `"pytorch"`, `"optax"`, `"keras"` or `"descent"`.
    ///   - baseLearningRate: the optimizer's initial rate, required by PyTorch's schedulers except
    ///     CyclicLR and OneCycleLR (which set their own); ignored by Optax's.
    /// - Returns: the rate schedule, and the momentum schedule when the schedule cycles momentum
    ///   (CyclicLR, OneCycleLR with `cycle_momentum`, the default); `momentum(step)` is SGD's momentum
    ///   or Adam's β₁.
    /// - Throws: ``ScheduleError`` naming the parameter (`T_max`, `pct_start`, …) that is missing or invalid.
    public static func make(source: String, name: String, parameters: [String: JSONValue],
                            baseLearningRate: Double?) throws -> (rate: AnySchedule, momentum: ScheduledMomentum?) {
        let schedule: AnySchedule
        switch source.lowercased() {
        case "pytorch", "torch":
            schedule = try PyTorchSchedules.make(name, parameters, baseLearningRate)
        case "optax":
            schedule = try OptaxSchedules.make(name, parameters)
        case "keras", "tensorflow":
            schedule = try KerasSchedules.make(name, parameters)
        case "descent":
            var reader = ReferenceParameters(schedule: name, values: parameters)
            let total = try reader.optionalInteger("total_steps")
            try reader.finish()
            schedule = try ScheduleParser.parse(name, totalSteps: total, baseLearningRate: baseLearningRate)
        default:
            throw ScheduleError(parameter: "source",
                message: "unknown source '\(source)'; known: pytorch, optax, keras, descent")
        }
        let momentum = schedule.cyclesMomentum ? ScheduledMomentum(schedule) : nil
        return (schedule, momentum)
    }

    /// PyTorch's `ReduceLROnPlateau` parameters (`mode`, `factor`, `patience`, `threshold`,
    /// `threshold_mode`, `cooldown`, `min_lr`, `eps`, with PyTorch's defaults) as a controller.
    public static func makePlateau(parameters: [String: JSONValue]) throws -> ReduceOnPlateau {
        var reader = ReferenceParameters(schedule: "ReduceLROnPlateau", values: parameters)
        let mode = try reader.string("mode", default: "min", allowed: ["min", "max"])
        let factor = try reader.number("factor", default: 0.1)
        let patience = try reader.integer("patience", default: 10)
        let threshold = try reader.number("threshold", default: 1e-4)
        let thresholdMode = try reader.string("threshold_mode", default: "rel", allowed: ["rel", "abs"])
        let cooldown = try reader.integer("cooldown", default: 0)
        let minimum = try reader.number("min_lr", default: 0)
        let epsilon = try reader.number("eps", default: 1e-8)
        _ = try reader.bool("verbose", default: false)
        try reader.finish()
        do {
            return try ReduceOnPlateau(
                mode: mode == "min" ? .min : .max, factor: factor, patience: patience, threshold: threshold,
                thresholdMode: thresholdMode == "rel" ? .relative : .absolute, cooldown: cooldown,
                minimumLearningRate: minimum, epsilon: epsilon)
        } catch let error as ScheduleError {
            throw reader.renamed(error, [:])
        }
    }

    /// A nested `{"schedule": name, "params": {...}}` object.
    static func nested(_ value: JSONValue, in parent: String, field: String) throws -> (name: String, parameters: [String: JSONValue]) {
        guard let object = value.object, let name = object["schedule"]?.string else {
            throw ScheduleError(parameter: field,
                message: "\(parent): each item of '\(field)' must be {\"schedule\": name, \"params\": {...}}, got \(value)")
        }
        let parameters = object["params"] ?? .object([:])
        guard let dictionary = parameters.object else {
            throw ScheduleError(parameter: field, message: "\(parent): 'params' of \(name) must be an object")
        }
        return (name, dictionary)
    }
}

