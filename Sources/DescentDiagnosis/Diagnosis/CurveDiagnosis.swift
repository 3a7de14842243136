import DescentOptim
import DescentTrain
import Foundation

/// Reads training curves and says what they show: diverged, rate too high, rate too low,
/// overfitting, underfitting or a good fit. The checks run in that order; the first that
/// holds is the verdict.
///
/// 1. **diverged** — the run ended in `TrainingError.diverged`, or its last training loss is not finite.
/// 2. **rate too high** — the divergence guard rolled back at least once; or the training loss
///    climbed back up, summed over its rises, by `climbBackRatio` (¼) of its net fall; or it,
///    after reaching its minimum, ends above `risingRatio` × that minimum (and higher by more
///    than 2% of the reference loss, so noise at a near-zero loss does not count); or it
///    oscillates at a high level (over the second half the mean jump between points is at least
///    `oscillationNoise` of the level, at least `oscillationRiseFraction` of the moves go up, and
///    the level is above `highLossFraction` of the reference loss); or the last loss (validation, else
///    training) is at least `blownUpRatio` (10) × both the first step's loss and a trivial guess's — a
///    loss an order of magnitude worse than doing nothing, which no lack of capacity explains, even on a
///    curve too short for the shapes above (advice ×10 lower from 1000× up). Too large a rate makes the
///    training loss bounce and climb instead of fall (Goodfellow, Bengio & Courville, *Deep
///    Learning*, 2016, §11.4.1: "if the learning rate is too large, gradient descent can
///    inadvertently increase rather than decrease the training error"; Smith 2018, "A disciplined
///    approach to neural network hyper-parameters", §4.1, reads the same instability off the curves).
/// 3. **overfitting** — validation loss rose `overfittingRise` (10%) above its minimum and stayed
///    up for `overfittingEpochs` (3) epochs (or until early stopping), while training loss kept
///    falling: the growing generalisation gap that early stopping watches for (Goodfellow et al.
///    §7.8 and Figure 7.3, the U-shaped validation curve; Prechelt 1998, "Early stopping — but
///    when?"; Smith 2018 §3 reads under- and overfitting off the validation loss).
/// 4. **rate too low** — the loss still falls in the last third at least `steadyRatio` (½) as
///    fast (in log space) as in the fastest earlier third, in at least 75% of its moves, and is
///    far from converged (above `farFromConverged` of the reference loss, or still falling by
///    `stillFallingFast` (5%) or more per point). A good rate makes the
///    loss fall fast, then bend over; a low one gives a slow straight decline that never bends
///    (Goodfellow et al. §11.4.1: too small a rate makes training slow and can leave it stuck at a
///    high training error).
/// 5. **still improving** — the run ended before it settled: the validation loss (the training curve without
///    validation) fell over the last quarter of its epochs (at least 2 moves) at a rate r per unit of rate-time
///    (Σ of the steps' rates, so a cosine or one-cycle schedule's near-zero end does not pass for a settled curve)
///    with r × the run's rate-time ≥ `stillImprovingGain` (0.3), its lowest point in that last stretch; or, for a
///    noisy curve (one that rose at least once there), the same over the last half ≥ `stillImprovingHalfGain` (0.3).
///    Without validation the training curve is read with twice the thresholds. A run cut off on its
///    way down is not a good fit: a longer run would do clearly better (calibrated on 40 runs against ones 5× longer,
///    "still improving" when those reach a best validation loss ≥ 10% lower: 38 agree, none called a good fit
///    while still improving; any threshold in 0.17–0.34 gives the same). Advice: the epochs to add (the run's length again, four times
///    it when r × epochs ≥ 1), or a ~3× higher rate when the training curve had not bent over on a constant schedule.
/// 6. **underfitting** — the loss has bent over (it is not too low a rate) but stays high: the
///    validation accuracy covers less than `poorSkill` (½) of the way from the majority-class
///    accuracy to 1, or the R² is below `poorRSquared` (0.1), or without a metric the training
///    loss is above `farFromConverged` of the baseline loss (Goodfellow et al. §5.2 on capacity,
///    and §11.3: a poor training-set performance calls for a larger model, not more data).
/// 7. **good fit** — otherwise: the curves settled (including curves too short to read, with low confidence).
///
/// The *reference loss* is the baseline's loss (predicting class frequencies / the mean) when the
/// curves have one, else the first point of the training curve.
///
/// **Confidence.** Each criterion gives a margin (measured ÷ threshold, ≥ 1 when it holds); a
/// signal's strength is the smallest margin among its criteria, and a verdict reached by any of
/// several signals (rate too high) takes the strongest. High: strength ≥ 2 and the curve has at
/// least 6 points (divergence and rollbacks are always high: they are events, not readings).
/// Medium: the criteria hold but one is within 2× of its threshold, or the curve is short.
/// Low: fewer than 4 points, or a good fit read without validation data (overfitting unseen).
///
/// ```swift
/// // A loss that falls 2% per epoch in a straight line from 2.3 over 10 epochs:
/// var curves = TrainingCurves(baseline: TrivialBaseline(metricName: "accuracy", metric: 0.1, loss: 2.3))
/// for epoch in 1...10 { curves.epochs.append(TrainingRecord(epoch: epoch, step: epoch * 10,
///     learningRate: 1e-5, trainingLoss: 2.3 * pow(0.98, Double(epoch)))) }
/// CurveDiagnosis().diagnose(curves).verdict   // .rateTooLow
/// ```
public struct CurveDiagnosis: Codable, Sendable, Equatable {
    /// Final training loss ÷ its minimum above which the rate is too high (1.25: a quarter higher
    /// than the best, far beyond the epoch-to-epoch noise of a converging run).
    public var risingRatio = 1.25
    /// Sum of the rises of the training curve ÷ its net fall (first point − minimum) at or above
    /// which the loss bounces rather than descends (0.25: a curve of epoch means that converges
    /// climbs back a few per cent of its fall at most; one at too high a rate gives back a quarter or more).
    public var climbBackRatio = 0.25
    /// Mean jump ÷ level above which the second half counts as oscillating (0.1; a converging
    /// curve of epoch means moves by a few per cent).
    public var oscillationNoise = 0.1
    /// Fraction of rising moves in the second half needed to call it oscillation (0.4; a falling curve has ~0).
    public var oscillationRiseFraction = 0.4
    /// Level ÷ reference loss above which an oscillation is "high" (0.3): low plateaus bounce in relative terms too.
    public var highLossFraction = 0.3
    /// Spread of the training loss ÷ its first value below which the loss did not move at all (1e-3:
    /// an epoch mean shifts by ~1e-7 of itself from float summation order alone, a learning model by percents).
    public var stalledFraction = 1e-3
    /// Final loss ÷ both the first step's loss and a trivial guess's at or above which the rate is too high
    /// whatever the curve's shape (10: an order of magnitude worse than doing nothing and than the start).
    public var blownUpRatio = 10.0
    /// Relative rise of validation loss above its minimum that counts as overfitting (0.1).
    public var overfittingRise = 0.1
    /// Epochs after the validation minimum needed before calling it overfitting (3; fewer with early stopping's patience).
    public var overfittingEpochs = 3
    /// Last-third fall rate ÷ fastest earlier third at or above which the loss has not bent over (0.5).
    public var steadyRatio = 0.5
    /// Loss ÷ reference loss above which a run is far from converged (0.5: not even half the trivial loss removed).
    public var farFromConverged = 0.5
    /// Fall per point (epoch) in the last third at or above which a run is not converged whatever its level
    /// (0.05: a run losing 5% of its loss every epoch at the end has more to give).
    public var stillFallingFast = 0.05
    /// Skill (share of the way from the majority-class accuracy to 1) below which a classifier is poor (0.5):
    /// beating chance is easy, so a model that closes less than half the gap has not learned the task.
    public var poorSkill = 0.5
    /// R² below which a regression model is poor (0.1: it explains less than a tenth of the variance, R² ≈ 0).
    /// Lower than `poorSkill` because noisy targets cap R² well below 1 (diabetes: ≈ 0.5 at best).
    public var poorRSquared = 0.1
    /// Still improving: the end fall rate r (per epoch, of the validation loss; per unit of rate-time on a schedule
    /// that moves the rate) × the run's length n at or above which a longer run would do clearly better. An
    /// exponential approach L∞ + A·e^(−t/τ) read at the end has about r·τ of its loss left to lose, and τ grows with
    /// the run's length (a curve that bent over within n epochs has τ ≲ n), so r·n measures what is left; calibrated
    /// on 40 runs against 5× longer ones (benchmarks/diagnosis_calibration.py: a longer run's best validation loss
    /// ≥ 10% lower is "still improving"; the runs put the line anywhere in 0.17–0.34).
    public var stillImprovingGain = 0.3
    /// The same over the last half of the points (0.3), for a curve too noisy to read on its last quarter alone (it
    /// rose at least once over that half): its lowest point must lie in that half.
    public var stillImprovingHalfGain = 0.3
    /// The fraction of the points, at the end, over which the end fall rate is read (a quarter; at least 2 moves).
    public var endFraction = 0.25
    /// A run whose measured sharpness stays at or above this fraction of its edge of stability from some
    /// measurement on "sat at the edge" (0.8: minibatch noise keeps SGD a little below 2/η).
    public var edgeFraction = 0.8

