import DescentData
import DescentNN
import DescentOptim
import DescentTensor
import DescentTrain
import Foundation
import XCTest

/// Tiny, odd data sets must give an error before training starts, or a defined result — never a trap
/// or an error thrown away at the end of a finished run.
final class TrainerRobustnessTests: XCTestCase {
    private func model(inputs: Int, outputs: Int) throws -> Sequential {
        var generator = SeededGenerator(seed: 1)
        return Sequential([try Linear(inputs, outputs, using: &generator)])
    }

    func testEmptyValidationSetIsRejectedBeforeTheFirstEpoch() throws {
        // Was: training ran all epochs, then evaluation failed with "rSquared: 0 predictions for 0 targets".
        let data = try Dataset.parseCSV("a,y\n1,0.5\n2,1.5\n3,2.5\n", source: "tiny.csv")
        let split = try data.split(validationFraction: 0.1, seed: 0)
        XCTAssertEqual(split.validation.count, 0)
        let network = try model(inputs: 1, outputs: 1)
        var optimizer = try Optimizer(SGD(), learningRate: 0.01)
        var epochs = 0
        XCTAssertThrowsError(try Trainer(configuration: TrainingConfiguration(epochs: 3, batchSize: 2))
            .fit(network, optimizer: &optimizer, training: split.train, validation: split.validation) { event in
                if case .epochEnded = event { epochs += 1 }
            }) { error in
            XCTAssertTrue("\(error)".contains("validation set (tiny.csv) has no rows"), "\(error)")
        }
        XCTAssertEqual(epochs, 0)
        // Without validation it trains.
        let history = try Trainer(configuration: TrainingConfiguration(epochs: 2, batchSize: 2))
            .fit(network, optimizer: &optimizer, training: split.train)
        XCTAssertEqual(history.count, 2)
    }

    func testEmptyTrainingSetAndMismatchedFeatureCountsAreRejected() throws {
        let data = try Dataset.parseCSV("a,b,y\n1,2,0.5\n2,3,1.5\n3,1,2.5\n4,4,0\n")
        let empty = data.subset([])
        let network = try model(inputs: 2, outputs: 1)
        var optimizer = try Optimizer(SGD(), learningRate: 0.01)
        let trainer = Trainer(configuration: TrainingConfiguration(epochs: 1, batchSize: 2))
        XCTAssertThrowsError(try trainer.fit(network, optimizer: &optimizer, training: empty)) { error in
            XCTAssertTrue("\(error)".contains("training set"), "\(error)")
        }
        let narrow = try Dataset(features: try Tensor.zeros([2, 1]), targets: .values(Tensor([0, 1])))
        XCTAssertThrowsError(try trainer.fit(network, optimizer: &optimizer, training: data, validation: narrow)) { error in
            XCTAssertTrue("\(error)".contains("1 features"), "\(error)")
        }
    }

    func testConstantRegressionTargetsGiveNaNRatherThanAnError() throws {
        // Was: a validation part whose targets are all equal aborted the run after the first epoch
        // ("rSquared: all 1 targets are equal").
        let objective = Objective.regression
        let outputs = try Tensor(shape: [3, 1], scalars: [1, 2, 3])
        XCTAssertTrue(try objective.metric(outputs, .values(Tensor([2, 2, 2]))).isNaN)
        // Where defined it is R²: predictions [1, 2, 3] against [1, 3, 2] have SS_res = 0 + 1 + 1 = 2 and
        // SS_tot = 1 + 1 + 0 = 2 (mean 2), so R² = 1 − 2/2 = 0.
        XCTAssertEqual(try objective.metric(outputs, .values(Tensor([1, 3, 2]))), 0, accuracy: 1e-12)
    }

