import DescentData
import DescentDiagnosis
import DescentTrain
import Foundation
import XCTest

/// Curves of known shape, written down as formulas, and the verdict each must get.
final class DiagnosisSyntheticCurveTests: XCTestCase {
    /// Ten-class classification: always answering the majority class is right 10% of the time,
    /// and predicting the class frequencies costs ln 10 = 2.3 nats.
    private let digitsLike = TrivialBaseline(metricName: "accuracy", metric: 0.1, loss: Foundation.log(10))

    private func curves(epochs: Int, training: (Double) -> Double, validation: ((Double) -> Double)? = nil,
                        metric: ((Double) -> Double)? = nil, baseline: TrivialBaseline? = nil) -> TrainingCurves {
        var curves = TrainingCurves(baseline: baseline ?? digitsLike)
        for epoch in 1...epochs {
            let x = Double(epoch)
            curves.record(.epochEnded(TrainingRecord(epoch: epoch, step: 10 * epoch, learningRate: 1e-3, trainingLoss: training(x),
                                                     validationLoss: validation?(x), validationMetric: metric?(x))))
        }
        return curves
    }

    func testALossThatDoesNotMoveIsARateTooLowNotTooHigh() {
        // A rate of 1e-12: epoch means differ only by float summation order (~1e-7 of the loss), up and down.
        let curves = curves(epochs: 20, training: { 1.1582 + 1e-7 * sin(3 * $0) }, validation: { _ in 1.16 }, metric: { _ in 0.33 })
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.verdict, .rateTooLow, diagnosis.message)
        XCTAssertTrue(diagnosis.evidence[0].contains("did not change"), diagnosis.evidence[0])
        XCTAssertTrue(diagnosis.evidence[0].contains("learning rate of 0.001"), diagnosis.evidence[0])
    }

    func testAValidationLossThatDoublesInThreeEpochsIsOverfitting() {
        // Training loss falls 0.5 → 0.3 → 0.2 while validation loss goes 0.4 → 0.6 → 0.85: doubled in three epochs.
        let training = [0.5, 0.3, 0.2], validation = [0.4, 0.6, 0.85]
        let curves = curves(epochs: 3, training: { training[Int($0) - 1] }, validation: { validation[Int($0) - 1] },
                            metric: { _ in 0.8 })
        XCTAssertEqual(diagnose(curves).verdict, .overfitting, diagnose(curves).message)
    }

    func testExponentialDecayToAFloorIsAGoodFit() {
        let curves = curves(epochs: 20, training: { 0.05 + 2.25 * exp(-0.4 * $0) }, validation: { 0.09 + 2.2 * exp(-0.4 * $0) },
                            metric: { 0.97 - 0.8 * exp(-0.5 * $0) })
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.verdict, .goodFit, diagnosis.message)
        XCTAssertEqual(diagnosis.confidence, .high)
        XCTAssertTrue(diagnosis.evidence[0].contains("fell from 1.56 to 0.0508"), diagnosis.evidence[0])
    }

    func testUShapedValidationCurveIsOverfitting() {
        // Validation loss is lowest at epoch 8 (0.21) and climbs to 0.21 + 0.001·12² = 0.354 by epoch 20.
        let curves = curves(epochs: 20, training: { 0.01 + 3 * exp(-0.35 * $0) },
                            validation: { 0.21 + 0.001 * ($0 - 8) * ($0 - 8) + ($0 < 8 ? 0.1 * (8 - $0) : 0) },
                            metric: { _ in 0.9 })
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.verdict, .overfitting, diagnosis.message)
        XCTAssertEqual(diagnosis.evidence[0],
                       "validation loss rose from 0.21 at epoch 8 to 0.354 at epoch 20 (+69%) while training loss fell from 0.192 to 0.0127")
        XCTAssertEqual(diagnosis.advice, .stopEarly(atEpoch: 8, patience: 5))
        XCTAssertEqual(diagnosis.confidence, .high)
    }

    func testASmallRiseOfValidationLossIsNotOverfitting() {
        // +5% above the minimum: under the 10% threshold, so the run reads as a good fit.
        let curves = curves(epochs: 20, training: { 0.01 + 3 * exp(-0.35 * $0) },
                            validation: { $0 < 8 ? 0.21 + 0.1 * (8 - $0) : 0.21 + 0.0105 * ($0 - 8) / 12 },
                            metric: { _ in 0.9 })
        XCTAssertEqual(diagnose(curves).verdict, .goodFit, diagnose(curves).message)
    }

    func testEarlyStopAfterAClimbIsOverfittingCaught() {
        var curves = curves(epochs: 13, training: { 0.01 + 3 * exp(-0.35 * $0) },
                            validation: { 0.21 + 0.02 * ($0 - 8) * ($0 - 8) + ($0 < 8 ? 0.1 * (8 - $0) : 0) }, metric: { _ in 0.9 })
        curves.record(.stoppedEarly(epoch: 13, bestEpoch: 8))
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.verdict, .overfitting, diagnosis.message)
        XCTAssertEqual(diagnosis.advice, .regularise(keptEpoch: 8))
    }

    func testNoisyOscillationAtAHighLevelIsARateTooHigh() {
        // Falls to ~1.4, then bounces ±0.5 around it: the second half jumps ~50% of its level, up half the time.
        let curves = curves(epochs: 12, training: { $0 < 3 ? 2.3 - 0.3 * $0 : 1.4 + 0.5 * sin(2.1 * $0) },
                            validation: { $0 < 3 ? 2.3 - 0.3 * $0 : 1.5 + 0.5 * cos(1.7 * $0) }, metric: { _ in 0.5 })
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.verdict, .rateTooHigh, diagnosis.message)
        XCTAssertTrue(diagnosis.evidence.contains { $0.contains("oscillates") }, "\(diagnosis.evidence)")
        XCTAssertEqual(diagnosis.advice, .lowerLearningRate(by: 3, keepGuard: false))
    }

    func testALossThatBouncesOnItsWayDownIsARateTooHigh() {
        // Adam at 0.1 on digits: 1.91, 1.83, 2.37, 1.90, 2.00, then down to 0.19: it climbed back 0.67, 39% of its fall.
        let losses = [1.91, 1.83, 2.37, 1.90, 2.00, 0.71, 0.56, 0.25, 0.185, 0.216]
        let curves = curves(epochs: 10, training: { losses[Int($0) - 1] }, validation: { _ in 1.8 }, metric: { _ in 0.96 })
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.verdict, .rateTooHigh, diagnosis.message)
        XCTAssertEqual(diagnosis.evidence[0], "on its way down from 1.91 to 0.185 the training loss climbed back up by 0.671 in all, "
                       + "39% of its net fall: it bounces instead of descending")
        XCTAssertEqual(diagnosis.confidence, .medium)   // 0.39 / 0.25 = 1.6: holds, but within 2× of the threshold
    }

    /// The digits CNN of #22 under the automatic rate: 3 epochs, the first the race's (its steps not kept), so the curve is
    /// 90 minibatch losses in 10 bins of 9. A slow fall under minibatch noise (s ≈ 0.046) climbs between bins by chance
    /// (≈ 0.08 in all, 1.5× its net fall of 0.054); that is not a bounce, and the run whose validation loss fell at every
    /// epoch is still improving, not "rate too high (high confidence)" as it was read before the noise allowance.
    func testMinibatchNoiseBetweenBinnedStepsIsNotABounce() {
        var curves = TrainingCurves(baseline: digitsLike)
        var state: UInt64 = 42
        func uniform() -> Double {   // a fixed LCG: the same noise on every machine
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        for step in 46...135 {
            let noise = (uniform() - 0.5) * 0.16   // uniform on ±0.08: s = 0.16/√12 ≈ 0.046
            curves.record(.stepEnded(step: step, loss: 0.15 * exp(-Double(step - 46) / 200) + 0.05 + noise, learningRate: 0.019))
        }
        for (epoch, validation) in [(1, 0.32), (2, 0.163), (3, 0.147)] {
            curves.record(.epochEnded(TrainingRecord(epoch: epoch, step: 45 * epoch, learningRate: 0.019, trainingLoss: 0.9 / Double(epoch * epoch),
                                                     validationLoss: validation, validationMetric: 0.95)))
        }
        let diagnosis = diagnose(curves)
        XCTAssertNotEqual(diagnosis.verdict, .rateTooHigh, diagnosis.message)
        XCTAssertFalse(diagnosis.evidence.contains { $0.contains("bounces") }, "\(diagnosis.evidence)")
    }

    func testAStepLossThatFallsThenClimbsIsARateTooHigh() {
        // Only steps (two epochs' worth): 2·e^(−t/10) down to step 40, then up linearly to 3× that minimum.
        var curves = TrainingCurves()
        let minimum = 2 * exp(-4.0)
        for step in 1...100 {
            let t = Double(step)
            let loss = step <= 40 ? 2 * exp(-t / 10) : minimum * (1 + 2 * (t - 40) / 60)
            curves.record(.stepEnded(step: step, loss: loss, learningRate: 0.5))
        }
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.verdict, .rateTooHigh, diagnosis.message)
        XCTAssertTrue(diagnosis.evidence[0].contains("rose from its minimum"), diagnosis.evidence[0])
    }

    func testARollbackMeansTheRateWasTooHigh() {
        var curves = curves(epochs: 10, training: { 0.05 + 2.25 * exp(-0.4 * $0) }, validation: { 0.09 + 2.2 * exp(-0.4 * $0) },
                            metric: { _ in 0.95 })
        curves.record(.rolledBack(step: 37, loss: 41.5, rateScale: 0.5))
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.verdict, .rateTooHigh)
        XCTAssertEqual(diagnosis.confidence, .high)
        XCTAssertEqual(diagnosis.evidence[0],
                       "the divergence guard rolled back 1 time, first at step 37 where the loss was 41.5 and the rate scale is now 0.5")
    }

    func testSlowLinearDeclineIsARateTooLow() {
        let curves = curves(epochs: 10, training: { 2.3 - 0.01 * $0 }, validation: { 2.31 - 0.01 * $0 }, metric: { 0.1 + 0.01 * $0 })
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.verdict, .rateTooLow, diagnosis.message)
        XCTAssertEqual(diagnosis.advice, .raiseLearningRate(by: 3, orTrainLonger: true))
    }

    func testExponentialDecayWithoutAFloorFarFromConvergedIsARateTooLow() {
        // 3% per epoch, the same in every third, and 74% of the starting loss still there after 10 epochs.
        let curves = curves(epochs: 10, training: { 2.3 * exp(-0.03 * $0) }, validation: { 2.3 * exp(-0.03 * $0) }, metric: { _ in 0.2 })
        XCTAssertEqual(diagnose(curves).verdict, .rateTooLow)
    }

    func testALossStillFallingFasterAndFasterIsARateTooLowEvenBelowHalfTheBaseline() {
        // SGD at 1e-3 on digits: the fall per epoch grows from 7% to 12%; at 0.875 it is under half of ln 10,
        // but losing 12% an epoch it is nowhere near converged.
        let losses = [2.27, 2.12, 1.97, 1.80, 1.63, 1.46, 1.28, 1.13, 0.99, 0.875]
        let curves = curves(epochs: 10, training: { losses[Int($0) - 1] }, validation: { losses[Int($0) - 1] - 0.06 },
                            metric: { _ in 0.85 })
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.verdict, .rateTooLow, diagnosis.message)
        XCTAssertTrue(diagnosis.evidence[0].hasPrefix("the training loss still falls 12% per epoch in the last third"), diagnosis.evidence[0])
    }

    func testFlatHighPlateauIsUnderfitting() {
        // Drops from 2.3 to a plateau at 1.6 in a few epochs; accuracy stuck at 0.31 (23% of the way from 0.1 to 1).
        let curves = curves(epochs: 12, training: { 1.6 + 0.7 * exp(-1.2 * $0) }, validation: { 1.65 + 0.7 * exp(-1.2 * $0) },
                            metric: { _ in 0.31 })
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.verdict, .underfitting, diagnosis.message)
        XCTAssertTrue(diagnosis.evidence[0].contains("0.31 against 0.1"), diagnosis.evidence[0])
        XCTAssertEqual(diagnosis.advice, .enlargeModel)
    }

    func testTheSamePlateauWithAGoodMetricIsNotUnderfitting() {
        let curves = curves(epochs: 12, training: { 1.6 + 0.7 * exp(-1.2 * $0) }, validation: { 1.65 + 0.7 * exp(-1.2 * $0) },
                            metric: { _ in 0.92 })
        XCTAssertEqual(diagnose(curves).verdict, .goodFit)
    }

    func testRegressionWithRSquaredNearZeroUnderfits() {
        let baseline = TrivialBaseline(metricName: "r2", metric: 0, loss: 1)
        let flat = curves(epochs: 10, training: { 0.97 + 0.3 * exp(-$0) }, validation: { 0.98 + 0.3 * exp(-$0) },
                          metric: { _ in 0.03 }, baseline: baseline)
        XCTAssertEqual(diagnose(flat).verdict, .underfitting)
        // R² = 0.4 on noisy targets is not underfitting even though it is far from 1.
        let fair = curves(epochs: 10, training: { 0.57 + 0.6 * exp(-$0) }, validation: { 0.6 + 0.6 * exp(-$0) },
                          metric: { _ in 0.4 }, baseline: baseline)
        XCTAssertEqual(diagnose(fair).verdict, .goodFit)
    }

    func testARunTheGuardGaveUpOnDiverged() {
        var curves = curves(epochs: 2, training: { 2 / $0 })
        curves.record(.rolledBack(step: 25, loss: 80, rateScale: 0.5))
        curves.record(TrainingError.diverged(step: 31, loss: .infinity, rollbacks: 1))
        curves.record(TrainingError.invalidConfiguration("ignored"))
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.verdict, .diverged)
        XCTAssertEqual(diagnosis.evidence[0], "the loss blew up to inf at step 31 after 1 rollbacks, and the divergence guard gave up")
        XCTAssertEqual(diagnose(self.curves(epochs: 3, training: { $0 < 3 ? 1 : .nan })).verdict, .diverged)
    }

    func testWithoutValidationAGoodFitIsReadWithLowConfidence() {
        let diagnosis = diagnose(curves(epochs: 20, training: { 0.05 + 2.25 * exp(-0.4 * $0) }))
        XCTAssertEqual(diagnosis.verdict, .goodFit)
        XCTAssertEqual(diagnosis.confidence, .low)
        XCTAssertTrue(diagnosis.evidence.last!.contains("overfitting cannot be seen"))
    }

    func testCurvesRecordEveryEventAndSurviveJSON() throws {
        var curves = TrainingCurves(baseline: digitsLike)
        let record = TrainingRecord(epoch: 1, step: 2, learningRate: 0.1, trainingLoss: 1.5, validationLoss: 1.6, validationMetric: 0.4)
        for event: TrainingEvent in [.stepEnded(step: 1, loss: 2, learningRate: 0.1), .stepEnded(step: 2, loss: 1, learningRate: 0.1),
                                     .epochEnded(record), .rolledBack(step: 3, loss: 9, rateScale: 0.5),
                                     .stoppedEarly(epoch: 1, bestEpoch: 1)] {
            curves.record(event)
        }
        XCTAssertEqual(curves.steps.map(\.loss), [2, 1])
        XCTAssertEqual(curves.epochs, [record])
        XCTAssertEqual(curves.rollbacks, [TrainingCurves.Divergence(step: 3, loss: 9, rateScale: 0.5)])
        XCTAssertEqual(curves.earlyStop, TrainingCurves.EarlyStop(epoch: 1, bestEpoch: 1))
        let decoded = try JSONDecoder().decode(TrainingCurves.self, from: JSONEncoder().encode(curves))
        XCTAssertEqual(decoded, curves)
        let diagnosis = diagnose(curves)
        XCTAssertEqual(try JSONDecoder().decode(Diagnosis.self, from: JSONEncoder().encode(diagnosis)), diagnosis)
    }

    func testTrivialBaselinesOfRealData() throws {
        let iris = TrivialBaseline(for: try Datasets.load(named: "iris"))
        XCTAssertEqual(iris.metric, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(iris.loss, Foundation.log(3), accuracy: 1e-12)
        XCTAssertEqual(iris.skill(of: 2.0 / 3), 0.5, accuracy: 1e-12)
        let diabetes = try Datasets.load(named: "diabetes")
        let values = diabetes.targets.tensor.scalars.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let baseline = TrivialBaseline(for: diabetes)
        XCTAssertEqual(baseline.metricName, "r2")
        XCTAssertEqual(baseline.loss, values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count), accuracy: 1e-6 * baseline.loss)
        XCTAssertEqual(baseline.loss, 5929.9, accuracy: 1)   // the variance of diabetes' disease-progression score
    }

    func testCurveShapeMeasuresFallRatesInLogSpace() {
        let shape = CurveShape([2.0, 1.0, 0.5, 0.25, 0.125, 0.0625])
        for slope in shape.thirdSlopes { XCTAssertEqual(slope, Foundation.log(2), accuracy: 1e-12) }
        XCTAssertEqual(shape.fallingFraction(inLast: 3), 1)
        XCTAssertEqual(CurveShape([1, 2, 1, 2, 1]).noiseToLevel, 1 / (4.0 / 3), accuracy: 1e-12)
    }
}

