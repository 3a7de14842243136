import Foundation

/// What D-Adaptation Adam and Prodigy share: the distance estimate d scales the learning rate of each step.
///
/// With k the 0-based step, the step's rate is dlr = d·lr, times √(1 − β₂^(k+1))/(1 − β₁^(k+1)) with bias correction
/// (facebookresearch/dadaptation, konstmish/prodigy). E.g. d 1e-6, lr 1, β₁ 0.9, β₂ 0.999, first step with bias
/// correction: dlr = 1e-6 · √0.001/0.1 ≈ 3.16e-7.
protocol DistanceEstimatingRule {
    var beta1: Double { get }
    var beta2: Double { get }
    var biasCorrection: Bool { get }
}

extension DistanceEstimatingRule {
    /// dlr of the current step for the estimate `d`.
    func stepRate(d: Double, context: UpdateContext) -> Double {
        let k = Double(context.step - 1)
        let correction = biasCorrection ? (1 - pow(beta2, k + 1)).squareRoot() / (1 - pow(beta1, k + 1)) : 1
        return d * context.learningRate * correction
    }
}