    func testNonFiniteLossBeforeAnyUpdateIsNotBlamedOnTheLearningRate() throws {
        // Was: five rollbacks, then "training diverged at step 0 (loss inf) ...; lower the learning rate".
        // Targets of ±3e38 are valid Float32 values, but their squared errors overflow to infinity.
        let data = try Dataset.parseCSV("a,y\n1,3e38\n2,-3e38\n3,3e38\n4,-3e38\n5,0\n", source: "extreme.csv")
        XCTAssertEqual(data.task, .regression)
        let network = try model(inputs: 1, outputs: 1)
        var optimizer = try Optimizer(SGD(), learningRate: 0.01)
        var events = 0
        XCTAssertThrowsError(try Trainer(configuration: TrainingConfiguration(epochs: 1, batchSize: 5))
            .fit(network, optimizer: &optimizer, training: data) { _ in events += 1 }) { error in
            guard case TrainingError.nonFiniteInitialLoss(let loss) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(loss, .infinity)
            XCTAssertTrue("\(error)".contains("before any update"), "\(error)")
        }
        XCTAssertEqual(events, 0, "no rollbacks are attempted")
    }

    func testNaNValidationLossIsNeverTheBestEpoch() throws {
        // A NaN in a validation feature makes every validation loss NaN. Was: epoch 1's NaN became the
        // best, nothing could beat it, and training stopped after `patience` epochs restoring epoch 1.
        let training = try Dataset.parseCSV("a,y\n1,0.5\n2,1.5\n3,2.5\n4,3\n")
        let validation = try Dataset(features: try Tensor(shape: [2, 1], scalars: [1, .nan]), targets: .values(Tensor([0, 1])))
        let network = try model(inputs: 1, outputs: 1)
        var optimizer = try Optimizer(SGD(), learningRate: 0.01)
        var stopped = false
        let history = try Trainer(configuration: TrainingConfiguration(epochs: 3, batchSize: 2, earlyStoppingPatience: 1))
            .fit(network, optimizer: &optimizer, training: training, validation: validation) { event in
                if case .stoppedEarly = event { stopped = true }
            }
        XCTAssertEqual(history.count, 3)
        XCTAssertFalse(stopped)
        XCTAssertTrue(history.allSatisfy { $0.validationLoss?.isNaN == true })
    }

    func testUnevenBatchesOfATinyDataSetAreNotDivergence() throws {
        // Was: "training diverged at step 1 (loss 1.66) after 5 rollbacks; lower the learning rate" — the second
        // batch's loss was over 4× the first's at the initial weights, whatever the learning rate.
        let training = try Dataset.parseCSV("a,y\n1,0.1\n2,0.2\n3,3\n4,3.5\n")
        let network = try model(inputs: 1, outputs: 1)
        var optimizer = try Optimizer(SGD(), learningRate: 1e-4)
        var rollbacks = 0
        let history = try Trainer(configuration: TrainingConfiguration(epochs: 20, batchSize: 2))
            .fit(network, optimizer: &optimizer, training: training) { event in
                if case .rolledBack = event { rollbacks += 1 }
            }
        XCTAssertEqual(history.count, 20)
        XCTAssertEqual(rollbacks, 0)
        // A truly exploding rate is still caught (SGD at 1e4 overflows within a few steps), and backed off
        // until training works: the run ends with finite losses at a rate scale of at most 1/100.
        var fast = try Optimizer(SGD(), learningRate: 1e4)
        var scales: [Double] = []
        let recovered = try Trainer(configuration: TrainingConfiguration(epochs: 20, batchSize: 2))
            .fit(try model(inputs: 1, outputs: 1), optimizer: &fast, training: training) { event in
                if case let .rolledBack(_, _, scale) = event { scales.append(scale) }
            }
        XCTAssertGreaterThan(scales.count, 1)
        XCTAssertLessThanOrEqual(scales.last!, 0.01)
        XCTAssertEqual(recovered.count, 20)
        XCTAssertTrue(recovered.allSatisfy { $0.trainingLoss.isFinite })
        XCTAssertEqual(fast.currentLearningRate, 1e4 * scales.last!, accuracy: 1e-9)
        // Where backing off cannot help within the floor (1e-4 of the rate), training stops with an error.
        var hopeless = try Optimizer(SGD(), learningRate: 1e12)
        XCTAssertThrowsError(try Trainer(configuration: TrainingConfiguration(epochs: 20, batchSize: 2))
            .fit(try model(inputs: 1, outputs: 1), optimizer: &hopeless, training: training)) { error in
            guard case TrainingError.diverged = error else { return XCTFail("\(error)") }
        }
    }