final class DiagnosisEdgeCaseTests: XCTestCase {
    func testNothingRecordedIsAGoodFitReadWithLowConfidence() {
        let diagnosis = diagnose(TrainingCurves())
        XCTAssertEqual(diagnosis.verdict, .goodFit)
        XCTAssertEqual(diagnosis.confidence, .low)
        XCTAssertEqual(diagnosis.evidence[0], "the training curve has only 0 points (0 epochs, 0 steps): too short to read its shape")
        XCTAssertEqual(diagnosis.advice, .trainLonger(atLeastEpochs: 6))
    }

    func testOneEpochIsTooShortToRead() {
        var curves = TrainingCurves()
        curves.record(.epochEnded(TrainingRecord(epoch: 1, step: 4, learningRate: 0.1, trainingLoss: 1.1, validationLoss: 0.9,
                                                 validationMetric: 0.7)))
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.confidence, .low)
        XCTAssertTrue(diagnosis.evidence[0].contains("too short"), diagnosis.evidence[0])
        XCTAssertFalse(diagnosis.evidence.contains { $0.contains("no validation loss") })
    }

    func testNonFiniteStepLossesDoNotTrap() {
        var curves = TrainingCurves()
        for step in 1...30 { curves.record(.stepEnded(step: step, loss: step % 7 == 0 ? .nan : 1 / Double(step), learningRate: 0.1)) }
        XCTAssertEqual(CurveShape(trainingLossOf: curves).points.count, 5)   // 26 finite losses in 5 bins
        _ = diagnose(curves)
    }
}

