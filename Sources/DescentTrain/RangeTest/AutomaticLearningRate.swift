import Foundation

/// Chooses the peak learning rate of a run from a range test, weighing the run's budget.
///
/// fastai's recipe — run the range test, take the valley, train one-cycle peaking there — is the
/// anchor, and it is too timid for short runs: measured in PyTorch, iris (≈120 steps) ends at 2.3×
/// the loss of the best rate of a grid, while digits (≈1350 steps) is at 0.99×. A short run has few
/// steps to travel with, so it must take them longer; a long run can afford to stay further below the
/// rate where the sweep's loss stopped falling. So the rule starts from where the sweep broke and
/// steps back by a factor that depends on the number of steps:
///
///     edge   = the rate at the lowest smoothed loss of the sweep          (10 × fastai's `minimum`)
///     factor = clamp((T / T₀)^(−α) · f₀,  f_min, f_max)                  T = epochs × steps per epoch
///     peak   = clamp(edge · factor,  valley, ceiling)
///
/// * `T₀ = 1000` steps, `f₀`, `α` per optimizer family (see `Rule`): the longer the run, the further
///   below the edge. With α = ½, a run of 100 steps goes √10 ≈ 3.2× closer to the edge than one of 1000.
/// * never below fastai's valley (which is already right for long runs) and, for SGD, never above the
///   stability ceiling 2(1 + β)/λmax (`StabilityCeiling`) when one was measured.
/// * the batch size enters through the sweep itself, which runs at the run's batch size (its noise
///   floor and its blow-up rate are those the run will see), and through T (steps per epoch = ⌈n/B⌉).
/// * learning-rate-free optimizers (Prodigy, Schedule-Free) keep their own default rate: they estimate the
///   step size themselves, and a sweep of their multiplier measures nothing they need.
///
/// Worked example (iris, adam, batch 32, 30 epochs: 4 steps per epoch, T = 120; a sweep whose loss is
/// lowest at 0.30 with valley 2.0e-3): factor = clamp((120/1000)^(−½) · 0.1, …) = 0.289, so the peak is
/// 0.30 × 0.289 = 0.087, above the valley, no ceiling for Adam → 0.087. The same sweep for a run of
/// 3000 steps: factor = (3)^(−½) · 0.1 = 0.058 → 0.017.
///
/// ```swift
/// let budget = AutomaticLearningRate.Budget(totalSteps: 120, batchSize: 32, family: .adaptive)
/// let choice = AutomaticLearningRate.choose(from: result, budget: budget)
/// choice.learningRate   // the peak rate
/// choice.reasons        // what it saw and why, in words
/// ```
public enum AutomaticLearningRate {
    /// How an optimizer's rate behaves, which decides how far below the edge to go and whether the ceiling applies.
    public enum OptimizerFamily: String, Codable, Sendable, CaseIterable {
        /// SGD with heavy-ball momentum: the step is rate × gradient, bounded by the stability ceiling.
        case momentumSGD = "sgd"
        /// Adam, AdamW, RMSprop: the gradient is divided by its running scale, the step is about the rate.
        case adaptive
        /// Prodigy, Schedule-Free: the optimizer sets its own step size; the rate is its default.
        case learningRateFree = "learning-rate-free"
    }

    /// What the run will spend: the steps it takes, the examples in each, the optimizer.
    public struct Budget: Codable, Sendable, Equatable {
        /// Optimizer steps of the whole run (epochs × steps per epoch).
        public var totalSteps: Int
        /// Examples per step.
        public var batchSize: Int
        public var family: OptimizerFamily
        /// SGD's momentum β (for the ceiling 2(1 + β)/λmax).
        public var momentum: Double

        public init(totalSteps: Int, batchSize: Int, family: OptimizerFamily, momentum: Double = 0) {
            self.totalSteps = totalSteps
            self.batchSize = batchSize
            self.family = family
            self.momentum = momentum
        }
    }

    /// The constants of the rule for one family: factor = clamp((T/T₀)^(−α) · f₀, f_min, f_max).
    public struct Rule: Codable, Sendable, Equatable {
        public var referenceSteps: Double
        public var referenceFactor: Double
        public var exponent: Double
        public var smallestFactor: Double
        public var largestFactor: Double

        /// The factor for a run of `steps` steps.
        public func factor(steps: Int) -> Double {
            let raw = Foundation.pow(Double(Swift.max(steps, 1)) / referenceSteps, -exponent) * referenceFactor
            return Swift.min(Swift.max(raw, smallestFactor), largestFactor)
        }
    }

    /// The rule's constants for `family`.
    public static func rule(for family: OptimizerFamily) -> Rule {
        switch family {
        case .momentumSGD, .learningRateFree:
            return Rule(referenceSteps: 1000, referenceFactor: 0.1, exponent: 0.5, smallestFactor: 0.03, largestFactor: 0.5)
        case .adaptive:
            return Rule(referenceSteps: 1000, referenceFactor: 0.1, exponent: 0.5, smallestFactor: 0.03, largestFactor: 0.5)
        }
    }

    /// The sweep `auto` runs: 1e-7 → 10 over 100 steps at the run's batch size (fastai's defaults).
    public static func sweep(batchSize: Int, seed: UInt64) throws -> LearningRateRangeTest {
        try LearningRateRangeTest(startLearningRate: 1e-7, endLearningRate: 10, iterations: 100, batchSize: batchSize, seed: seed)
    }