    public init() {}

    /// The verdict on `curves`, with evidence, advice and confidence. With `curves.settings` the advice names
    /// values (`Diagnosis.learningRate`, epochs to add) and fits the run (no decaying schedule suggested to a run
    /// already on one); with sharpness measurements the evidence says whether the run sat at the edge of stability;
    /// a given rate outside what the optimizer is normally trained at is named (`UnusualLearningRate`).
    public func diagnose(_ curves: TrainingCurves) -> Diagnosis {
        var diagnosis = verdict(curves)
        blameWeightDecay(&diagnosis, curves)
        if let edge = edgeEvidence(curves) { diagnosis.evidence.append(edge) }
        if var unusual = UnusualLearningRate.check(curves) {
            unusual.matchesVerdict = unusual.matches(diagnosis.verdict)
            diagnosis.unusualLearningRate = unusual
            diagnosis.evidence.append(unusual.sentence)
        }
        if let rate = curves.settings?.learningRate, rate > 0, diagnosis.learningRate == nil,
           let factor = diagnosis.advice.rateFactor {
            diagnosis.learningRate = rate * factor
        }
        return diagnosis
    }

    private func verdict(_ curves: TrainingCurves) -> Diagnosis {
        let shape = CurveShape(trainingLossOf: curves)
        if let diagnosis = diverged(curves) { return diagnosis }
        if let diagnosis = stalled(curves, shape) { return diagnosis }
        if let diagnosis = rateTooHigh(curves, shape) { return diagnosis }
        if let diagnosis = overfitting(curves) { return diagnosis }
        let slopes = shape.thirdSlopes
        if let diagnosis = rateTooLow(curves, shape, slopes) { return diagnosis }
        if let diagnosis = stillImproving(curves, shape) { return diagnosis }
        if let diagnosis = underfitting(curves, shape, slopes) { return diagnosis }
        return goodFit(curves, shape)
    }

