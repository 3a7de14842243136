import Foundation
import DescentOptim

/// Chooses the peak learning rate of a run from a range test, weighing the run's budget.
///
/// Since issue #21 this rule is the first, cheap look: `race(after:model:configuration:training:validation:…)`
/// then races four to six candidates around its rate on validation loss (more when the run is long and the rule
/// sits far below the sweep's edge) and keeps the best epoch, which met the target on all 16 data sets and the
/// epochs/batch variants of `benchmarks/auto_lr_results.md` where this rule alone missed wine (13.5×) and breast
/// cancer (2.2×). The rule alone still decides with fewer than 20 validation rows.
///
/// fastai's recipe — run the range test, take the valley, train one-cycle peaking there — is the
/// anchor, and it is too timid for short runs: measured in PyTorch, iris (≈120 steps) ends at 2.3×
/// the loss of the best rate of a grid, while digits (≈1350 steps) is at 0.99×. A short run has few
/// steps to travel with, so it must take them longer; a long run can afford to stay further below the
/// rate where the sweep's loss stopped falling (and it overfits or rattles if it does not). So the rule
/// starts from where the sweep broke and steps back by a factor that grows with the number of steps:
///
///     edge   = the rate at the lowest smoothed loss of the sweep          (10 × fastai's `minimum`),
///              at least b/100 when the sweep blew up at b and its descent is within 3× one batch's noise
///              (`blowUpEdgeFactor`: such a lowest point is where the batches happened to be easy)
///     factor = clamp(f₀ · (T / T₀)^(−α),  f_min, f_max)                   T = epochs × ⌈n / batch⌉ steps
///     peak   = max(edge · factor, valley),  then ≤ 2(1 + β)/λmax for SGD when the ceiling was measured
///
/// with T₀ = 150 steps, f₀ = 0.1, α = 0.75, f_min = 0.005, f_max = 0.1. So a run of 150 steps or fewer
/// peaks a decade below the edge (fastai's `minimum`, Smith's rule of thumb), and every 10× more steps
/// moves the peak 10^0.75 ≈ 5.6× further below it.
///
/// * **Steps** enter through T. **Batch size** enters twice: through T (steps per epoch = ⌈n/B⌉) and
///   through the sweep, which runs at the run's batch size, so its noise floor and blow-up rate are those
///   the run will see. **Optimizer**: the sweep steps the run's own optimizer; the SGD family is also held
///   under the stability ceiling (`StabilityCeiling`, heavy-ball limit 2(1 + β)/λmax), which does not bound
///   adaptive rules (they divide the gradient by its running scale); learning-rate-free optimizers
///   (Prodigy, Schedule-Free) keep their own default rate, since they estimate the step size themselves.
/// * **The valley is the floor**: fastai's valley is already right for long runs; going below it buys nothing.
/// * **Calibration** (`benchmarks/auto_lr.sh`: MLP 32, Adam, batch 32, 30 epochs, 3 seeds; auto trains
///   one-cycle, the grid is 13 cosine runs from 1e-5 to 10): the grid's good rates sat 1/6 to 1/70 below
///   the edge, further the longer the run. The constants were set on digits, iris and diabetes and then
///   checked on five sets outside the repository (mean final validation loss, auto / grid-best; target
///   ≤ 1.10 × grid-best + 0.01):
///
///   | data set | T | grid best | auto rates (3 seeds) | ratio | target met |
///   | --- | --- | --- | --- | --- | --- |
///   | digits | 1350 | 1e-2: 0.0705 | 4.8e-3 – 5.8e-3 | 1.00 | yes |
///   | iris | 120 | 1: 0.0600 (3.2e-2: 0.0642) | 0.033 – 0.12 | 0.86 | yes |
///   | diabetes | 360 | 3.2e-2: 2804 | 0.090 – 0.11 | 1.01 | yes |
///   | star98 (statsmodels) | 240 | 1: 0.0082 | 9.3e-3 – 0.016 | 1.26 | yes |
///   | anes96 (statsmodels) | 720 | 3.2e-3: 1.390 | 5.8e-3 – 0.010 | 1.02 | yes |
///   | fair (statsmodels) | 4800 | 3.2e-3: 5.81 | 3.3e-5 – 1e-3 | 1.04 | yes |
///   | wine (scikit-learn) | 150 | 0.1: 0.0049 | 0.058 – 0.14 | 13.5 | no |
///   | breast cancer (scikit-learn) | 450 | 3.2e-3: 0.0518 | 0.012 – 0.030 | 2.2 | no |
///
///   Where the best rate is set by overfitting rather than by optimisation (breast cancer: the validation
///   loss rises with training at every rate above 3e-3) or the optimum is a narrow spike (wine: 0.1 gives
///   0.0049, 0.032 and 0.32 give 0.031 and 0.67), a rule read off the training loss cannot see it.
/// * The sweep (`sweep(for:trainingExamples:seed:)`) is repeated on reshuffles when it is cheap next to the
///   run, and the medians are used.
///
/// Worked example (iris, adam, batch 32, 30 epochs: 4 steps per epoch, T = 120, seed 0): the sweep's loss
/// is lowest at 0.331, valley 0.0048; factor = clamp(0.1 · (120/150)^(−0.75), …) = 0.1 (capped), peak =
/// 0.331 × 0.1 = 0.0331. Digits (45 steps per epoch, T = 1350): factor = 0.1 · 9^(−0.75) = 0.0192; edge
/// 0.30 → 0.0058 (the grid's best is 0.01, its second 0.0032).
///
/// ```swift
/// let budget = AutomaticLearningRate.Budget(totalSteps: 120, batchSize: 32, family: .adaptive)
/// let sweep = try AutomaticLearningRate.sweep(for: budget, trainingExamples: 120, seed: 0)
/// let repeated = try sweep.run(model, optimizer: try Optimizer(Adam(), learningRate: 1e-3), data: train)
/// let choice = AutomaticLearningRate.choose(from: repeated, budget: budget)
/// choice.learningRate   // 0.0331
/// choice.rule           // "0.331 × 0.1 = 0.0331"
/// choice.reasons        // what it saw and why, in words
/// ```
public enum AutomaticLearningRate {
    /// How an optimizer's rate behaves (`OptimizerFamily`, which the optimizer registry of DescentOptim carries).
    public typealias OptimizerFamily = DescentOptim.OptimizerFamily

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

