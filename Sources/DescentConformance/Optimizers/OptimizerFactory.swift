import DescentFiles
import DescentOptim

/// Builds an optimizer from a reference library's name and hyperparameter names, as written in
/// conformance files (`"optimizer": "AdamW", "params": {"lr": 0.01, "betas": [0.9, 0.999], ...}`).
///
/// PyTorch names: SGD, Adam, AdamW, NAdam, RAdam, Adamax, RMSprop, Adagrad, Adadelta;
/// Optax: lion, lamb, lars (also capitalised); schedulefree: SGDScheduleFree, AdamWScheduleFree;
/// prodigyopt: Prodigy; dadaptation: DAdaptSGD, DAdaptAdam.
///
/// ```swift
/// let optimizer = try OptimizerFactory.make(reference: "Adam", parameters: ["lr": 0.01, "amsgrad": true])
/// ```
public enum OptimizerFactory {
    /// The entry of DescentOptim's one registry for a reference name, when the registry builds that rule
    /// (`AdamW` → `.adamw`, `AdamWScheduleFree` → `.scheduleFreeAdamW`, `Prodigy` → `.prodigy`; nil for the rules
    /// only conformance builds, such as `Lion`): the reference's names mapped onto the registry, not a second list.
    public static func registryEntry(reference name: String) -> OptimizerRegistry? {
        switch name.lowercased() {
        case "adamwschedulefree", "schedulefreeadamw": return .scheduleFreeAdamW
        default: return OptimizerRegistry(referenceName: name)
        }
    }

    /// - Throws: `ConformanceError` for an unknown optimizer or hyperparameter, `OptimizerError` for a bad value.
    public static func make(reference name: String, parameters values: [String: JSONValue], schedule: ScheduledRate? = nil,
                            context: String = "optimizer") throws -> any ParameterOptimizer {
        var p = ReferenceParameters(values, owner: .optimizer(context: context))
        let optimizer: any ParameterOptimizer
        switch name.lowercased() {
        case "sgd":
            let lr = try p.number("lr", default: 0.001)
            let rule = try SGD(momentum: p.number("momentum", default: 0), dampening: p.number("dampening", default: 0),
                               nesterov: p.bool("nesterov", default: false))
            optimizer = try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule,
                                      maximize: p.bool("maximize", default: false))
        case "adam", "adamw":
            let decoupledFlag = try p.bool("decoupled_weight_decay", default: false)
            let decoupled = name.lowercased() == "adamw" || decoupledFlag
            let lr = try p.number("lr", default: 0.001)
            let (beta1, beta2) = try p.pair("betas", default: (0.9, 0.999))
            let eps = try p.number("eps", default: 1e-8), amsgrad = try p.bool("amsgrad", default: false)
            let decay = try p.number("weight_decay", default: name.lowercased() == "adamw" ? 0.01 : 0)
            let maximize = try p.bool("maximize", default: false)
            if decoupled {
                optimizer = try Optimizer(AdamW(beta1: beta1, beta2: beta2, epsilon: eps, amsgrad: amsgrad), learningRate: lr,
                                          weightDecay: decay, schedule: schedule, maximize: maximize)
            } else {
                optimizer = try Optimizer(Adam(beta1: beta1, beta2: beta2, epsilon: eps, amsgrad: amsgrad), learningRate: lr,
                                          weightDecay: decay, schedule: schedule, maximize: maximize)
            }
        case "nadam":
            let lr = try p.number("lr", default: 0.002)
            let (beta1, beta2) = try p.pair("betas", default: (0.9, 0.999))
            let rule = try NAdam(beta1: beta1, beta2: beta2, epsilon: p.number("eps", default: 1e-8),
                                 momentumDecay: p.number("momentum_decay", default: 0.004),
                                 decoupledWeightDecay: p.bool("decoupled_weight_decay", default: false))
            optimizer = try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule,
                                      maximize: p.bool("maximize", default: false))
        case "radam":
            let lr = try p.number("lr", default: 0.001)
            let (beta1, beta2) = try p.pair("betas", default: (0.9, 0.999))
            let rule = try RAdam(beta1: beta1, beta2: beta2, epsilon: p.number("eps", default: 1e-8),
                                 decoupledWeightDecay: p.bool("decoupled_weight_decay", default: false))
            optimizer = try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule,
                                      maximize: p.bool("maximize", default: false))
        case "adamax":
            let lr = try p.number("lr", default: 0.002)
            let (beta1, beta2) = try p.pair("betas", default: (0.9, 0.999))
            let rule = try Adamax(beta1: beta1, beta2: beta2, epsilon: p.number("eps", default: 1e-8))
            optimizer = try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule,
                                      maximize: p.bool("maximize", default: false))
        case "rmsprop":
            let lr = try p.number("lr", default: 0.01)
            let rule = try RMSprop(alpha: p.number("alpha", default: 0.99), epsilon: p.number("eps", default: 1e-8),
                                   momentum: p.number("momentum", default: 0), centered: p.bool("centered", default: false))
            optimizer = try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule,
                                      maximize: p.bool("maximize", default: false))
        case "adagrad":
            let lr = try p.number("lr", default: 0.01)
            let rule = try Adagrad(learningRateDecay: p.number("lr_decay", default: 0),
                                   initialAccumulatorValue: p.number("initial_accumulator_value", default: 0),
                                   epsilon: p.number("eps", default: 1e-10))
            optimizer = try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule,
                                      maximize: p.bool("maximize", default: false))
        case "adadelta":
            let lr = try p.number("lr", default: 1.0)
            let rule = try Adadelta(rho: p.number("rho", default: 0.9), epsilon: p.number("eps", default: 1e-6))
            optimizer = try Optimizer(rule, learningRate: lr, weightDecay: p.number("weight_decay", default: 0), schedule: schedule,
                                      maximize: p.bool("maximize", default: false))
        default:
            if let made = try makeOthers(name: name, parameters: &p, schedule: schedule) {
                optimizer = made
            } else {
                throw ConformanceError.unsupported(context: context, what: "optimizer \(name)")
            }
        }
        try p.finish()
        return optimizer
    }
}
