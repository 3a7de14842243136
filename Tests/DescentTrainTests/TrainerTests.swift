import DescentData
import DescentNN
import DescentOptim
import DescentTensor
import DescentTrain
import Foundation
import XCTest

final class TrainerTests: XCTestCase {
    private func irisSplit() throws -> DatasetSplit {
        try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 3).standardized().split
    }

    private func model(inputs: Int, outputs: Int, seed: UInt64 = 1) throws -> Sequential {
        var generator = SeededGenerator(seed: seed)
        return Sequential([try Linear(inputs, 16, using: &generator), ReLU(), try Linear(16, outputs, using: &generator)])
    }

    func testTrainsIrisToNinetyPercent() throws {
        let split = try irisSplit()
        let network = try model(inputs: 4, outputs: 3)
        var optimizer = try Optimizer(Adam(), learningRate: 0.01)
        let history = try Trainer(configuration: TrainingConfiguration(epochs: 30, batchSize: 16, seed: 1))
            .fit(network, optimizer: &optimizer, training: split.train, validation: split.validation)
        XCTAssertEqual(history.count, 30)
        XCTAssertLessThan(history.last!.trainingLoss, history.first!.trainingLoss / 3)
        XCTAssertGreaterThanOrEqual(history.last!.validationMetric!, 0.9)
        XCTAssertEqual(history.last!.step, 30 * 8)   // 120 training rows in batches of 16
    }

    func testGuardRollsBackAndHalvesARateThatIsTooHigh() throws {
        let split = try irisSplit()
        let network = try model(inputs: 4, outputs: 3)
        // Plain SGD at rate 40 blows the loss up within the first epochs.
        var optimizer = try Optimizer(SGD(), learningRate: 40)
        var events: [TrainingEvent] = []
        var configuration = TrainingConfiguration(epochs: 15, batchSize: 16, seed: 1)
        configuration.divergenceGuard = DivergenceGuard(lossThreshold: 3, backoff: 0.25, maximumRollbacks: 8)
        let history = try Trainer(configuration: configuration)
            .fit(network, optimizer: &optimizer, training: split.train, validation: split.validation) { events.append($0) }
        let rollbacks = events.compactMap { event -> Double? in
            if case let .rolledBack(_, _, scale) = event { return scale }
            return nil
        }
        XCTAssertFalse(rollbacks.isEmpty, "a rate of 40 should have been caught")
        // Each rollback multiplies the scale by the back-off: 0.25, 0.0625, ...
        for (index, scale) in rollbacks.enumerated() { XCTAssertEqual(scale, Foundation.pow(0.25, Double(index + 1)), accuracy: 1e-12) }
        XCTAssertEqual(optimizer.currentLearningRate, 40 * rollbacks.last!, accuracy: 1e-9)
        XCTAssertEqual(history.count, 15)
        XCTAssertTrue(history.allSatisfy { $0.trainingLoss.isFinite })
        XCTAssertGreaterThanOrEqual(history.last!.validationMetric!, 0.8)
    }

    func testWithoutRoomToRollBackDivergenceIsAnError() throws {
        let split = try irisSplit()
        var optimizer = try Optimizer(SGD(), learningRate: 1e6)
        var configuration = TrainingConfiguration(epochs: 5, batchSize: 16, seed: 1)
        configuration.divergenceGuard = DivergenceGuard(lossThreshold: 2, backoff: 0.9, maximumRollbacks: 1)
        XCTAssertThrowsError(try Trainer(configuration: configuration)
            .fit(try model(inputs: 4, outputs: 3), optimizer: &optimizer, training: split.train)) { error in
            guard case TrainingError.diverged = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("lower the learning rate"))
        }
    }

    func testEarlyStoppingRestoresTheBestWeights() throws {
        // A wide network on 30 diabetes rows overfits quickly: validation loss turns up.
        let data = try Datasets.load(named: "diabetes")
        var split = try data.split(validationFraction: 0.5, seed: 2).standardized().split
        split.train = split.train.subset(Array(0..<30))
        var generator = SeededGenerator(seed: 5)
        let network = Sequential([try Linear(10, 128, using: &generator), ReLU(), try Linear(128, 1, using: &generator)])
        var optimizer = try Optimizer(Adam(), learningRate: 0.01)
        var configuration = TrainingConfiguration(epochs: 400, batchSize: 30, seed: 1)
        configuration.earlyStoppingPatience = 10
        var stopped: (epoch: Int, best: Int)?
        let history = try Trainer(configuration: configuration)
            .fit(network, optimizer: &optimizer, training: split.train, validation: split.validation) { event in
                if case let .stoppedEarly(epoch, best) = event { stopped = (epoch, best) }
            }
        let stop = try XCTUnwrap(stopped, "validation loss should stop improving")
        XCTAssertEqual(stop.epoch - stop.best, 10)
        XCTAssertEqual(history.count, stop.epoch)
        // The weights in the model are the best epoch's: evaluating gives its validation loss.
        let bestLoss = history[stop.best - 1].validationLoss!
        XCTAssertEqual(history.map { $0.validationLoss! }.min()!, bestLoss)
        let evaluated = try Trainer(configuration: configuration)
            .evaluate(network, optimizer: &optimizer, on: split.validation, objective: .regression)
        XCTAssertEqual(evaluated.loss, bestLoss, accuracy: 1e-9 * Swift.max(1, bestLoss))
    }

    func testInvalidSettingsAreNamed() throws {
        XCTAssertThrowsError(try TrainingConfiguration(epochs: 0, batchSize: 4).validate()) { error in
            XCTAssertTrue("\(error)".contains("epochs"))
        }
        XCTAssertThrowsError(try TrainingConfiguration(epochs: 1, batchSize: 4, divergenceGuard: DivergenceGuard(backoff: 1.5)).validate()) { error in
            XCTAssertTrue("\(error)".contains("backoff"))
        }
        let guardSettings = DivergenceGuard(lossThreshold: 4)
        XCTAssertTrue(guardSettings.isDiverged(loss: .nan, best: 0.3))
        XCTAssertTrue(guardSettings.isDiverged(loss: 1.5, best: 0.3))
        XCTAssertFalse(guardSettings.isDiverged(loss: 0.9, best: 0.3))
        XCTAssertFalse(guardSettings.isDiverged(loss: 100, best: nil))
    }
}