    func testDivergenceGuardDecodesWithoutGraceSteps() throws {
        let json = #"{"lossThreshold":4,"backoff":0.5,"maximumRollbacks":3}"#
        let decoded = try JSONDecoder().decode(DivergenceGuard.self, from: Data(json.utf8))
        XCTAssertEqual(decoded, DivergenceGuard(lossThreshold: 4, backoff: 0.5, maximumRollbacks: 3, graceSteps: 10))
        let roundTrip = try JSONDecoder().decode(DivergenceGuard.self, from: try JSONEncoder().encode(DivergenceGuard(graceSteps: 2)))
        XCTAssertEqual(roundTrip.graceSteps, 2)
        XCTAssertFalse(DivergenceGuard().isDiverged(loss: 100, best: 1, observedSteps: 10))
        XCTAssertTrue(DivergenceGuard().isDiverged(loss: 100, best: 1, observedSteps: 11))
        XCTAssertTrue(DivergenceGuard().isDiverged(loss: .infinity, best: 1, observedSteps: 1))
    }

    func testClassMissingFromTheTrainingPartAndConstantColumnsTrain() throws {
        // Class "z" has one row, held out for validation, so training never sees it; the constant
        // column "c" standardises to 0, not NaN.
        let data = try Dataset.parseCSV("a,c,y\n1,5,x\n2,5,x\n3,5,w\n4,5,w\n5,5,x\n6,5,w\n7,5,z\n", source: "rare.csv")
        XCTAssertEqual(data.targets.classNames, ["w", "x", "z"])
        var (training, validation) = (data.subset([0, 1, 2, 3, 4]), data.subset([5, 6]))
        XCTAssertEqual(training.targets.classIndices, [1, 1, 0, 0, 1])
        XCTAssertEqual(validation.targets.classIndices, [0, 2])
        let standardizer = try Standardizer(fitting: training.features)
        training = try standardizer.transform(training)
        validation = try standardizer.transform(validation)
        XCTAssertEqual(try training.features.slice(alongAxis: 1, 1..<2).scalars, [0, 0, 0, 0, 0])
        XCTAssertEqual(try validation.features.slice(alongAxis: 1, 1..<2).scalars, [0, 0])
        let network = try model(inputs: 2, outputs: 3)
        var optimizer = try Optimizer(Adam(), learningRate: 0.01)
        let history = try Trainer(configuration: TrainingConfiguration(epochs: 3, batchSize: 4))
            .fit(network, optimizer: &optimizer, training: training, validation: validation)
        XCTAssertEqual(history.count, 3)
        XCTAssertTrue(history.allSatisfy { $0.validationLoss?.isFinite == true && $0.validationMetric != nil })
    }

    func testHugeBatchSizeTrainsOnTheWholeSetAsOneBatch() throws {
        let data = try Dataset.parseCSV("a,y\n1,x\n2,z\n3,x\n4,z\n5,x\n6,z\n")
        let network = try model(inputs: 1, outputs: 2)
        var optimizer = try Optimizer(SGD(), learningRate: 0.1)
        let history = try Trainer(configuration: TrainingConfiguration(epochs: 2, batchSize: Int.max))
            .fit(network, optimizer: &optimizer, training: data, validation: data)
        XCTAssertEqual(history.map(\.step), [1, 2])
    }
}

final class RangeTestRobustnessTests: XCTestCase {
    func testInfiniteInitialLossBlamesTheDataNotTheRate() throws {
        // Targets of 3e38: the squared error overflows Float32 before any step.
        let features = try Tensor(shape: [4, 1], scalars: [1, 2, 3, 4])
        let data = try Dataset(features: features, targets: .values(Tensor([3e38, -3e38, 3e38, -3e38])))
        var generator = SeededGenerator(seed: 1)
        let model = Sequential([try Linear(1, 1, using: &generator)])
        let before = model.stateDictionary
        let test = try LearningRateRangeTest(iterations: 20, batchSize: 2)
        XCTAssertThrowsError(try test.run(model, optimizer: try Optimizer(SGD(), learningRate: 1), data: data)) { error in
            XCTAssertEqual(error as? TrainingError, .nonFiniteInitialLoss(loss: .infinity))
        }
        for (name, value) in model.stateDictionary { XCTAssertEqual(value.scalars, before[name]!.scalars, name) }
    }
}