/// A short run thrown far above its start and a trivial guess is a rate too high, not underfitting.
final class ThrownFarDiagnosisTests: XCTestCase {
    func testOneEpochEndingOrdersOfMagnitudeAboveTheStartIsARateTooHigh() {
        var curves = TrainingCurves(baseline: TrivialBaseline(metricName: "accuracy", metric: 0.33, loss: 1.1))
        for step in 1...4 { curves.steps.append(.init(step: step, loss: step == 1 ? 1.16 : 1e20, learningRate: 1e16)) }
        curves.epochs.append(TrainingRecord(epoch: 1, step: 4, learningRate: 1e16, trainingLoss: 1e20,
                                            validationLoss: 1.6e33, validationMetric: 0.33))
        let diagnosis = diagnose(curves)
        XCTAssertEqual(diagnosis.verdict, .rateTooHigh, diagnosis.message)
        XCTAssertEqual(diagnosis.advice, .lowerLearningRate(by: 10, keepGuard: false))
        XCTAssertEqual(diagnosis.confidence, .high)
        // Ten times the start but below ten times a trivial guess (a regression far from its mean): not this rule.
        var regression = TrainingCurves(baseline: TrivialBaseline(metricName: "r2", metric: 0, loss: 100))
        for step in 1...4 { regression.steps.append(.init(step: step, loss: 5, learningRate: 1e-3)) }
        regression.epochs.append(TrainingRecord(epoch: 1, step: 4, learningRate: 1e-3, trainingLoss: 60, validationLoss: 60))
        XCTAssertNotEqual(diagnose(regression).verdict, .rateTooHigh)
    }
}

