import DescentFiles
import DescentSchedules

/// PyTorch's `torch.optim.lr_scheduler` classes, by name and parameters, as Descent schedules.
enum PyTorchSchedules {
    static func make(_ name: String, _ parameters: [String: JSONValue], _ baseLearningRate: Double?) throws -> AnySchedule {
        var reader = ReferenceParameters(schedule: name, values: parameters)
        _ = try reader.optionalNumber("last_epoch")
        _ = try reader.bool("verbose", default: false)
        func base() throws -> Double {
            guard let baseLearningRate else {
                throw ScheduleError(parameter: "base_lr", message: "\(name) needs the optimizer's base learning rate (base_lr)")
            }
            try ScheduleSettingCheck.rate(baseLearningRate, "base_lr")
            return baseLearningRate
        }
        let schedule: AnySchedule
        switch name {
        case "StepLR":
            let from = try base()
            let stepSize = try reader.integer("step_size")
            let gamma = try reader.number("gamma", default: 0.1)
            schedule = try reader.build(["every": "step_size", "gamma": "gamma", "from": "base_lr"]) {
                try StepSchedule(from: from, every: stepSize, gamma: gamma)
            }
        case "MultiStepLR":
            let from = try base()
            let milestones = try reader.integers("milestones")
            let gamma = try reader.number("gamma", default: 0.1)
            schedule = try reader.build(["at": "milestones", "scales": "gamma", "from": "base_lr"]) {
                try PiecewiseConstantSchedule(from: from, boundaries: milestones,
                                              scales: Array(repeating: gamma, count: milestones.count))
            }
        case "ConstantLR":
            let from = try base()
            let factor = try reader.number("factor", default: 1.0 / 3.0)
            let totalIterations = try reader.integer("total_iters", default: 5)
            guard factor >= 0, factor <= 1 else {
                throw ScheduleError(parameter: "factor", message: "ConstantLR: parameter 'factor' must lie in [0, 1], got \(factor)")
            }
            schedule = try reader.build(["steps": "total_iters", "rate": "factor", "from": "base_lr"]) {
                try JoinSchedule(sequence: [
                    AnySchedule(try ConstantSchedule(rate: from * factor, steps: totalIterations)),
                    AnySchedule(try ConstantSchedule(rate: from)),
                ])
            }
        case "LinearLR":
            let from = try base()
            let start = try reader.number("start_factor", default: 1.0 / 3.0)
            let end = try reader.number("end_factor", default: 1.0)
            let totalIterations = try reader.integer("total_iters", default: 5)
            guard start > 0, start <= 1 else {
                throw ScheduleError(parameter: "start_factor", message: "LinearLR: parameter 'start_factor' must lie in (0, 1], got \(start)")
            }
            guard end >= 0, end <= 1 else {
                throw ScheduleError(parameter: "end_factor", message: "LinearLR: parameter 'end_factor' must lie in [0, 1], got \(end)")
            }
            schedule = try reader.build(["steps": "total_iters", "from": "start_factor", "to": "end_factor"]) {
                try PolynomialSchedule(from: from * start, to: from * end, power: 1, steps: totalIterations)
            }
        case "ExponentialLR", "MultiplicativeLR":
            let from = try base()
            let key = name == "ExponentialLR" ? "gamma" : "factor"
            let gamma = try reader.number(key)
            schedule = try reader.build(["decay": key, "from": "base_lr"]) {
                try ExponentialSchedule(from: from, decay: gamma, every: 1)
            }
        case "PolynomialLR":
            let from = try base()
            let totalIterations = try reader.integer("total_iters", default: 5)
            let power = try reader.number("power", default: 1)
            schedule = try reader.build(["steps": "total_iters", "power": "power", "from": "base_lr"]) {
                try PolynomialSchedule(from: from, to: 0, power: power, steps: totalIterations)
            }
        case "CosineAnnealingLR":
            let from = try base()
            let period = try reader.integer("T_max")
            let minimum = try reader.number("eta_min", default: 0)
            schedule = try reader.build(["period": "T_max", "to": "eta_min", "from": "base_lr"]) {
                try CosineAnnealingSchedule(from: from, to: minimum, period: period)
            }
        case "CosineAnnealingWarmRestarts":
            let from = try base()
            let period = try reader.integer("T_0")
            let multiplierValue = try reader.number("T_mult", default: 1)
            guard multiplierValue >= 1, multiplierValue == multiplierValue.rounded(), multiplierValue < 1e15 else {
                throw ScheduleError(parameter: "T_mult",
                    message: "CosineAnnealingWarmRestarts: parameter 'T_mult' must be a whole number from 1 to 10^15, got \(multiplierValue)")
            }
            let minimum = try reader.number("eta_min", default: 0)
            schedule = try reader.build(["period": "T_0", "multiplier": "T_mult", "to": "eta_min", "from": "base_lr"]) {
                try WarmRestartsSchedule(from: from, to: minimum, period: period, multiplier: Int(multiplierValue))
            }
        case "CyclicLR":
            let low = try reader.number("base_lr")
            let high = try reader.number("max_lr")
            let up = try reader.integer("step_size_up", default: 2000)
            let down = try reader.optionalInteger("step_size_down")
            let mode = try reader.string("mode", default: "triangular", allowed: ["triangular", "triangular2", "exp_range"])
            let gamma = try reader.number("gamma", default: 1)
            // PyTorch ignores scale_mode unless a custom scale_fn is given (which a file cannot give).
            _ = try reader.string("scale_mode", default: "cycle", allowed: ["cycle", "iterations"])
            let cycleMomentum = try reader.bool("cycle_momentum", default: true)
            let baseMomentum = try reader.number("base_momentum", default: 0.8)
            let maxMomentum = try reader.number("max_momentum", default: 0.9)
            schedule = try reader.build(["low": "base_lr", "high": "max_lr", "up": "step_size_up", "down": "step_size_down",
                                         "gamma": "gamma"]) {
                try CyclicSchedule(low: low, high: high, up: up, down: down, mode: CyclicSchedule.Mode(rawValue: mode)!,
                                   gamma: gamma,
                                   momentum: cycleMomentum ? try MomentumRange(base: baseMomentum, maximum: maxMomentum) : nil)
            }
        case "OneCycleLR":
            let peak = try reader.number("max_lr")
            var total = try reader.optionalInteger("total_steps")
            let epochs = try reader.optionalInteger("epochs")
            let stepsPerEpoch = try reader.optionalInteger("steps_per_epoch")
            if total == nil {
                guard let epochs, let stepsPerEpoch else {
                    throw ScheduleError(parameter: "total_steps",
                        message: "OneCycleLR: parameter 'total_steps' is missing (or give epochs and steps_per_epoch)")
                }
                guard epochs > 0 else {
                    throw ScheduleError(parameter: "epochs", message: "OneCycleLR: parameter 'epochs' must be at least 1, got \(epochs)")
                }
                guard stepsPerEpoch > 0 else {
                    throw ScheduleError(parameter: "steps_per_epoch",
                        message: "OneCycleLR: parameter 'steps_per_epoch' must be at least 1, got \(stepsPerEpoch)")
                }
                total = epochs * stepsPerEpoch
            }
            let fraction = try reader.number("pct_start", default: 0.3)
            let anneal = try reader.string("anneal_strategy", default: "cos", allowed: ["cos", "linear"])
            let cycleMomentum = try reader.bool("cycle_momentum", default: true)
            let baseMomentum = try reader.number("base_momentum", default: 0.85)
            let maxMomentum = try reader.number("max_momentum", default: 0.95)
            let div = try reader.number("div_factor", default: 25)
            let finalDiv = try reader.number("final_div_factor", default: 1e4)
            let threePhase = try reader.bool("three_phase", default: false)
            schedule = try reader.build(["peak": "max_lr", "steps": "total_steps", "warmup": "pct_start", "div": "div_factor",
                                         "final_div": "final_div_factor"]) {
                try OneCycleSchedule(peak: peak, steps: total ?? 0, warmupFraction: fraction,
                                     anneal: anneal == "cos" ? .cosine : .linear, divFactor: div, finalDivFactor: finalDiv,
                                     threePhase: threePhase,
                                     momentum: cycleMomentum ? try MomentumRange(base: baseMomentum, maximum: maxMomentum) : nil)
            }
        case "SequentialLR":
            let items = try reader.array("schedulers").map { item in
                try ReferenceSchedule.nested(item, in: name, field: "schedulers")
            }
            let milestones = try reader.integers("milestones")
            // At a milestone PyTorch restarts the next scheduler: schedulers with a closed form start
            // again from base_lr, but MultiplicativeLR (no closed form) multiplies the rate the previous
            // scheduler left at the step before the milestone (checked against PyTorch 2.15).
            var children: [AnySchedule] = []
            for (index, (childName, childParameters)) in items.enumerated() {
                var start = baseLearningRate
                if childName == "MultiplicativeLR", index > 0, index - 1 < milestones.count, let previous = children.last {
                    let previousStart = index >= 2 && index - 2 < milestones.count ? milestones[index - 2] : 0
                    let factor = childParameters["factor"]?.number ?? 1
                    start = previous(max(milestones[index - 1] - 1 - previousStart, 0)) * factor
                }
                children.append(try make(childName, childParameters, start))
            }
            schedule = try reader.build(["at": "milestones", "schedules": "schedulers"]) {
                try JoinSchedule(children, boundaries: milestones)
            }
        case "ChainedScheduler":
            let from = try base()
            let children = try reader.array("schedulers").map { item in
                let (childName, childParameters) = try ReferenceSchedule.nested(item, in: name, field: "schedulers")
                return try make(childName, childParameters, baseLearningRate)
            }
            schedule = try reader.build(["schedules": "schedulers", "from": "base_lr"]) { try ChainSchedule(from: from, children) }
        case "LambdaLR":
            throw ScheduleError(parameter: "lr_lambda",
                message: "LambdaLR takes a closure, which a file cannot give; use LambdaSchedule in code")
        case "ReduceLROnPlateau":
            throw ScheduleError(parameter: "schedule",
                message: "ReduceLROnPlateau is a controller, not a schedule: use ReferenceSchedule.makePlateau(parameters:)")
        default:
            throw ScheduleError(parameter: "schedule", message: "unknown PyTorch scheduler '\(name)'")
        }
        try reader.finish()
        return schedule
    }
}
