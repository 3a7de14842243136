/// A rule configured by Adam's β₁, β₂ and ε (Adam, AdamW, Adamax, NAdam, RAdam, D-Adaptation Adam,
/// schedule-free AdamW, LAMB).
///
/// The rule stores the three once, checked, as `AdamHyperparameters`; this protocol gives every
/// such rule the same accessors. β₁ decays the running average of gradients m ← β₁·m + (1 − β₁)·g,
/// β₂ that of squared gradients v ← β₂·v + (1 − β₂)·g², ε keeps the denominator √v + ε positive
/// (Kingma & Ba, "Adam: A Method for Stochastic Optimization", 2015).
///
/// ```swift
/// let rule = try NAdam(beta1: 0.8)
/// (rule.beta1, rule.beta2, rule.epsilon)   // (0.8, 0.999, 1e-8): the other two are the defaults
/// ```
public protocol AdamFamilyRule: OptimizerRule {
    /// β₁, β₂ and ε, checked when the rule was made.
    var hyperparameters: AdamHyperparameters { get }
}

extension AdamFamilyRule {
    /// β₁, the decay of the running average of gradients (a scheduled momentum replaces it).
    public var beta1: Double { hyperparameters.beta1 }
    /// β₂, the decay of the running average of squared gradients.
    public var beta2: Double { hyperparameters.beta2 }
    /// ε, added to the denominator.
    public var epsilon: Double { hyperparameters.epsilon }
}