    /// A run that diverged or bounced at an ordinary rate (within `OptimizerRegistry.typicalLearningRates`, or chosen
    /// automatically) with a weight decay above ``RunSettings/weightDecayLimit``: the decay, not the rate, is what to
    /// lower (a rate lowered until the decay is stable would be far below what the optimizer trains well at).
    private func blameWeightDecay(_ diagnosis: inout Diagnosis, _ curves: TrainingCurves) {
        guard diagnosis.verdict == .diverged || diagnosis.verdict == .rateTooHigh, let settings = curves.settings,
              let decay = settings.weightDecay, decay > 0, let limit = settings.weightDecayLimit, decay > limit else { return }
        let ordinary = settings.learningRateChosenAutomatically == true
            || OptimizerRegistry(rawValue: settings.optimizer)?.typicalLearningRates?.contains(settings.learningRate) == true
        guard ordinary else { return }
        // A tenth of the limit, rounded down to one significant digit: 380 → 30, 2000 → 200.
        let tenth = limit / 10, magnitude = pow(10, floor(log10(tenth)))
        let suggested = floor(tenth / magnitude) * magnitude
        diagnosis.evidence.append("the weight decay \(format(decay)) at the rate \(format(settings.learningRate)) is above \(format(limit)), "
            + (settings.optimizer == "sgd" ? "where η·λ passes 2(1 + β) = \(format(limit * settings.learningRate))"
                : "where η·λ passes 2 and each step's decay 1 − η·λ flips the weights' sign")
            + ": the decay alone makes the weights oscillate and grow, whatever the gradient")
        diagnosis.advice = .lowerWeightDecay(to: suggested, from: decay, limit: limit, learningRate: settings.learningRate)
        diagnosis.learningRate = nil
    }

    // MARK: - The checks

    private func diverged(_ curves: TrainingCurves) -> Diagnosis? {
        if let end = curves.finalDivergence {
            return Diagnosis(verdict: .diverged, evidence: [
                "the loss blew up to \(format(end.loss)) at step \(end.step) after \(curves.rollbacks.count) rollbacks, and the divergence guard gave up",
            ] + rollbackEvidence(curves), advice: .lowerLearningRate(by: 10, keepGuard: false), confidence: .high)
        }
        if let last = curves.epochs.last, !last.trainingLoss.isFinite {
            return Diagnosis(verdict: .diverged, evidence: ["the training loss of epoch \(last.epoch) is \(last.trainingLoss)"],
                             advice: .lowerLearningRate(by: 10, keepGuard: true), confidence: .high)
        }
        return nil
    }

    /// A training loss that did not move: every epoch within `stalledFraction` of the first. The steps
    /// are too short to change the model (a rate of 1e-12 moves the loss by float noise only).
    private func stalled(_ curves: TrainingCurves, _ shape: CurveShape) -> Diagnosis? {
        let points = shape.points
        guard curves.rollbacks.isEmpty, points.count >= 3, let first = points.first, first.isFinite, first != 0,
              let low = points.min(), let high = points.max() else { return nil }
        let spread = (high - low) / Swift.abs(first)
        guard spread < stalledFraction else { return nil }
        let rate = curves.epochs.last?.learningRate
        return Diagnosis(verdict: .rateTooLow, evidence: [
            "over \(points.count) \(pointUnit(curves))s the training loss stayed within \(format(spread * 100))% of \(format(first)) (from \(format(low)) to \(format(high))): the model did not change"
                + (rate.map { " at a learning rate of \(format($0))" } ?? ""),
        ], advice: .raiseLearningRate(by: nil, orTrainLonger: false),
        confidence: points.count >= 6 ? .high : .medium)
    }

