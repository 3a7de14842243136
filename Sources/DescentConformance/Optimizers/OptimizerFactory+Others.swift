import DescentOptim

extension OptimizerFactory {
    /// Optax, schedule-free, Prodigy and D-Adaptation optimizers (`nil` for an unknown name).
    static func makeOthers(name: String, parameters p: inout ReferenceParameters,
                           schedule: ScheduledRate?) throws -> (any ParameterOptimizer)? {
        func rate(_ fallback: Double) throws -> Double {
            if let value = try p.optionalNumber("learning_rate") { return value }
            return try p.number("lr", default: fallback)
        }
        switch name.lowercased() {
        case "lion":
            let lr = try rate(1e-4)
            let rule = try Lion(beta1: p.number("b1", default: 0.9), beta2: p.number("b2", default: 0.99))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 1e-3), schedule: schedule)
        case "lamb":
            let lr = try rate(1e-3)
            let rule = try LAMB(beta1: p.number("b1", default: 0.9), beta2: p.number("b2", default: 0.999), epsilon: p.number("eps", default: 1e-6),
                                epsilonRoot: p.number("eps_root", default: 0))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule)
        case "lars":
            let lr = try rate(1e-3)
            let rule = try LARS(trustCoefficient: p.number("trust_coefficient", default: 0.001), epsilon: p.number("eps", default: 0),
                                momentum: p.number("momentum", default: 0.9), nesterov: p.bool("nesterov", default: false))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule)
        case "sgdschedulefree", "schedulefreesgd":
            let lr = try rate(1.0)
            let rule = try ScheduleFreeSGD(momentum: p.number("momentum", default: 0.9),
                                           warmupSteps: p.integer("warmup_steps", default: 0), r: p.number("r", default: 0),
                                           weightLearningRatePower: p.number("weight_lr_power", default: 2))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule)
        case "adamwschedulefree", "schedulefreeadamw":
            let lr = try rate(0.0025)
            let (beta1, beta2) = try p.pair("betas", default: (0.9, 0.999))
            let rule = try ScheduleFreeAdamW(beta1: beta1, beta2: beta2, epsilon: p.number("eps", default: 1e-8),
                                             warmupSteps: p.integer("warmup_steps", default: 0), r: p.number("r", default: 0),
                                             weightLearningRatePower: p.number("weight_lr_power", default: 2))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule)
        case "prodigy":
            let lr = try rate(1.0)
            let (beta1, beta2) = try p.pair("betas", default: (0.9, 0.999))
            let rule = try Prodigy(beta1: beta1, beta2: beta2, beta3: p.optionalNumber("beta3"), epsilon: p.number("eps", default: 1e-8),
                                   initialD: p.number("d0", default: 1e-6), dCoefficient: p.number("d_coef", default: 1),
                                   growthRate: p.number("growth_rate", default: .infinity),
                                   decoupledWeightDecay: p.bool("decouple", default: true),
                                   biasCorrection: p.bool("use_bias_correction", default: false),
                                   safeguardWarmup: p.bool("safeguard_warmup", default: false))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule)
        case "dadaptsgd", "dadaptationsgd":
            let lr = try rate(1.0)
            let rule = try DAdaptationSGD(momentum: p.number("momentum", default: 0), initialD: p.number("d0", default: 1e-6),
                                          growthRate: p.number("growth_rate", default: .infinity))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule)
        case "dadaptadam", "dadaptationadam":
            let lr = try rate(1.0)
            let (beta1, beta2) = try p.pair("betas", default: (0.9, 0.999))
            let rule = try DAdaptationAdam(beta1: beta1, beta2: beta2, epsilon: p.number("eps", default: 1e-8),
                                           decoupledWeightDecay: p.bool("decouple", default: false),
                                           biasCorrection: p.bool("use_bias_correction", default: false),
                                           initialD: p.number("d0", default: 1e-6), growthRate: p.number("growth_rate", default: .infinity))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule)
        default:
            return nil
        }
    }
}
