import Foundation

/// β₁, β₂ and ε of the Adam family (Adam, AdamW, RAdam, NAdam, Adamax, D-Adaptation Adam, schedule-free AdamW,
/// LAMB), checked in one place.
///
/// Both betas must lie in [0, 1) and ε must be positive, as in PyTorch's `torch.optim.Adam`.
///
///     let h = try AdamHyperparameters(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
///     AdamHyperparameters.biasCorrection(0.9, step: 2)   // 1 − 0.9² = 0.19
public struct AdamHyperparameters: Sendable, Equatable {
    /// β₁, the decay of the running average of gradients.
    public let beta1: Double
    /// β₂, the decay of the running average of squared gradients.
    public let beta2: Double
    /// ε, added to the denominator.
    public let epsilon: Double

    /// - Throws: `OptimizerError.invalidHyperparameter` for betas outside [0, 1) or ε ≤ 0.
    public init(beta1: Double, beta2: Double, epsilon: Double) throws {
        try HyperparameterCheck.unitInterval(beta1, "beta1")
        try HyperparameterCheck.unitInterval(beta2, "beta2")
        try HyperparameterCheck.positive(epsilon, "epsilon")
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// 1 − βᵗ, the bias correction of an exponential average with decay β after t steps (in Double).
    static func biasCorrection(_ beta: Double, step t: Double) -> Double { 1 - pow(beta, t) }
}
