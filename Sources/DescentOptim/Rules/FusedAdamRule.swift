import DescentTensor

/// Adam and AdamW: one configuration, one state, one fused C step; they differ only in how the
/// weight decay λ enters — added to the gradient (Adam: g ← g + λ·θ) or as a shrink of the
/// parameters before the step (AdamW: θ ← θ·(1 − lr·λ)).
///
/// A conforming rule stores an `AdamConfiguration`, says whether it decouples the weight decay and
/// gives its name; the initialiser with PyTorch's defaults, the state (`AdamState`) and the update
/// (`descent_adam_step`, see `Adam` for the formula) are written here once.
/// Papers: Kingma & Ba (2015); Loshchilov & Hutter (2019).
///
/// ```swift
/// let adam = try Adam(amsgrad: true), adamW = try AdamW(amsgrad: true)
/// adam.configuration == adamW.configuration   // true: β₁ 0.9, β₂ 0.999, ε 1e-8, AMSGrad on
/// AdamW.decouplesWeightDecay                   // true (Adam: false)
/// ```
public protocol FusedAdamRule: AdamFamilyRule where State == AdamState, SharedState == NoSharedState {
    /// β₁, β₂, ε and AMSGrad, checked when the rule was made.
    var configuration: AdamConfiguration { get }
    /// Whether the weight decay shrinks the parameters (AdamW) instead of adding λ·θ to the gradient (Adam).
    static var decouplesWeightDecay: Bool { get }
    /// The rule with a checked configuration.
    init(configuration: AdamConfiguration)
}

extension FusedAdamRule {
    /// PyTorch's defaults: β₁ 0.9, β₂ 0.999, ε 1e-8, AMSGrad off.
    ///
    /// - Throws: `OptimizerError.invalidHyperparameter` for betas outside [0, 1) or ε ≤ 0.
    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, amsgrad: Bool = false) throws {
        self.init(configuration: try AdamConfiguration(beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad))
    }

    public var hyperparameters: AdamHyperparameters { configuration.hyperparameters }
    /// Whether the running maximum of v replaces v in the denominator.
    public var amsgrad: Bool { configuration.amsgrad }

    public func makeState(for parameter: Tensor) -> AdamState { AdamState(count: parameter.count, amsgrad: amsgrad) }

    public func update(_ parameter: inout Tensor, gradient: Tensor, state: inout AdamState, shared: NoSharedState,
                       context: UpdateContext) {
        AdamState.step(&parameter, gradient: gradient, state: &state, configuration: configuration,
                       decoupled: Self.decouplesWeightDecay, context: context)
    }
}