final class TrainerStepEventTests: XCTestCase {
    func testEveryStepIsReportedWithItsRateAndTheEpochLossIsTheirWeightedMean() throws {
        let split = try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 3).standardized().split
        var generator = SeededGenerator(seed: 1)
        let network = Sequential([try Linear(4, 3, using: &generator)])
        var optimizer = try Optimizer(SGD(), learningRate: 0.1,
                                      schedule: .multiplier { step in 1 / Double(step + 1) })
        var steps: [(step: Int, loss: Double, rate: Double)] = []
        let history = try Trainer(configuration: TrainingConfiguration(epochs: 2, batchSize: 50, seed: 1))
            .fit(network, optimizer: &optimizer, training: split.train) { event in
                if case let .stepEnded(step, loss, rate, _) = event { steps.append((step, loss, rate)) }
            }
        // 120 rows in batches of 50, 50, 20: three steps per epoch, numbered 1...6.
        XCTAssertEqual(steps.map(\.step), [1, 2, 3, 4, 5, 6])
        for (index, step) in steps.enumerated() { XCTAssertEqual(step.rate, 0.1 / Double(index + 1), accuracy: 1e-15) }
        let firstEpoch = (50 * steps[0].loss + 50 * steps[1].loss + 20 * steps[2].loss) / 120
        XCTAssertEqual(history[0].trainingLoss, firstEpoch, accuracy: 1e-12)
    }
}

final class TrainerBadSnapshotTests: XCTestCase {
    /// SGD at rate 3 on iris: the end of epoch 5 is a state whose very next batch already reads as
    /// diverged. Rolling back to it again and again (before any update) cannot help; the guard
    /// must go one state further back and finish the run.
    func testGuardStepsPastAStateThatIsAlreadyDiverged() throws {
        let split = try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 0).standardized().split
        var generator = SeededGenerator(seed: 0)
        let network = Sequential([try Linear(4, 64, using: &generator), ReLU(), try Linear(64, 3, using: &generator)])
        var optimizer = try Optimizer(SGD(momentum: 0.9), learningRate: 3)
        var rollbackSteps: [Int] = []
        let history = try Trainer(configuration: TrainingConfiguration(epochs: 20, batchSize: 32, seed: 0))
            .fit(network, optimizer: &optimizer, training: split.train, validation: split.validation) { event in
                if case let .rolledBack(step, _, _) = event { rollbackSteps.append(step) }
            }
        XCTAssertFalse(rollbackSteps.isEmpty)
        XCTAssertLessThan(rollbackSteps.count, 5, "the guard should not need all its rollbacks: \(rollbackSteps)")
        XCTAssertEqual(history.count, 20)
        XCTAssertGreaterThanOrEqual(history.last!.validationMetric!, 0.9)
    }
}