    private func rateTooHigh(_ curves: TrainingCurves, _ shape: CurveShape) -> Diagnosis? {
        let points = shape.points
        var evidence = rollbackEvidence(curves)
        let reference = referenceLoss(curves, shape)
        var margins: [Double] = []
        if let (minimumIndex, minimum) = points.enumerated().min(by: { $0.element < $1.element }).map({ ($0.offset, $0.element) }),
           let last = points.last, minimumIndex < points.count - 1 {
            let ratio = last / minimum
            if ratio >= risingRatio, last - minimum > 0.02 * (reference ?? last) {
                evidence.append("the training loss rose from its minimum \(format(minimum)) (\(pointName(minimumIndex, curves))) to \(format(last)) at the end, \(format(ratio))× higher")
                margins.append(ratio / risingRatio)
            }
        }
        // A net fall below a thousandth of the loss is float noise, not a descent to bounce on.
        if points.count >= 4, let first = points.first, let minimum = points.min(), first - minimum > stalledFraction * Swift.abs(first) {
            let climbed = zip(points, points.dropFirst()).reduce(0.0) { $0 + Swift.max(0, $1.1 - $1.0) }
            // Points that are means of binned minibatch losses climb by chance too: only the climb beyond that counts.
            let noise = binnedStepNoiseClimb(curves)
            let ratio = Swift.max(0, climbed - noise) / (first - minimum)
            if ratio >= climbBackRatio {
                evidence.append("on its way down from \(format(first)) to \(format(minimum)) the training loss climbed back up by \(format(climbed)) in all, "
                    + (noise > 0 ? "\(percent(ratio)) of its net fall beyond the \(format(noise)) the minibatch noise of the binned steps explains"
                        : "\(percent(ratio)) of its net fall") + ": it bounces instead of descending")
                margins.append(ratio / climbBackRatio)
            }
        }
        if points.count >= 4, let reference {
            let level = points.suffix(Swift.max(3, points.count / 2)).reduce(0, +) / Double(Swift.max(3, points.count / 2))
            let rising = 1 - shape.fallingFraction(inLast: Swift.max(2, points.count / 2))
            let noise = shape.noiseToLevel
            if noise >= oscillationNoise, rising >= oscillationRiseFraction, level >= highLossFraction * reference {
                evidence.append("over the second half the training loss oscillates: it rose in \(percent(rising)) of moves, by \(percent(noise)) of its level on average, around \(format(level)), \(percent(level / reference)) of \(referenceName(curves, reference))")
                margins.append(Swift.min(noise / oscillationNoise, rising / oscillationRiseFraction, level / (highLossFraction * reference)))
            }
        }
        // A loss thrown far above where it started and above a trivial guess: no lack of capacity explains
        // that, the steps were too long (a short run at 1e16 ends at 1e33, with too few points for the shapes above).
        var thrownFar = 0.0
        if let first = curves.steps.first?.loss, first.isFinite, first > 0,
           let trivial = curves.baseline?.loss, trivial > 0, trivial.isFinite,
           let last = curves.epochs.last, let end = Optional(last.validationLoss ?? last.trainingLoss), end.isFinite,
           end >= blownUpRatio * first, end >= blownUpRatio * trivial {
            thrownFar = Swift.min(end / first, end / trivial)
            evidence.append("the \(last.validationLoss == nil ? "training" : "validation") loss ends at \(format(end)), "
                + "\(format(end / first))× the first step's \(format(first)) and \(format(end / trivial))× \(referenceName(curves, trivial)): "
                + "the steps threw the model far from where it started")
            margins.append(thrownFar / blownUpRatio)
        }
        guard !curves.rollbacks.isEmpty || !margins.isEmpty else { return nil }
        if let rises = smoothedRiseFraction(curves) {
            evidence.append("the smoothed step loss (β = 0.98) rose in \(percent(rises)) of the steps of the second half")
        }
        let confidence: Diagnosis.Confidence = !curves.rollbacks.isEmpty || thrownFar >= 1_000 ? .high : grade(margins.max() ?? 0, points: points.count)
        // The guard backed off and the run went on to its end at the lower rate: name that rate (the base rate × the
        // guard's scale), which the run showed does not blow up, rather than a factor of the base rate.
        if let scale = curves.rollbacks.last?.rateScale, scale > 0, scale < 1,
           let base = curves.settings?.learningRate, base > 0 {
            let settled = base * scale
            evidence.append("after the last rollback training went on to the end at \(format(settled)) (\(format(scale)) × \(format(base))) without blowing up again")
            return Diagnosis(verdict: .rateTooHigh, evidence: evidence,
                             advice: .useGuardRate(learningRate: settled, from: base, rollbacks: curves.rollbacks.count),
                             confidence: confidence, learningRate: settled)
        }
        return Diagnosis(verdict: .rateTooHigh, evidence: evidence,
                         advice: .lowerLearningRate(by: thrownFar >= 1_000 ? 10 : 3, keepGuard: false), confidence: confidence)
    }

    private func overfitting(_ curves: TrainingCurves) -> Diagnosis? {
        let records = curves.epochs.filter { ($0.validationLoss ?? .nan).isFinite && $0.trainingLoss.isFinite }
        guard records.count >= 3 else { return nil }
        let validation = records.map { $0.validationLoss! }
        let minimumIndex = validation.indices.min { validation[$0] < validation[$1] }!
        let best = records[minimumIndex], last = records[records.count - 1]
        let after = records.count - 1 - minimumIndex
        let needed = curves.earlyStop.map { Swift.min(overfittingEpochs, Swift.max(1, $0.epoch - $0.bestEpoch)) } ?? overfittingEpochs
        let rise = last.validationLoss! / best.validationLoss! - 1
        // A validation loss that doubled while the training loss fell is overfitting even on a short curve.
        let doubled = rise >= 1
        guard records.count >= (doubled ? 3 : 4), after >= (doubled ? Swift.min(needed, 2) : needed),
              rise >= overfittingRise, last.trainingLoss < best.trainingLoss else { return nil }
        let gapThen = best.validationLoss! - best.trainingLoss, gapNow = last.validationLoss! - last.trainingLoss
        var evidence = [
            "validation loss rose from \(format(best.validationLoss!)) at epoch \(best.epoch) to \(format(last.validationLoss!)) at epoch \(last.epoch) (+\(percent(rise))) while training loss fell from \(format(best.trainingLoss)) to \(format(last.trainingLoss))",
            "the generalisation gap (validation − training loss) grew from \(format(gapThen)) to \(format(gapNow))",
        ]
        if let bestMetric = best.validationMetric, let lastMetric = last.validationMetric, bestMetric.isFinite, lastMetric.isFinite {
            evidence.append("the validation \(curves.baseline?.metricName ?? "metric") was \(format(bestMetric)) at epoch \(best.epoch) and \(format(lastMetric)) at the end")
        }
        let patience = Swift.max(2, Swift.min(5, after / 2))
        var advice = Advice.stopEarly(atEpoch: best.epoch, patience: patience)
        if let stop = curves.earlyStop {
            evidence.append("early stopping ended training after epoch \(stop.epoch) and kept the weights of epoch \(stop.bestEpoch)")
            advice = .regularise(keptEpoch: stop.bestEpoch)
        }
        let margin = Swift.min(rise / overfittingRise, Double(after) / Double(needed))
        return Diagnosis(verdict: .overfitting, evidence: evidence, advice: advice, confidence: grade(margin, points: records.count))
    }

