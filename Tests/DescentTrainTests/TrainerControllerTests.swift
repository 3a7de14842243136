import DescentData
import DescentNN
import DescentOptim
import DescentSchedules
import DescentTensor
import DescentTrain
import Foundation
import XCTest

/// The trainer feeds every controller; the rate is schedule(step) × the controllers' scale.
final class TrainerControllerTests: XCTestCase {
    func testReduceOnPlateauComposesWithAWarmupCosineSchedule() throws {
        // Diabetes with a wide network overfits: the validation loss stops improving, and the plateau
        // controller halves the rate on top of warmup → cosine.
        let split = try Datasets.load(named: "diabetes").split(validationFraction: 0.3, seed: 2).standardized().split
        var generator = SeededGenerator(seed: 4)
        let network = Sequential([try Linear(10, 64, using: &generator), ReLU(), try Linear(64, 1, using: &generator)])
        let epochs = 40, stepsPerEpoch = (split.train.count + 31) / 32
        let schedule = try ScheduleParser.parse("warmup(20) >> cosine", totalSteps: epochs * stepsPerEpoch, baseLearningRate: 0.01)
        var optimizer = try Optimizer(Adam(), learningRate: 0.01, schedule: .schedule(schedule))
        optimizer.controllers = [try ReduceOnPlateau(factor: 0.5, patience: 2, threshold: 0.05)]
        let history = try Trainer(configuration: TrainingConfiguration(epochs: epochs, batchSize: 32, seed: 1))
            .fit(network, optimizer: &optimizer, training: split.train, validation: split.validation)

        // Each epoch's rate is the schedule at the next step times 0.5^k, k the reductions so far.
        var reductions = 0, best = Double.infinity, bad = 0
        for record in history {
            // PyTorch's rule, written out: a report is better when below best × (1 − 0.05); after more than
            // `patience` bad reports in a row the rate halves and the count starts again.
            if record.validationLoss! < best * (1 - 0.05) { best = record.validationLoss!; bad = 0 } else { bad += 1 }
            if bad > 2 { reductions += 1; bad = 0 }
            let expected = schedule(record.step) * Foundation.pow(0.5, Double(reductions))
            XCTAssertEqual(record.learningRate, expected, accuracy: 1e-15 + 1e-12 * expected, "epoch \(record.epoch)")
        }
        XCTAssertGreaterThanOrEqual(reductions, 2, "the validation loss of this run plateaus")
    }

    func testAControllerWithoutValidationSeesTheTrainingLoss() throws {
        let training = try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 0).standardized().split.train
        var generator = SeededGenerator(seed: 0)
        let network = Sequential([try Linear(4, 3, using: &generator)])
        var optimizer = try Optimizer(SGD(), learningRate: 1e-3)
        // No epoch can beat the first by half: every later report is bad.
        optimizer.controllers = [try ReduceOnPlateau(factor: 0.1, patience: 0, threshold: 0.5)]
        let history = try Trainer(configuration: TrainingConfiguration(epochs: 3, batchSize: 40))
            .fit(network, optimizer: &optimizer, training: training)
        // Epoch 1 sets the best; epochs 2 and 3 do not beat it by half: one reduction each.
        XCTAssertEqual(history.map(\.learningRate), [1e-3, 1e-4, 1e-5], accuracy: 1e-18)
    }
}

private func XCTAssertEqual(_ actual: [Double], _ expected: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, file: file, line: line)
    for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: accuracy, file: file, line: line) }
}