    /// The rule's constants for `family` (see the table in the type's documentation).
    public static func rule(for family: OptimizerFamily) -> Rule {
        switch family {
        case .momentumSGD, .adaptive, .learningRateFree:
            return Rule(referenceSteps: 150, referenceFactor: 0.1, exponent: 0.75, smallestFactor: 0.005, largestFactor: 0.1)
        }
    }

    /// Fewest training examples for which a sweep is run at all (with fewer than two batches the sweep
    /// sees the same examples at every step).
    public static let minimumSweepRows = 16

    /// Iterations of one sweep.
    public static let sweepIterations = 100

    /// Raw losses whose median must also pass the blow-up threshold before `auto`'s sweep stops
    /// (`LearningRateRangeTest.divergenceConfirmation`): a median of 5 ignores up to two extreme batches in a row.
    public static let divergenceConfirmation = 5

    /// On a sweep whose descent is hard to tell from noise (signal to noise below
    /// `RangeTestConfidence.signalToNoiseForMedium`) and that blew up at rate b, the edge is at least b × this factor:
    /// its lowest point is not believed when it sits more than two decades below the blow-up.
    ///
    /// The lowest point of such a curve is where the batches happened to be easiest, not where training stopped
    /// improving: nycflights (arr_delay, batch 32, signal to noise 0.2–0.3) had its lowest smoothed loss at 1.3e-5 and
    /// 4.8e-5 on seeds 1 and 2 while the loss blew up at 0.48 and 0.40 (restaurant_inspections: 6e-6–1.1e-5 against
    /// 0.4–0.5). The blow-up is what such a sweep does show. Clean sweeps (signal to noise 8–13: digits, iris; MLP 32,
    /// Adam, seeds 0 and 1) put their lowest point 3.6–13× below the blow-up. A factor of a tenth was tried first: it
    /// also moved eight runs of the eighteen raw tables of docs/tabular.md whose lowest point sat 16–83× below the
    /// blow-up, and they trained no better (metrics 5 up and 2 down by 0.005–0.02, kept validation loss worse in 4),
    /// so only a lowest point two decades or more below the blow-up is taken as chance. The edge is only ever raised.
    public static let blowUpEdgeFactor = 0.01

