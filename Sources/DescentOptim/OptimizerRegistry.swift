/// How an optimizer's rate behaves: which decides how far below a range test's edge the automatic
/// rate goes, whether the stability ceiling applies, and whether a rate needs choosing at all.
public enum OptimizerFamily: String, Codable, Sendable, CaseIterable {
    /// SGD with heavy-ball momentum: the step is rate × gradient, bounded by the stability ceiling.
    case momentumSGD = "sgd"
    /// Adam, AdamW, RMSprop: the gradient is divided by its running scale, the step is about the rate.
    case adaptive
    /// Prodigy, Schedule-Free: the optimizer sets its own step size; the rate is its default.
    case learningRateFree = "learning-rate-free"

    /// The family in words: "SGD with momentum", "the Adam family (Adam, AdamW, RMSprop)", "the learning-rate-free optimizers".
    public var words: String {
        switch self {
        case .momentumSGD: return "SGD with momentum"
        case .adaptive: return "the Adam family (Adam, AdamW, RMSprop)"
        case .learningRateFree: return "the learning-rate-free optimizers (Prodigy, Schedule-Free AdamW)"
        }
    }
}

/// The one registry of the optimizers a run can name: each name, the rule it builds, and what is known
/// about the rule — its family, its reference implementation's default rate, and whether it is
/// learning-rate-free. `descent train`, `range-test`, `tune`, `bench` and a `RunSpecification` all name
/// optimizers through it; the conformance module maps its reference names (PyTorch's `AdamW`, …) onto it.
///
/// | name | rule | family | reference rate | rate-free |
/// | --- | --- | --- | --- | --- |
/// | `sgd` | `SGD(momentum:)` | momentum SGD | — | no |
/// | `adam` | `Adam()` | adaptive | 1e-3 (PyTorch) | no |
/// | `adamw` | `AdamW()` | adaptive | 1e-3 (PyTorch) | no |
/// | `rmsprop` | `RMSprop()` | adaptive | 1e-2 (PyTorch) | no |
/// | `schedule-free-adamw` | `ScheduleFreeAdamW()` | rate-free | 2.5e-3 (schedulefree) | yes: no schedule needed |
/// | `prodigy` | `Prodigy()` | rate-free | 1.0 (prodigyopt; multiplies the step size it learns) | yes |
///
/// `Optimizer<Rule>` is generic over its rule, so work with "the rule that was named" is written once
/// as an `OptimizerRuleTask` (a generic method) and `withRule(_:momentum:)` calls it with the concrete rule:
///
/// ```swift
/// struct Name: OptimizerRuleTask { func run<Rule: OptimizerRule>(_ rule: Rule) throws -> String { "\(Rule.self)" } }
/// try OptimizerRegistry.adamw.withRule(Name(), momentum: 0.9)    // "AdamW"
/// OptimizerRegistry(rawValue: "prodigy")?.isLearningRateFree      // true
/// ```
public enum OptimizerRegistry: String, Codable, Sendable, CaseIterable {
    case sgd, adam, adamw, rmsprop
    case scheduleFreeAdamW = "schedule-free-adamw"
    case prodigy

    /// The names, comma-separated, as help texts and errors list them.
    public static var listed: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The optimizer of a reference library's class name (`SGD`, `Adam`, `AdamW`, `RMSprop`, `ScheduleFreeAdamW`,
    /// `Prodigy`; any case), or nil for one this registry does not build.
    public init?(referenceName name: String) {
        let key = name.lowercased().filter { $0.isLetter }
        guard let found = Self.allCases.first(where: { $0.rawValue.filter(\.isLetter) == key }) else { return nil }
        self = found
    }

    /// How the rule's rate behaves.
    public var family: OptimizerFamily {
        switch self {
        case .sgd: return .momentumSGD
        case .adam, .adamw, .rmsprop: return .adaptive
        case .scheduleFreeAdamW, .prodigy: return .learningRateFree
        }
    }

    /// Whether the optimizer sets its own step size, so that an automatic rate means its reference default
    /// rather than a range test: Prodigy learns the step size d (the rate only multiplies it), and
    /// Schedule-Free AdamW is designed to run at its default rate with no schedule.
    public var isLearningRateFree: Bool { family == .learningRateFree }

    /// The reference implementation's default rate (nil for SGD, whose PyTorch class has none).
    public var referenceLearningRate: Double? {
        switch self {
        case .sgd: return nil
        case .adam, .adamw: return 1e-3
        case .rmsprop: return 1e-2
        case .scheduleFreeAdamW: return 2.5e-3
        case .prodigy: return 1.0
        }
    }

    /// The rates this rule is normally trained at: a rule of thumb for saying that a rate given to it is unusual
    /// (most often one a range test found for another family), never a bound. nil for the learning-rate-free
    /// rules, whose rate only multiplies the step size they learn.
    ///
    /// * Adam, AdamW: 1e-5 to 1e-2 — two decades below to one above the reference default 1e-3 (Kingma & Ba
    ///   2015; PyTorch), the span searches for them cover (e.g. Optuna's and Keras Tuner's examples: 1e-5…1e-2).
    /// * RMSprop: 1e-4 to 1e-1 around PyTorch's 1e-2 (Keras: 1e-3).
    /// * SGD (with momentum): 1e-3 to 1 — ResNets train at 0.1 (He et al. 2016; 0.1 × batch/256, Goyal et al.
    ///   2017), small networks at 0.01 to 0.5; with the step rate × gradient, an SGD rate is typically 10 to 100
    ///   times an Adam rate on the same problem.
    ///
    /// ```swift
    /// OptimizerRegistry.adamw.typicalLearningRates?.contains(0.3)   // false: 0.3 is an SGD-sized rate
    /// OptimizerRegistry.sgd.typicalLearningRates?.contains(0.3)     // true
    /// ```
    public var typicalLearningRates: ClosedRange<Double>? {
        switch self {
        case .sgd: return 1e-3...1
        case .adam, .adamw: return 1e-5...1e-2
        case .rmsprop: return 1e-4...1e-1
        case .scheduleFreeAdamW, .prodigy: return nil
        }
    }

    /// Whether `momentum` is a hyperparameter of this rule (SGD's heavy ball; the others keep their defaults).
    public var takesMomentum: Bool { self == .sgd }

    /// Builds the rule (SGD with `momentum`, the others at their reference defaults) and runs `task` with it.
    /// - Throws: `OptimizerError` for a hyperparameter out of range, and whatever `task` throws.
    public func withRule<Task: OptimizerRuleTask>(_ task: Task, momentum: Double) throws -> Task.Output {
        switch self {
        case .sgd: return try task.run(try SGD(momentum: momentum))
        case .adam: return try task.run(try Adam())
        case .adamw: return try task.run(try AdamW())
        case .rmsprop: return try task.run(try RMSprop())
        case .scheduleFreeAdamW: return try task.run(try ScheduleFreeAdamW())
        case .prodigy: return try task.run(try Prodigy())
        }
    }

    /// A description for printing: `sgd (momentum 0.9)`, `adamw`.
    public func described(momentum: Double) -> String { self == .sgd ? "sgd (momentum \(momentum))" : rawValue }
}

/// Work done with a rule named at run time (see `OptimizerRegistry.withRule(_:momentum:)`).
public protocol OptimizerRuleTask {
    associatedtype Output
    func run<Rule: OptimizerRule>(_ rule: Rule) throws -> Output
}
