import DescentFiles
import DescentSchedules

/// Keras' `keras.optimizers.schedules` classes, by name and parameters, as Descent schedules.
enum KerasSchedules {
    static func make(_ name: String, _ parameters: [String: JSONValue]) throws -> AnySchedule {
        var reader = ReferenceParameters(schedule: name, values: parameters)
        reader.ignore("name")
        let schedule: AnySchedule
        switch name {
        case "InverseTimeDecay":
            let initial = try reader.number("initial_learning_rate")
            let steps = try reader.integer("decay_steps")
            let decay = try reader.number("decay_rate")
            let staircase = try reader.bool("staircase", default: false)
            schedule = try reader.build(["from": "initial_learning_rate", "every": "decay_steps", "decay": "decay_rate"]) {
                try InverseTimeSchedule(from: initial, decay: decay, every: steps, staircase: staircase)
            }
        case "CosineDecayRestarts":
            let initial = try reader.number("initial_learning_rate")
            let steps = try reader.integer("first_decay_steps")
            let periodMultiplier = try reader.number("t_mul", default: 2)
            let rateMultiplier = try reader.number("m_mul", default: 1)
            let alpha = try reader.number("alpha", default: 0)
            schedule = try reader.build(["from": "initial_learning_rate", "steps": "first_decay_steps"]) {
                try CosineRestartsSchedule(from: initial, steps: steps, periodMultiplier: periodMultiplier,
                                           rateMultiplier: rateMultiplier, alpha: alpha, precision: .single)
            }
        case "ExponentialDecay":
            let initial = try reader.number("initial_learning_rate")
            let steps = try reader.integer("decay_steps")
            let decay = try reader.number("decay_rate")
            let staircase = try reader.bool("staircase", default: false)
            schedule = try reader.build(["from": "initial_learning_rate", "every": "decay_steps", "decay": "decay_rate"]) {
                try ExponentialSchedule(from: initial, decay: decay, every: steps, staircase: staircase)
            }
        case "CosineDecay":
            let initial = try reader.number("initial_learning_rate")
            let steps = try reader.integer("decay_steps")
            let alpha = try reader.number("alpha", default: 0)
            schedule = try reader.build(["from": "initial_learning_rate", "steps": "decay_steps", "to": "alpha"]) {
                try CosineDecaySchedule(from: initial, to: initial * alpha, steps: steps, precision: .single)
            }
        default:
            throw ScheduleError(parameter: "schedule", message: "unknown Keras schedule '\(name)'")
        }
        try reader.finish()
        return schedule
    }
}
