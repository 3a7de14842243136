import DescentData
import DescentDiagnosis
import DescentOptim
import DescentSchedules
import DescentTrain
import Foundation
import XCTest

/// A given rate outside what its optimizer is normally trained at is named, with the guard's outcome; a rate
/// within the span, or one chosen automatically, is not.
final class UnusualLearningRateTests: XCTestCase {
    private func curves(optimizer: OptimizerRegistry, rate: Double, automatic: Bool = false) throws -> TrainingCurves {
        let schedule = try ScheduleParser.parse("constant", totalSteps: 100, baseLearningRate: rate)
        var settings = RunSettings(optimizer: optimizer.rawValue, family: optimizer.family, momentum: 0.9, learningRate: rate,
                                   schedule: schedule, totalSteps: 100, lengthIndependent: true, epochs: 10, stepsPerEpoch: 10)
        settings.learningRateChosenAutomatically = automatic
        var curves = TrainingCurves(baseline: TrivialBaseline(metricName: "accuracy", metric: 0.1, loss: Foundation.log(10)),
                                    settings: settings)
        for epoch in 1...10 {
            let x = Double(epoch)
            curves.record(.epochEnded(TrainingRecord(epoch: epoch, step: 10 * epoch, learningRate: rate, trainingLoss: 0.05 + 2.25 * exp(-0.4 * x),
                                                     validationLoss: 0.09 + 2.2 * exp(-0.4 * x), validationMetric: 0.95)))
        }
        return curves
    }

    /// The issue's case: `range-test --optimizer sgd` suggested 0.3, `train --learning-rate 0.3` ran AdamW, and the guard rolled back twice.
    func testAnSGDRateGivenToAdamWIsNamedWithTheGuardsOutcome() throws {
        var curves = try curves(optimizer: .adamw, rate: 0.3)
        curves.record(.rolledBack(step: 12, loss: 40, rateScale: 0.5))
        curves.record(.rolledBack(step: 12, loss: 35, rateScale: 0.125))
        let diagnosis = diagnose(curves)
        let unusual = try XCTUnwrap(diagnosis.unusualLearningRate)
        XCTAssertTrue(unusual.isAbove)
        XCTAssertEqual(unusual.family, .adaptive)
        XCTAssertEqual(unusual.likelyFamily, .momentumSGD)
        XCTAssertEqual(unusual.typicalHigh, 1e-2)
        XCTAssertEqual(unusual.rollbacks, 2)
        XCTAssertEqual(try XCTUnwrap(unusual.settledLearningRate), 0.3 * 0.125, accuracy: 1e-15)
        XCTAssertEqual(unusual.sentence, "the rate 0.3 is above the 1e-05 to 0.01 that adamw, of the Adam family (Adam, AdamW, RMSprop), "
            + "is normally trained at (its reference default is 0.001; SGD with momentum takes rates 10–100× higher, so a rate a range "
            + "test found for SGD is usually too high for it); at it the divergence guard rolled back 2 times and training went on at 0.0375")
        XCTAssertTrue(diagnosis.evidence.contains(unusual.sentence))
        XCTAssertTrue(unusual.matchesVerdict, "too high, and the guard rolled back: the trouble such a rate brings")
        // The verdict's own advice is unchanged: the guard's rate.
        XCTAssertEqual(diagnosis.advice, .useGuardRate(learningRate: 0.0375, from: 0.3, rollbacks: 2))
    }

    func testAnAdamRateGivenToSGDIsNamedAsTooLowForItsFamily() throws {
        let diagnosis = diagnose(try curves(optimizer: .sgd, rate: 3e-4))
        let unusual = try XCTUnwrap(diagnosis.unusualLearningRate)
        XCTAssertFalse(unusual.isAbove)
        XCTAssertEqual(unusual.likelyFamily, .adaptive)
        XCTAssertNil(unusual.referenceLearningRate)
        XCTAssertTrue(unusual.sentence.hasPrefix("the rate 0.0003 is below the 0.001 to 1 that sgd, SGD with momentum, is normally trained at "
            + "(the Adam family takes rates 10–100× lower"), unusual.sentence)
        XCTAssertTrue(unusual.sentence.hasSuffix("; the loss did not blow up at it (the verdict says whether it moved fast enough)"), unusual.sentence)
        // Read with the rate 3e-4, the same curves are a rate too low: the trouble such a rate brings.
        XCTAssertEqual(diagnosis.verdict, .rateTooLow)
        XCTAssertTrue(unusual.matchesVerdict)
    }

    /// An unusual rate above the span at which nothing blew up and the verdict is not 'too high': the fact is said, but it is
    /// not the run's trouble.
    func testAnUnusualRateThatWorkedIsOnlyNamed() throws {
        let diagnosis = diagnose(try curves(optimizer: .adamw, rate: 0.03))
        XCTAssertFalse([.rateTooHigh, .diverged].contains(diagnosis.verdict), diagnosis.message)
        let unusual = try XCTUnwrap(diagnosis.unusualLearningRate)
        XCTAssertFalse(unusual.matchesVerdict)
        XCTAssertTrue(unusual.sentence.hasSuffix("; the loss did not blow up at it"), unusual.sentence)
    }

    func testARateWithinItsFamilysSpanOrChosenAutomaticallyIsNotNamed() throws {
        XCTAssertNil(diagnose(try curves(optimizer: .adamw, rate: 1e-3)).unusualLearningRate)
        XCTAssertNil(diagnose(try curves(optimizer: .sgd, rate: 0.3)).unusualLearningRate)
        XCTAssertNil(diagnose(try curves(optimizer: .adam, rate: 0.1, automatic: true)).unusualLearningRate,
                     "auto measured its rate on this run")
        XCTAssertNil(diagnose(try curves(optimizer: .prodigy, rate: 1)).unusualLearningRate, "learning-rate-free: no span")
        // The span's ends are inside it.
        XCTAssertNil(diagnose(try curves(optimizer: .adamw, rate: 1e-2)).unusualLearningRate)
    }

    /// Settings saved before the field existed (curves.json beside an older checkpoint) still decode: the rate counts as given.
    func testSettingsWithoutTheAutomaticFieldDecode() throws {
        let text = #"{"optimizer":"adamw","family":"adaptive","momentum":0.9,"learning_rate":0.3,"schedule":"constant","#
            + #""schedule_decays":false,"schedule_independent_of_length":true,"epochs":10,"steps_per_epoch":10,"guard":true}"#
        let settings = try JSONDecoder().decode(RunSettings.self, from: Data(text.utf8))
        XCTAssertNil(settings.learningRateChosenAutomatically)
    }
}