    /// The sweep `auto` runs: 1e-6 → 100 over 100 steps (fastai's density, 12.5 steps a decade, moved up
    /// two decades so a regression on raw targets still blows up inside it) at the run's batch size, with
    /// no stop in the first 10 steps (which the suggestions drop anyway) and a stop only on a confirmed blow-up
    /// (`divergenceConfirmation`: the median of the last 5 raw losses past 4 × the minimum after those 10 steps,
    /// so one extreme batch of a heavy-tailed regression does not end it). It is repeated on reshuffles while
    /// the sweeps cost at most a quarter of the run: repeats = clamp(⌊T / (4 · 100)⌋, 1, 3).
    public static func sweep(for budget: Budget, trainingExamples: Int, seed: UInt64, repeats: Int? = nil) throws -> RepeatedRangeTest {
        var test = try LearningRateRangeTest(startLearningRate: 1e-6, endLearningRate: 100, iterations: sweepIterations,
                                             batchSize: budget.batchSize, seed: seed)
        test.divergenceGraceIterations = sweepIterations / 10
        test.divergenceConfirmation = divergenceConfirmation
        let repeats = repeats ?? Swift.min(Swift.max(budget.totalSteps / (4 * sweepIterations), 1), 3)
        return try RepeatedRangeTest(test: test, repeats: repeats)
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
        /// A race on validation loss among candidates around the range test's rate (`LearningRateRace`).
        case validationRace = "validation-race"
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
        /// The range test's rate (the rule's), when a race then decided on validation loss.
        public var rangeTestRate: Double?
        /// The race's candidates (nil when no race ran).
        public var candidates: [LearningRateRace.Candidate]?
        /// Whether the run keeps its best epoch's weights (early stopping's restore) instead of its last.
        public var keepsBestEpoch: Bool?
        /// Set when a `StopRequest` ended the choice before it was made: the stage it reached and the work done.
        /// The rate is then not decided: `learningRate` is the range test's first look when the race was stopped,
        /// NaN when the range test itself was.
        public var interruption: Interruption? = nil
    }

    /// Where a stop request (SIGINT, SIGTERM, a caller's `StopRequest`) ended the automatic rate's choice.
    ///
    /// ```swift
    /// let stop = StopRequest()
    /// stop.request(reason: "SIGINT")    // e.g. from a signal handler while `choose` runs
    /// let (choice, checkpoint) = try AutomaticLearningRate.choose(..., stopRequest: stop) { rate in ... }
    /// choice.interruption?.stage            // .rangeTest
    /// choice.interruption?.sweepIterations  // 0: it stopped before the first step of the sweep
    /// checkpoint                            // nil: nothing of the run was trained
    /// ```
    public struct Interruption: Codable, Sendable, Equatable {
        /// The stage the choice had reached.
        public enum Stage: String, Codable, Sendable {
            /// The sweep(s) of the range test.
            case rangeTest = "range-test"
            /// The SGD family's stability ceiling (a few Hessian-vector products after the sweep).
            case stabilityCeiling = "stability-ceiling"
            /// The race of candidates on validation loss.
            case race
        }
        public var stage: Stage
        /// Sweep iterations (optimizer steps) run before the stop, all sweeps together; nil when the sweeps had
        /// ended (a stop during the race).
        public var sweepIterations: Int?
        /// Epochs the race's candidates trained before the stop, all together (0 before the race).
        public var raceEpochs: Int
        /// Why the stop was requested, when said (e.g. "SIGINT").
        public var reason: String?

        public init(stage: Stage, sweepIterations: Int?, raceEpochs: Int = 0, reason: String? = nil) {
            self.stage = stage
            self.sweepIterations = sweepIterations
            self.raceEpochs = raceEpochs
            self.reason = reason
        }
    }

