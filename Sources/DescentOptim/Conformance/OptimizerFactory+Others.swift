import DescentTensor

extension OptimizerFactory {
    /// Optax, schedule-free, Prodigy and D-Adaptation optimizers (`nil` for an unknown name).
    static func makeOthers(name: String, parameters p: inout ReferenceParameters,
                           schedule: ScheduledRate?) throws -> (any ParameterOptimizer)? {
        func rate(_ fallback: Double) throws -> Double {
            if let value = try p.optionalDouble("learning_rate") { return value }
            return try p.double("lr", fallback)
        }
        switch name.lowercased() {
        case "lion":
            let lr = try rate(1e-4)
            let rule = try Lion(beta1: p.double("b1", 0.9), beta2: p.double("b2", 0.99))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.double("weight_decay", 1e-3), schedule: schedule)
        case "lamb":
            let lr = try rate(1e-3)
            let rule = try LAMB(beta1: p.double("b1", 0.9), beta2: p.double("b2", 0.999), epsilon: p.double("eps", 1e-6),
                                epsilonRoot: p.double("eps_root", 0))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.double("weight_decay", 0), schedule: schedule)
        case "lars":
            let lr = try rate(1e-3)
            let rule = try LARS(trustCoefficient: p.double("trust_coefficient", 0.001), epsilon: p.double("eps", 0),
                                momentum: p.double("momentum", 0.9), nesterov: p.bool("nesterov", false))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.double("weight_decay", 0), schedule: schedule)
        case "sgdschedulefree", "schedulefreesgd":
            let lr = try rate(1.0)
            let rule = try ScheduleFreeSGD(momentum: p.double("momentum", 0.9),
                                           warmupSteps: p.integer("warmup_steps", 0), r: p.double("r", 0),
                                           weightLearningRatePower: p.double("weight_lr_power", 2))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.double("weight_decay", 0), schedule: schedule)
        case "adamwschedulefree", "schedulefreeadamw":
            let lr = try rate(0.0025)
            let (beta1, beta2) = try p.pair("betas", (0.9, 0.999))
            let rule = try ScheduleFreeAdamW(beta1: beta1, beta2: beta2, epsilon: p.double("eps", 1e-8),
                                             warmupSteps: p.integer("warmup_steps", 0), r: p.double("r", 0),
                                             weightLearningRatePower: p.double("weight_lr_power", 2))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.double("weight_decay", 0), schedule: schedule)
        case "prodigy":
            let lr = try rate(1.0)
            let (beta1, beta2) = try p.pair("betas", (0.9, 0.999))
            let rule = try Prodigy(beta1: beta1, beta2: beta2, beta3: p.optionalDouble("beta3"), epsilon: p.double("eps", 1e-8),
                                   initialD: p.double("d0", 1e-6), dCoefficient: p.double("d_coef", 1),
                                   growthRate: p.double("growth_rate", .infinity),
                                   decoupledWeightDecay: p.bool("decouple", true),
                                   biasCorrection: p.bool("use_bias_correction", false),
                                   safeguardWarmup: p.bool("safeguard_warmup", false))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.double("weight_decay", 0), schedule: schedule)
        case "dadaptsgd", "dadaptationsgd":
            let lr = try rate(1.0)
            let rule = try DAdaptationSGD(momentum: p.double("momentum", 0), initialD: p.double("d0", 1e-6),
                                          growthRate: p.double("growth_rate", .infinity))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.double("weight_decay", 0), schedule: schedule)
        case "dadaptadam", "dadaptationadam":
            let lr = try rate(1.0)
            let (beta1, beta2) = try p.pair("betas", (0.9, 0.999))
            let rule = try DAdaptationAdam(beta1: beta1, beta2: beta2, epsilon: p.double("eps", 1e-8),
                                           decoupledWeightDecay: p.bool("decouple", false),
                                           biasCorrection: p.bool("use_bias_correction", false),
                                           initialD: p.double("d0", 1e-6), growthRate: p.double("growth_rate", .infinity))
            return try Optimizer(rule, learningRate: lr, weightDecay: p.double("weight_decay", 0), schedule: schedule)
        default:
            return nil
        }
    }
}