    private func rateTooLow(_ curves: TrainingCurves, _ shape: CurveShape, _ slopes: [Double]) -> Diagnosis? {
        guard slopes.count == 3, let first = shape.points.first, let last = shape.points.last,
              let reference = referenceLoss(curves, shape) else { return nil }
        let earlier = Swift.max(slopes[0], slopes[1]), end = slopes[2]
        let lastThird = Swift.max(1, shape.points.count / 3)
        let falling = shape.fallingFraction(inLast: lastThird)
        let stillFast = 1 - Foundation.exp(-end) >= stillFallingFast
        guard end > 0, earlier > 0, end >= steadyRatio * earlier, falling >= 0.75,
              last >= farFromConverged * reference || stillFast else { return nil }
        let unit = pointUnit(curves)
        let evidence = [
            "the training loss still falls \(percent(1 - Foundation.exp(-end))) per \(unit) in the last third, \(String(format: "%.2f", end / earlier))× the rate of earlier (a good rate bends the curve over)",
            "it fell in \(percent(falling)) of the last \(lastThird) moves, from \(format(first)) to \(format(last)) in all, still \(percent(last / reference)) of \(referenceName(curves, reference))",
        ]
        let unconverged = Swift.max(last / (farFromConverged * reference), (1 - Foundation.exp(-end)) / stillFallingFast)
        let margin = Swift.min(end / (steadyRatio * earlier), falling / 0.75, unconverged)
        return Diagnosis(verdict: .rateTooLow, evidence: evidence,
                         advice: .raiseLearningRate(by: 3, orTrainLonger: true),
                         confidence: grade(margin, points: shape.points.count))
    }

    /// How fast the run was still improving at its end, read on the validation loss when every epoch has a finite
    /// one (it is what a longer run would lower), else on the training curve's points. Over a window at the end (the
    /// last `fraction` of the points, at least 2 moves) it is the least-squares fall of −log(loss) against the
    /// *rate-time* Σηₜ (the sum of the rates of the steps so far): on a constant schedule that is the fall per epoch ×
    /// epochs; on cosine or one-cycle, whose rate has fallen near zero at the end, it is the fall the run would keep
    /// at its rate, not the flattening the schedule alone causes. `gain` = that fall × the whole run's rate-time.
    struct EndProgress {
        var perPoint: Double, gain: Double, moves: Int, points: Int
        var first: Double, last: Double, minimumIndex: Int, windowStart: Int
        var rateShare: Double
        var name: String, unit: String
        var firstLabel: String, lastLabel: String
        /// Whether the lowest point lies in the window.
        var lowestInWindow: Bool { minimumIndex >= windowStart }
    }

    func endProgress(_ curves: TrainingCurves, _ shape: CurveShape, fraction: Double? = nil) -> EndProgress? {
        let validation = curves.epochs.compactMap(\.validationLoss)
        let useValidation = validation.count == curves.epochs.count && validation.count >= 2
            && validation.allSatisfy { $0.isFinite && $0 > 0 }
        let points = useValidation ? validation : shape.points
        guard points.count >= 2, points.allSatisfy({ $0.isFinite && $0 > 0 }) else { return nil }
        let moves = Swift.min(points.count - 1, Swift.max(2, Int((Double(points.count) * (fraction ?? endFraction)).rounded())))
        let window = (points.count - 1 - moves)..<points.count
        // Rate-time at each point: the cumulative mean rate of each epoch's steps (uniform without them).
        var rates = [Double](repeating: 1, count: points.count)
        if useValidation {
            var previous = 0
            for (index, record) in curves.epochs.enumerated() {
                let stepRates = curves.steps.filter { $0.step > previous && $0.step <= record.step }.map(\.learningRate).filter(\.isFinite)
                rates[index] = stepRates.isEmpty ? record.learningRate : stepRates.reduce(0, +) / Double(stepRates.count)
                previous = record.step
            }
            if !rates.allSatisfy({ $0.isFinite && $0 > 0 }) { rates = [Double](repeating: 1, count: points.count) }
        }
        var time: [Double] = []
        var total = 0.0
        for rate in rates { total += rate; time.append(total) }
        let xs = window.map { time[$0] }, ys = window.map { -Foundation.log(points[$0]) }
        let meanX = xs.reduce(0, +) / Double(xs.count), meanY = ys.reduce(0, +) / Double(ys.count)
        var covariance = 0.0, variance = 0.0
        for (x, y) in zip(xs, ys) {
            covariance += (x - meanX) * (y - meanY)
            variance += (x - meanX) * (x - meanX)
        }
        guard variance > 0 else { return nil }
        let slope = covariance / variance
        let unit = useValidation || curves.epochs.count >= 6 ? "epoch" : "bin of steps"
        func label(_ index: Int) -> String {
            useValidation || curves.epochs.count >= 6 ? "epoch \(curves.epochs[index].epoch)" : "point \(index + 1)"
        }
        let minimumIndex = points.indices.min { points[$0] < points[$1] } ?? 0
        let windowRate = window.dropFirst().map { rates[$0] }.reduce(0, +) / Double(moves)
        return EndProgress(perPoint: 1 - Foundation.exp(-CurveShape(points).fallRate(window)), gain: slope * total, moves: moves,
                           points: points.count, first: points[window.lowerBound], last: points[points.count - 1],
                           minimumIndex: minimumIndex, windowStart: window.lowerBound,
                           rateShare: windowRate / (total / Double(points.count)),
                           name: useValidation ? "validation loss" : "training loss", unit: unit,
                           firstLabel: label(window.lowerBound), lastLabel: label(points.count - 1))
    }