/// The library's advice is structured and tool-neutral: no command names or flags in its words.
final class AdviceTests: XCTestCase {
    func testEveryAdviceReadsWithoutCommandLineFlags() {
        let all: [Advice] = [.lowerLearningRate(by: 10, keepGuard: false), .lowerLearningRate(by: 10, keepGuard: true),
                             .lowerLearningRate(by: 3, keepGuard: false), .raiseLearningRate(by: nil, orTrainLonger: false),
                             .raiseLearningRate(by: 3, orTrainLonger: true), .stopEarly(atEpoch: 8, patience: 5),
                             .regularise(keptEpoch: 8), .enlargeModel, .trainLonger(atLeastEpochs: 6), .keepSettings(tryDecayingSchedule: true), .continueTraining(addEpochs: 20, totalEpochs: 40, sameSchedule: true, orRaiseRateBy: nil), .useGuardRate(learningRate: 0.039, from: 0.39, rollbacks: 2)]
        for advice in all {
            XCTAssertFalse(advice.description.contains("--"), advice.description)
            XCTAssertFalse(advice.description.contains("descent "), advice.description)
            XCTAssertFalse(advice.kind.isEmpty)
        }
        XCTAssertEqual(Set(all.map(\.kind)).count, 9)
        XCTAssertEqual(Advice.lowerLearningRate(by: 3, keepGuard: false).rateFactor!, 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(Advice.raiseLearningRate(by: 3, orTrainLonger: true).rateFactor, 3)
        XCTAssertNil(Advice.raiseLearningRate(by: nil, orTrainLonger: false).rateFactor)
        XCTAssertEqual(Advice.stopEarly(atEpoch: 8, patience: 5).description,
                       "stop at epoch 8 (early stopping with a patience of 5 epochs), and add weight decay, a smaller model or more data")
    }

    func testAdviceRoundTripsThroughJSON() throws {
        let advice = Advice.stopEarly(atEpoch: 8, patience: 5)
        let decoded = try JSONDecoder().decode(Advice.self, from: try JSONEncoder().encode(advice))
        XCTAssertEqual(decoded, advice)
    }
}
