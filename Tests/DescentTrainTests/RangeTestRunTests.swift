import DescentData
import DescentNN
import DescentOptim
import DescentTensor
import DescentTrain
import Foundation
import XCTest

/// The range test on real data: fastai's digits MLP, and nothing lost afterwards.
final class RangeTestRunTests: XCTestCase {
    private func digits() throws -> Dataset {
        try Datasets.load(named: "digits").split(validationFraction: 0.2, seed: 0).standardized().split.train
    }

    /// The conformance file's digits_mlp network: 64-32-10.
    private func network(seed: UInt64) throws -> Sequential {
        var generator = SeededGenerator(seed: seed)
        return Sequential([try Linear(64, 32, using: &generator), ReLU(), try Linear(32, 10, using: &generator)])
    }

    func testDigitsValleyIsWithinADecadeOfFastai() throws {
        let model = try network(seed: 0)
        let optimizer = try Optimizer(SGD(momentum: 0.9), learningRate: 0.01)
        let result = try LearningRateRangeTest(batchSize: 32).run(model, optimizer: optimizer, data: try digits())
        let valley = try XCTUnwrap(result.suggestions?.valley)
        let fastaiValley = 0.007585775572806597   // conformance/lr_finder.json, case digits_mlp
        XCTAssertLessThan(Swift.abs(Foundation.log10(valley / fastaiValley)), 1, "valley \(valley)")
        // It blows up before the end, as fastai's did (at iteration 95 of 100), and the stop rule held.
        XCTAssertTrue(result.diverged)
        XCTAssertLessThan(result.iterationsRun, 100)
        let last = try XCTUnwrap(result.smoothedLosses.last)
        XCTAssertTrue(!last.isFinite || last > 4 * result.smoothedLosses.dropLast().min()!)
        // The recorded rates are the sweep's.
        for (index, rate) in result.learningRates.enumerated() {
            XCTAssertEqual(rate, result.settings.learningRate(at: index), accuracy: 1e-15 * rate)
        }
        XCTAssertNotEqual(result.confidence.level, .low, result.confidence.reasons.joined(separator: "; "))
    }

    func testNothingIsLost() throws {
        // Two identical models and optimizers with momentum already built up.
        let data = try digits()
        let tested = try network(seed: 5), untouched = try network(seed: 5)
        var optimizer = try Optimizer(SGD(momentum: 0.9), learningRate: 0.05)
        let warmUp = Trainer(configuration: TrainingConfiguration(epochs: 1, batchSize: 64, seed: 2))
        _ = try warmUp.fit(tested, optimizer: &optimizer, training: data)
        var optimizerCopy = try Optimizer(SGD(momentum: 0.9), learningRate: 0.05)
        _ = try warmUp.fit(untouched, optimizer: &optimizerCopy, training: data)
        tested.eval()
        let before = tested.stateDictionary

        let result = try LearningRateRangeTest(iterations: 60).run(tested, optimizer: optimizer, data: data)
        XCTAssertGreaterThan(result.iterationsRun, 10)
        // The parameters are back bit for bit, and so is the mode.
        let after = tested.stateDictionary
        XCTAssertEqual(Set(after.keys), Set(before.keys))
        for (name, value) in before { XCTAssertEqual(after[name]!.scalars, value.scalars, name) }
        XCTAssertFalse(tested.namedModules.contains { $0.module.isTraining })
        XCTAssertEqual(optimizer.step, optimizerCopy.step)
        XCTAssertEqual(optimizer.currentLearningRate, 0.05)

        // Training on from here gives exactly what it gives without the test (momentum buffers intact).
        tested.train()
        let next = Trainer(configuration: TrainingConfiguration(epochs: 1, batchSize: 64, seed: 3))
        _ = try next.fit(tested, optimizer: &optimizer, training: data)
        _ = try next.fit(untouched, optimizer: &optimizerCopy, training: data)
        for (name, value) in untouched.stateDictionary {
            XCTAssertEqual(tested.stateDictionary[name]!.scalars, value.scalars, name)
        }
    }

    func testBadSettingsNameTheSetting() {
        func name(_ make: () throws -> LearningRateRangeTest) -> String? {
            do { _ = try make(); return nil } catch let RangeTestError.invalidSetting(name, _) { return name } catch { return "\(error)" }
        }
        XCTAssertEqual(name { try LearningRateRangeTest(startLearningRate: 1, endLearningRate: 1) }, "endLearningRate")
        XCTAssertEqual(name { try LearningRateRangeTest(startLearningRate: 0) }, "startLearningRate")
        XCTAssertEqual(name { try LearningRateRangeTest(startLearningRate: .nan) }, "startLearningRate")
        XCTAssertEqual(name { try LearningRateRangeTest(iterations: 9) }, "iterations")
        XCTAssertEqual(name { try LearningRateRangeTest(batchSize: 0) }, "batchSize")
        XCTAssertEqual(name { try LearningRateRangeTest(smoothing: 1) }, "smoothing")
        XCTAssertEqual(name { try LearningRateRangeTest(divergenceThreshold: 1) }, "divergenceThreshold")
        XCTAssertNil(name { try LearningRateRangeTest(divergenceThreshold: nil) })
    }

    func testRegressionRunsAndCyclesTheData() throws {
        // 442 rows → 353 training rows: 11 batches of 32 per pass, so 40 iterations cycle it 3 times.
        let data = try Datasets.load(named: "diabetes").split(validationFraction: 0.2, seed: 0).standardized().split.train
        var generator = SeededGenerator(seed: 1)
        let model = Sequential([try Linear(10, 16, using: &generator), ReLU(), try Linear(16, 1, using: &generator)])
        let result = try LearningRateRangeTest(startLearningRate: 1e-5, endLearningRate: 1e-2, iterations: 40,
                                               divergenceThreshold: nil)
            .run(model, optimizer: try Optimizer(Adam(), learningRate: 1e-3), data: data)
        XCTAssertEqual(result.iterationsRun, 40)
        XCTAssertFalse(result.diverged)
        XCTAssertTrue(result.rawLosses.allSatisfy(\.isFinite))
    }
}

/// The sweep is a schedule value: exponential(from: start, decay: end/start, every: iterations, begin: first).
final class RangeTestScheduleTests: XCTestCase {
    func testTheSweepIsAnExponentialScheduleBitForBit() throws {
        let test = try LearningRateRangeTest(startLearningRate: 1e-7, endLearningRate: 10, iterations: 100)
        let schedule = try test.schedule(beginningAt: 17)
        for index in [0, 1, 37, 50, 99, 100] {
            XCTAssertEqual(schedule(17 + index).bitPattern, test.learningRate(at: index).bitPattern, "iteration \(index)")
        }
        XCTAssertEqual(schedule(17), 1e-7)
        XCTAssertEqual(schedule(117), 10, accuracy: 1e-12)
        XCTAssertEqual(schedule.description, "exponential(from: 1e-07, decay: 100000000.0, every: 100, begin: 17)")
    }

    func testASweepWiderThanADoubleIsASettingError() {
        XCTAssertThrowsError(try LearningRateRangeTest(startLearningRate: 1e-300, endLearningRate: 1e300, iterations: 100).validate()) { error in
            XCTAssertTrue("\(error)".contains("endLearningRate"), "\(error)")
        }
    }
}