    /// The choice of a run stopped during the range test (or before the stability ceiling was measured): no rate.
    static func interrupted(_ interruption: Interruption) -> Choice {
        Choice(learningRate: .nan, source: .rangeTest, rule: "interrupted during the \(interruption.stage.rawValue)",
               reasons: ["stopped by \(interruption.reason ?? "a stop request") during the \(interruption.stage.rawValue) after "
                         + "\(interruption.sweepIterations ?? 0) sweep steps: no rate was chosen and nothing of the run was trained"],
               edge: nil, valley: nil, factor: nil, ceiling: nil, rangeTestRate: nil, candidates: nil, keepsBestEpoch: nil,
               interruption: interruption)
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
               edge: nil, valley: nil, factor: nil, ceiling: nil, rangeTestRate: nil, candidates: nil, keepsBestEpoch: nil)
    }

    /// A learning-rate-free optimizer's own default.
    public static func optimizerDefault(_ rate: Double, optimizer: String) -> Choice {
        Choice(learningRate: rate, source: .optimizerDefault, rule: String(format: "%@ default %.3g", optimizer, rate),
               reasons: ["\(optimizer) sets its own step size, so auto keeps its reference default rate "
                         + String(format: "%.3g (no range test needed)", rate)],
               edge: nil, valley: nil, factor: nil, ceiling: nil, rangeTestRate: nil, candidates: nil, keepsBestEpoch: nil)
    }

    /// The peak rate from a range test (or the medians of repeated ones), the budget and, for SGD, the ceiling.
    /// Falls back (naming `fallbackLearningRate`) when the sweep gave no usable suggestion.
    /// - Parameters:
    ///   - result: the sweep, run at the budget's batch size.
    ///   - ceiling: the stability ceiling at the starting weights (used for SGD only).
    public static func choose(from result: RangeTestResult, budget: Budget, ceiling: StabilityCeiling? = nil) -> Choice {
        choose(from: RepeatedRangeTestResult(results: [result]), budget: budget, ceiling: ceiling)
    }

    /// As `choose(from:budget:ceiling:)` with the medians of repeated sweeps (and their spread among the reasons).
    public static func choose(from repeated: RepeatedRangeTestResult, budget: Budget, ceiling: StabilityCeiling? = nil) -> Choice {
        let fallbackRate = fallbackLearningRate(for: budget.family)
        let result = repeated.results[repeated.representative]
        guard let suggestions = repeated.medians else {
            let why = result.confidence.reasons.first { $0.contains("did not move") }
                ?? "the range test left too few points to read (the loss blew up within the first steps of the sweep)"
            return fallback(fallbackRate, because: why)
        }
        let lowest = suggestions.minimum * 10
        var edge = lowest
        let valley = suggestions.valley
        var curveReasons: [String] = []
        let spikes = repeated.results.flatMap { $0.unconfirmedBlowUps ?? [] }
        if !spikes.isEmpty {
            curveReasons.append(String(format: "the smoothed loss passed %.3g × its minimum at rate%@ %@ but the median of the last %ld "
                + "batch losses did not (one or two extreme batches, not a blow-up), so the sweep went on",
                result.settings.divergenceThreshold ?? 4, spikes.count > 1 ? "s" : "",
                spikes.map { String(format: "%.3g", $0) }.joined(separator: ", "), result.settings.divergenceConfirmation ?? 1))
        }
        if let grace = result.settings.divergenceGraceIterations, result.settings.divergenceConfirmation != nil,
           result.smoothedLosses.count > grace, let early = result.smoothedLosses.prefix(grace).filter(\.isFinite).min(),
           let later = result.smoothedLosses.dropFirst(grace).filter(\.isFinite).min(), early < later {
            curveReasons.append(String(format: "a blow-up was measured against the lowest smoothed loss after the first %ld steps "
                + "(%.3g), not the lower %.3g within them, where the smoothed loss averages only a few batches", grace, later, early))
        }
        let blowUps = repeated.results.filter(\.diverged).compactMap(\.learningRates.last)
        let signalToNoise = repeated.confidence.signalToNoise
        if signalToNoise < RangeTestConfidence.signalToNoiseForMedium, !blowUps.isEmpty {
            let blowUp = RangeTestConfidence.median(blowUps)
            if blowUp * blowUpEdgeFactor > edge {
                curveReasons.append(String(format: "the sweep's descent is hard to tell from noise (signal to noise %.2g < %.0f), so its "
                    + "lowest point at %.3g says little; the loss blew up at %.3g, more than two decades above it, so the edge is "
                    + "taken two decades below the blow-up: %.3g",
                    signalToNoise, RangeTestConfidence.signalToNoiseForMedium, edge, blowUp, blowUp * blowUpEdgeFactor))
                edge = blowUp * blowUpEdgeFactor
            }
        }
        let rule = rule(for: budget.family)
        let factor = rule.factor(steps: budget.totalSteps)
        var rate = Swift.max(edge * factor, valley)
        var reasons = [
            String(format: "the sweep's smoothed loss was lowest at rate %.3g%@ and fell fastest in the middle of its "
                   + "longest descent at %.3g (fastai's valley)%@; confidence %@", lowest, edge == lowest ? " (the edge)" : "", valley,
                   repeated.results.count > 1 ? String(format: ", medians of %ld sweeps", repeated.results.count) : "",
                   repeated.confidence.level.rawValue),
            String(format: "budget: %ld steps of %ld examples; for a run this long the peak sits a factor %.3g below the edge "
                   + "(%.3g × (%ld / %.0f)^(−%.2g), kept in [%.3g, %.3g])", budget.totalSteps, budget.batchSize, factor,
                   rule.referenceFactor, budget.totalSteps, rule.referenceSteps, rule.exponent, rule.smallestFactor,
                   rule.largestFactor),
        ]
        reasons.insert(contentsOf: curveReasons, at: 1)
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
                      factor: factor, ceiling: ceilingRate, rangeTestRate: nil, candidates: nil, keepsBestEpoch: nil)
    }
}
