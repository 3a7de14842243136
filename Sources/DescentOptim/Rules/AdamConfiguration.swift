/// What configures Adam and AdamW, checked once: β₁, β₂ and ε (`AdamHyperparameters`) and AMSGrad.
///
/// AMSGrad (Reddi et al., "On the Convergence of Adam and Beyond", 2018) divides by the running
/// maximum of v instead of v, so the step of an element never grows because its v shrank.
///
/// ```swift
/// let configuration = try AdamConfiguration(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, amsgrad: true)
/// try AdamW(amsgrad: true).configuration == configuration   // true (the defaults, AMSGrad on)
/// Adam(configuration: configuration).beta2                  // 0.999
/// ```
public struct AdamConfiguration: Sendable, Equatable {
    /// β₁, β₂ and ε.
    public let hyperparameters: AdamHyperparameters
    /// Whether the running maximum of v replaces v in the denominator.
    public let amsgrad: Bool

    /// - Throws: `OptimizerError.invalidHyperparameter` for betas outside [0, 1) or ε ≤ 0.
    public init(beta1: Double, beta2: Double, epsilon: Double, amsgrad: Bool) throws {
        hyperparameters = try AdamHyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon)
        self.amsgrad = amsgrad
    }
}