    /// Still improving: over the last quarter the loss fell by a rate-time gain of at least `stillImprovingGain` with
    /// its lowest point there, or, for a noisy curve, over the last half by `stillImprovingHalfGain` with its lowest
    /// point in that half. Advice: more epochs (double the run; four times as many again when the gain is ≥ 1), or a
    /// ~3× higher rate when the training curve had not bent over on a constant schedule.
    private func stillImproving(_ curves: TrainingCurves, _ shape: CurveShape) -> Diagnosis? {
        guard curves.earlyStop == nil, let quarter = endProgress(curves, shape) else { return nil }
        let half = endProgress(curves, shape, fraction: 0.5)
        // Without validation the training curve is read, which keeps falling toward zero long after a model stops
        // generalising better: it needs twice the gain.
        let scale = quarter.name == "validation loss" ? 1.0 : 2.0
        let progress: EndProgress, threshold: Double
        if quarter.gain >= scale * stillImprovingGain, quarter.lowestInWindow, quarter.perPoint > 0 {
            (progress, threshold) = (quarter, scale * stillImprovingGain)
        } else if let half, half.gain >= scale * stillImprovingHalfGain, half.lowestInWindow, half.perPoint > 0,
                  noisy(curves, shape, over: half) {
            (progress, threshold) = (half, scale * stillImprovingHalfGain)
        } else {
            return nil
        }
        var evidence = [
            "the \(progress.name) was still falling at the end: \(percent(progress.perPoint)) per \(progress.unit) over the last \(progress.moves) \(progress.unit)s "
                + "(from \(format(progress.first)) at \(progress.firstLabel) to \(format(progress.last)) at \(progress.lastLabel))"
                + (progress.rateShare < 0.7 ? " while the schedule ran at \(percent(progress.rateShare)) of the run's mean rate" : "")
                + "; at that pace over the whole run it would fall by a factor e^\(format(progress.gain)), above the e^\(format(threshold)) of a settled curve",
        ]
        let validation = curves.epochs.compactMap(\.validationLoss)
        if validation.count >= 2, let last = validation.last, let before = validation.dropLast().last, progress.name == "training loss" {
            evidence.append("validation loss went from \(format(before)) to \(format(last)) in the last epoch")
        }
        if let metric = curves.epochs.last?.validationMetric, metric.isFinite, let baseline = curves.baseline {
            evidence.append("the validation \(baseline.metricName) is \(format(metric)) so far (a trivial guess: \(format(baseline.metric)))")
        }
        // Had the curve bent over? The training curve's last third falling at least half as fast as before: no.
        let slopes = shape.thirdSlopes
        let steady = slopes.count == 3 && slopes[2] > 0 && slopes[2] >= steadyRatio * Swift.max(slopes[0], slopes[1])
        let epochsRun = Swift.max(curves.epochs.count, 1)
        let add = epochsRun * (progress.gain >= 5 * stillImprovingGain ? 4 : 1)
        let settings = curves.settings
        let raise: Double? = steady && curves.rollbacks.isEmpty && !(settings?.scheduleDecays ?? false) ? 3 : nil
        if steady {
            evidence.append("the training loss had not bent over: its last third fell \(String(format: "%.2f", slopes[2] / Swift.max(slopes[0], slopes[1])))× as fast as before")
        }
        let confidence: Diagnosis.Confidence = progress.points < 3 ? .low
            : progress.moves == quarter.moves && progress.gain >= 2 * threshold && progress.points >= 6 ? .high : .medium
        return Diagnosis(verdict: .stillImproving, evidence: evidence,
                         advice: .continueTraining(addEpochs: add, totalEpochs: epochsRun + add,
                                                   sameSchedule: settings?.scheduleIndependentOfLength ?? false, orRaiseRateBy: raise),
                         confidence: confidence, learningRate: raise.flatMap { factor in settings.map { $0.learningRate * factor } })
    }

    /// Whether the curve `progress` was read on rose at least once over that window (a curve that only fell is read
    /// on its last quarter alone).
    private func noisy(_ curves: TrainingCurves, _ shape: CurveShape, over progress: EndProgress) -> Bool {
        let validation = curves.epochs.compactMap(\.validationLoss)
        let points = progress.name == "validation loss" ? validation : shape.points
        guard points.count > progress.windowStart + 1 else { return false }
        let window = Array(points[progress.windowStart...])
        return zip(window, window.dropFirst()).contains { $1 > $0 }
    }