    /// Where the chosen rate came from.
    public enum Source: String, Codable, Sendable {
        /// The range test and the budget rule.
        case rangeTest = "range-test"
        /// The range test's rate was above the stability ceiling, which set it instead.
        case ceiling
        /// A learning-rate-free optimizer's own default.
        case optimizerDefault = "optimizer-default"
        /// The test could not run or gave nothing usable; a named default was used.
        case fallback
    }

    /// The rate chosen and why.
    public struct Choice: Codable, Sendable, Equatable {
        /// The peak rate to train with.
        public var learningRate: Double
        public var source: Source
        /// The rule with its numbers, on one line (e.g. "0.30 × 0.289 = 0.087").
        public var rule: String
        /// What the test showed and why this rate, one sentence each.
        public var reasons: [String]
        /// The rate at the sweep's lowest smoothed loss (nil without a usable sweep).
        public var edge: Double?
        /// fastai's valley (nil without a usable sweep).
        public var valley: Double?
        /// The factor below the edge (nil without a usable sweep).
        public var factor: Double?
        /// The stability ceiling's rate, when one was measured and applies.
        public var ceiling: Double?
    }

    /// The reference default rates named by the fallback: SGD 0.01, adaptive 1e-3 (PyTorch's Adam), rate-free 1.
    public static func fallbackLearningRate(for family: OptimizerFamily) -> Double {
        switch family {
        case .momentumSGD: return 1e-2
        case .adaptive: return 1e-3
        case .learningRateFree: return 1
        }
    }

    /// A choice when no usable test exists: `rate` (the optimizer's reference default), with the reason.
    public static func fallback(_ rate: Double, because reason: String) -> Choice {
        Choice(learningRate: rate, source: .fallback, rule: String(format: "fallback %.3g", rate),
               reasons: [reason, String(format: "fell back to %.3g, the optimizer's reference default rate", rate)],
               edge: nil, valley: nil, factor: nil, ceiling: nil)
    }

    /// A learning-rate-free optimizer's own default.
    public static func optimizerDefault(_ rate: Double, optimizer: String) -> Choice {
        Choice(learningRate: rate, source: .optimizerDefault, rule: String(format: "%@ default %.3g", optimizer, rate),
               reasons: ["\(optimizer) sets its own step size, so auto keeps its reference default rate "
                         + String(format: "%.3g (no range test needed)", rate)],
               edge: nil, valley: nil, factor: nil, ceiling: nil)
    }

    /// The peak rate from a range test (or the medians of repeated ones), the budget and, for SGD, the ceiling.
    /// Falls back (naming `fallbackLearningRate`) when the sweep gave no usable suggestion.
    /// - Parameters:
    ///   - result: the sweep, run at the budget's batch size.
    ///   - ceiling: the stability ceiling at the starting weights (used for SGD only).
    public static func choose(from result: RangeTestResult, budget: Budget, ceiling: StabilityCeiling? = nil) -> Choice {
        let fallbackRate = fallbackLearningRate(for: budget.family)
        guard let suggestions = result.suggestions else {
            let why = result.confidence.reasons.first { $0.contains("did not move") }
                ?? "the range test left too few points to read (the loss blew up within the first steps of the sweep)"
            return fallback(fallbackRate, because: why)
        }
        let edge = suggestions.minimum * 10
        let valley = suggestions.valley
        let rule = rule(for: budget.family)
        let factor = rule.factor(steps: budget.totalSteps)
        var rate = Swift.max(edge * factor, valley)
        var reasons = [
            String(format: "the sweep's smoothed loss was lowest at rate %.3g (the edge) and fell fastest in the middle of its "
                   + "longest descent at %.3g (fastai's valley); confidence %@", edge, valley, result.confidence.level.rawValue),
            String(format: "budget: %ld steps of %ld examples; for a run this long the peak sits a factor %.3g below the edge "
                   + "(%.3g × (%ld / %.0f)^(−%.2g), kept in [%.3g, %.3g])", budget.totalSteps, budget.batchSize, factor,
                   rule.referenceFactor, budget.totalSteps, rule.referenceSteps, rule.exponent, rule.smallestFactor,
                   rule.largestFactor),
        ]
        var text = String(format: "%.3g × %.3g = %.3g", edge, factor, edge * factor)
        if edge * factor < valley {
            reasons.append(String(format: "%.3g is below the valley, so the valley %.3g is used", edge * factor, valley))
            text += String(format: " < valley → %.3g", valley)
        }
        var source = Source.rangeTest
        var ceilingRate: Double?
        if budget.family == .momentumSGD, let ceiling, let limit = ceiling.learningRate(momentum: budget.momentum) {
            ceilingRate = limit
            if rate > limit {
                reasons.append(String(format: "the stability ceiling 2(1 + %.2g)/λmax = %.3g (λmax %.3g) is lower, so it sets the rate",
                                      budget.momentum, limit, ceiling.lambdaMax))
                text += String(format: " > ceiling → %.3g", limit)
                rate = limit
                source = .ceiling
            } else {
                reasons.append(String(format: "below the stability ceiling 2(1 + %.2g)/λmax = %.3g (λmax %.3g)", budget.momentum,
                                      limit, ceiling.lambdaMax))
            }
        }
        return Choice(learningRate: rate, source: source, rule: text, reasons: reasons, edge: edge, valley: valley,
                      factor: factor, ceiling: ceilingRate)
    }
}
