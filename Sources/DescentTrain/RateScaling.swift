/// How the learning rate follows the global batch when data-parallel training multiplies it by the
/// number of processes N (each process keeping its batch B, the global batch is N·B):
///
/// * `linear`: η·N — Goyal et al. 2017, "Accurate, Large Minibatch SGD: Training ImageNet in 1
///   Hour": with N times the batch, one step averages N times the examples, so it may go N times
///   as far; kept ResNet-50's accuracy up to batch 8192 with a 5-epoch gradual warmup.
/// * `squareRoot`: η·√N — Malladi et al. 2022, "On the SDEs and Scaling Rules for Adaptive Gradient
///   Algorithms": the rule that keeps Adam-type optimizers on the same path (Krizhevsky 2014 first
///   suggested it for SGD).
/// * `none`: η — the learning-rate-free optimizers (Prodigy, D-Adaptation, Schedule-Free) set their
///   own step size.
///
/// The default follows the optimizer's family (`standard(for:)`). A gradual warmup from 0 is added
/// in front of the schedule (`warmup(k) >> schedule`) when the schedule has none and the scaled
/// rate is more than twice the base (`needsWarmup`): Goyal's 5 epochs, shortened to a fifth of a
/// run shorter than 25 epochs (`warmupSteps`).
///
/// ```swift
/// let rule = RateScaling.standard(for: .momentumSGD)     // .linear
/// rule.factor(processes: 4)                              // 4: rate 0.1 → 0.4
/// RateScaling.squareRoot.factor(processes: 4)            // 2: Adam 1e-3 → 2e-3
/// RateScaling.needsWarmup(base: 0.1, scaled: 0.4)        // true
/// RateScaling.warmupSteps(stepsPerEpoch: 100, epochs: 90) // (500, 5.0): 5 epochs
/// RateScaling.warmupSteps(stepsPerEpoch: 100, epochs: 10) // (200, 2.0): a fifth of a short run
/// ```
public enum RateScaling: String, Sendable, CaseIterable, Codable {
    case linear
    case squareRoot = "sqrt"
    case none

    /// Linear for SGD, the square root for the Adam family, none for the learning-rate-free optimizers.
    public static func standard(for family: AutomaticLearningRate.OptimizerFamily) -> RateScaling {
        switch family {
        case .momentumSGD: return .linear
        case .adaptive: return .squareRoot
        case .learningRateFree: return .none
        }
    }

    /// The rate's multiplier for `processes` processes (each with the base batch).
    public func factor(processes: Int) -> Double {
        let count = Double(Swift.max(processes, 1))
        switch self {
        case .linear: return count
        case .squareRoot: return count.squareRoot()
        case .none: return 1
        }
    }

    /// Whether a gradual warmup is needed: the scaled rate is more than twice the base.
    public static func needsWarmup(base: Double, scaled: Double) -> Bool { scaled > 2 * base }

    /// Goyal's 5 epochs of warmup, or a fifth of the run when it has fewer than 25 epochs; at least one step.
    public static func warmupSteps(stepsPerEpoch: Int, epochs: Int) -> (steps: Int, epochs: Double) {
        let warmupEpochs = Swift.min(5.0, Double(epochs) / 5)
        let steps = Swift.max(1, Int((warmupEpochs * Double(stepsPerEpoch)).rounded()))
        return (steps, Double(steps) / Double(Swift.max(stepsPerEpoch, 1)))
    }
}