    /// "from step 40 the run sat at the edge of stability …" when the sharpness measurements stay at or above
    /// `edgeFraction` of the edge from some measurement to the last.
    private func edgeEvidence(_ curves: TrainingCurves) -> String? {
        let measurements = curves.sharpness.filter { $0.fractionOfEdge.isFinite }
        guard let last = measurements.last else { return nil }
        let preconditioned = last.preconditionedLambdaMax != nil
        let measure = preconditioned ? "the preconditioned sharpness λmax(P⁻¹H)" : "λmax"
        let edgeName = preconditioned ? "(2 + 2β₁)/(η(1 − β₁))" : "2(1 + β)/η"
        guard last.fractionOfEdge >= edgeFraction else {
            let peak = measurements.max { $0.fractionOfEdge < $1.fractionOfEdge }!
            if peak.fractionOfEdge >= edgeFraction {
                return "the run reached the edge of stability but did not stay there: \(measure) peaked at \(percent(peak.fractionOfEdge)) of \(edgeName) "
                    + "(step \(peak.step)) and ended at \(percent(last.fractionOfEdge)) of it (step \(last.step)), over \(measurements.count) measurements"
            }
            return "the sharpness stayed below the edge of stability: \(measure) peaked at \(percent(peak.fractionOfEdge)) of \(edgeName) (step \(peak.step)) over \(measurements.count) measurements"
        }
        var start = measurements.count - 1
        while start > 0, measurements[start - 1].fractionOfEdge >= edgeFraction { start -= 1 }
        let from = measurements[start]
        return "from step \(from.step) the run sat at the edge of stability: \(measure) stayed at \(percent(measurements[start...].map(\.fractionOfEdge).min()!))–\(percent(measurements[start...].map(\.fractionOfEdge).max()!)) "
            + "of \(edgeName) (\(format(last.preconditionedLambdaMax ?? last.lambdaMax)) against \(format(last.preconditionedEdge ?? last.edge)) at the last measurement)"
    }

    private func underfitting(_ curves: TrainingCurves, _ shape: CurveShape, _ slopes: [Double]) -> Diagnosis? {
        guard let baseline = curves.baseline, let last = shape.points.last else { return nil }
        var evidence: [String] = []
        var margins: [Double] = []
        let metric = curves.epochs.last?.validationMetric.flatMap { $0.isFinite ? $0 : nil }
        if let metric {
            let skill = baseline.skill(of: metric)
            let threshold = baseline.metricName == "r2" ? poorRSquared : poorSkill
            guard skill < threshold else { return nil }
            evidence.append("the validation \(baseline.metricName) is \(format(metric)) against \(format(baseline.metric)) for a trivial guess: \(percent(Swift.max(skill, 0))) of the way to perfect")
            margins.append(threshold / Swift.max(skill, 0.01))
        } else {
            guard baseline.loss > 0, last >= farFromConverged * baseline.loss else { return nil }
            margins.append(last / (farFromConverged * baseline.loss))
        }
        evidence.append("the training loss ends at \(format(last)), \(percent(last / Swift.max(baseline.loss, 1e-12))) of \(referenceName(curves, baseline.loss))")
        if slopes.count == 3 {
            let earlier = Swift.max(slopes[0], slopes[1])
            evidence.append("it has levelled off: it falls \(percent(1 - Foundation.exp(-slopes[2]))) per \(pointUnit(curves)) in the last third against \(percent(1 - Foundation.exp(-earlier))) earlier")
        }
        if let validation = curves.epochs.last?.validationLoss, validation.isFinite {
            evidence.append("the validation loss is high too: \(format(validation))")
        }
        return Diagnosis(verdict: .underfitting, evidence: evidence,
                         advice: .enlargeModel,
                         confidence: grade(margins.min() ?? 0, points: shape.points.count))
    }

    private func goodFit(_ curves: TrainingCurves, _ shape: CurveShape) -> Diagnosis {
        var evidence: [String] = []
        let short = shape.points.count < 4
        if short {
            evidence.append("the training curve has only \(shape.points.count) point\(shape.points.count == 1 ? "" : "s") (\(curves.epochs.count) epoch\(curves.epochs.count == 1 ? "" : "s"), \(curves.steps.count) step\(curves.steps.count == 1 ? "" : "s")): too short to read its shape")
        } else if let first = shape.points.first, let last = shape.points.last {
            evidence.append("the training loss fell from \(format(first)) to \(format(last)) and levelled off without rising")
        }
        if let progress = endProgress(curves, shape), !short {
            evidence.append("the \(progress.name) had settled: over the last \(progress.moves) \(progress.unit)s it "
                + (progress.perPoint >= 0 ? "fell \(percent(progress.perPoint)) per \(progress.unit)" : "rose \(percent(-progress.perPoint)) per \(progress.unit)")
                + " (at that pace the whole run would change it by a factor e^\(format(progress.gain)); still improving from e^\(format(stillImprovingGain)))")
        }
        let validation = curves.epochs.compactMap { record in record.validationLoss.flatMap { $0.isFinite ? (record, $0) : nil } }
        if let best = validation.min(by: { $0.1 < $1.1 }), let last = validation.last {
            evidence.append(best.0.epoch == last.0.epoch
                ? "validation loss is at its lowest at the end: \(format(last.1)) at epoch \(last.0.epoch)"
                : "validation loss reached \(format(best.1)) at epoch \(best.0.epoch) and ends at \(format(last.1)) (+\(percent(last.1 / best.1 - 1)))")
        }
        if let metric = curves.epochs.last?.validationMetric, metric.isFinite, let baseline = curves.baseline {
            evidence.append("the validation \(baseline.metricName) is \(format(metric)) against \(format(baseline.metric)) for a trivial guess")
        }
        if let stop = curves.earlyStop {
            evidence.append("early stopping ended training after epoch \(stop.epoch) and kept the weights of epoch \(stop.bestEpoch)")
        }
        let confidence: Diagnosis.Confidence
        if validation.isEmpty || short {
            confidence = .low
            if validation.isEmpty { evidence.append("there is no validation loss, so overfitting cannot be seen") }
        } else {
            confidence = shape.points.count >= 6 ? .high : .medium
        }
        return Diagnosis(verdict: .goodFit, evidence: evidence,
                         advice: short ? .trainLonger(atLeastEpochs: 6) : .keepSettings(tryDecayingSchedule: !(curves.settings?.scheduleDecays ?? false)),
                         confidence: confidence)
    }

    // MARK: - Helpers

    /// When the curve's points are bins of step losses (`CurveShape`: fewer than 6 epochs), the climb between neighbouring
    /// bins that minibatch noise alone gives: each bin's mean has the standard error s_b/√n_b (s_b the standard deviation of
    /// its steps' losses, which includes the bin's own trend, so the allowance errs on the side of not calling a bounce),
    /// and the rise of the difference of two independent means, E[max(0, d)] = σ_d/√(2π), σ_d² = se_b² + se_{b+1}², summed
    /// over neighbours. 0 when the points are epochs. Example: 10 bins of 9 steps of a loss with s = 0.1 give
    /// 9 · √(2 · 0.1²/9)/√(2π) ≈ 0.12.
    private func binnedStepNoiseClimb(_ curves: TrainingCurves) -> Double {
        guard curves.epochs.count < 6 else { return 0 }
        let losses = curves.steps.map(\.loss).filter(\.isFinite)
        let binCount = Swift.min(10, losses.count / 5)
        guard binCount >= 2 else { return 0 }
        let errors: [Double] = (0..<binCount).map { bin in
            let slice = losses[(bin * losses.count / binCount)..<((bin + 1) * losses.count / binCount)]
            let count = Double(slice.count)
            guard count > 1 else { return 0 }
            let mean = slice.reduce(0, +) / count
            let variance = slice.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)
            return (variance / count).squareRoot()
        }
        return zip(errors, errors.dropFirst()).reduce(0.0) { $0 + ($1.0 * $1.0 + $1.1 * $1.1).squareRoot() } / (2 * Double.pi).squareRoot()
    }

    private func rollbackEvidence(_ curves: TrainingCurves) -> [String] {
        guard let first = curves.rollbacks.first else { return [] }
        let scale = curves.rollbacks.last?.rateScale.map { " and the rate scale is now \(format($0))" } ?? ""
        return ["the divergence guard rolled back \(curves.rollbacks.count) time\(curves.rollbacks.count == 1 ? "" : "s"), first at step \(first.step) where the loss was \(format(first.loss))\(scale)"]
    }

    /// The baseline's loss, else the first point of the training curve.
    private func referenceLoss(_ curves: TrainingCurves, _ shape: CurveShape) -> Double? {
        if let loss = curves.baseline?.loss, loss > 0, loss.isFinite { return loss }
        return shape.points.first
    }

    /// "the 2.3 of predicting the class frequencies", or "the first loss, 2.31".
    private func referenceName(_ curves: TrainingCurves, _ reference: Double) -> String {
        guard let baseline = curves.baseline, baseline.loss == reference else { return "the first loss, \(format(reference))" }
        return "the \(format(reference)) of predicting \(baseline.metricName == "accuracy" ? "the class frequencies" : "the mean")"
    }

    /// Fraction of second-half steps in which the debiased EMA of the step loss rose.
    private func smoothedRiseFraction(_ curves: TrainingCurves) -> Double? {
        guard curves.steps.count >= 20 else { return nil }
        var smoothed = SmoothedLoss()
        let values = curves.steps.map { smoothed.add($0.loss) }
        let half = values.suffix(values.count / 2)
        let rises = zip(half, half.dropFirst()).filter { $1 > $0 }.count
        return Double(rises) / Double(half.count - 1)
    }

    /// What one point of `CurveShape(trainingLossOf:)` is.
    private func pointUnit(_ curves: TrainingCurves) -> String { curves.epochs.count >= 6 ? "epoch" : "bin of steps" }

    private func pointName(_ index: Int, _ curves: TrainingCurves) -> String {
        curves.epochs.count >= 6 ? "epoch \(curves.epochs[index].epoch)" : "point \(index + 1) of the binned steps"
    }

    /// The confidence rule of the type's summary.
    private func grade(_ strength: Double, points: Int) -> Diagnosis.Confidence {
        if points < 4 { return .low }
        return strength >= 2 && points >= 6 ? .high : .medium
    }

    private func format(_ value: Double) -> String { String(format: "%.3g", value) }
    private func percent(_ fraction: Double) -> String {
        Swift.abs(fraction) < 0.1 ? String(format: "%.2g%%", 100 * fraction) : String(format: "%.0f%%", 100 * fraction)
    }
}

/// Reads `curves` with the default thresholds of `CurveDiagnosis`.
public func diagnose(_ curves: TrainingCurves) -> Diagnosis {
    CurveDiagnosis().diagnose(curves)
}
