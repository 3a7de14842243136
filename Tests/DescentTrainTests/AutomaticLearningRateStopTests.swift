import DescentData
import DescentNN
import DescentOptim
import DescentTensor
import DescentTrain
import Foundation
import XCTest

/// A stop request (what SIGINT sets in `descent train`) ends `AutomaticLearningRate.choose` within a step, in the
/// range test's sweep and in the race, counted in the steps and epochs it ran; the model keeps its starting weights.
final class AutomaticLearningRateStopTests: XCTestCase {
    /// Asks `stop` to stop during its `limit`-th forward pass in training mode (the sweep's and the race's steps).
    private final class StopAfterForwardPasses: Module {
        var isTraining = true
        let inner: Sequential
        let stop: StopRequest
        let limit: Int
        private(set) var trainingPasses = 0

        init(_ inner: Sequential, stop: StopRequest, limit: Int) {
            self.inner = inner
            self.stop = stop
            self.limit = limit
        }

        func callAsFunction(_ input: Tensor) throws -> Tensor {
            if isTraining {
                trainingPasses += 1
                if trainingPasses == limit { stop.request(reason: "test") }
            }
            return try inner(input)
        }
    }

    private func iris() throws -> DatasetSplit {
        try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 0).standardized().split
    }

    private func network() throws -> Sequential {
        var generator = SeededGenerator(seed: 0)
        return Sequential([try Linear(4, 16, using: &generator), ReLU(), try Linear(16, 3, using: &generator)])
    }

    private func choose<Model: Module>(_ model: Model, split: DatasetSplit, stop: StopRequest,
                                       onOptimizer: @escaping () -> Void = {}) throws
        -> (choice: AutomaticLearningRate.Choice, checkpoint: TrainingCheckpoint<Adam>?) {
        let configuration = TrainingConfiguration(epochs: 16, batchSize: 32, seed: 0)
        let steps = 16 * ((split.train.count + 31) / 32)
        return try AutomaticLearningRate.choose(
            model: model, probe: try Optimizer(Adam(), learningRate: 1e-3), training: split.train, validation: split.validation,
            configuration: configuration, totalSteps: steps, family: .adaptive, momentum: 0, stopRequest: stop) { rate in
            onOptimizer()
            return try Optimizer(Adam(), learningRate: rate)
        }
    }

    /// Stopped during the 5th step of the sweep: that step ends, the 6th never starts (5 iterations, of the 100).
    func testAStopDuringTheSweepEndsItAfterTheStepInProgress() throws {
        let split = try iris()
        let stop = StopRequest()
        let model = StopAfterForwardPasses(try network(), stop: stop, limit: 5)
        let start = model.stateDictionary
        let (choice, checkpoint) = try choose(model, split: split, stop: stop)
        XCTAssertEqual(choice.interruption, AutomaticLearningRate.Interruption(stage: .rangeTest, sweepIterations: 5, reason: "test"))
        XCTAssertEqual(model.trainingPasses, 5, "no step after the one the stop came in")
        XCTAssertTrue(choice.learningRate.isNaN, "no rate was chosen")
        XCTAssertNil(checkpoint)
        XCTAssertNil(choice.candidates)
        XCTAssertEqual(model.stateDictionary.mapValues(\.scalars), start.mapValues(\.scalars), "the sweep's weights are put back")
    }

    /// Stopped as the race's second candidate is built: the first trained the first rung's epochs, no one else trained.
    func testAStopDuringTheRaceEndsItBeforeTheNextStep() throws {
        let split = try iris()
        let stop = StopRequest()
        let model = try network()
        let start = model.stateDictionary
        var built = 0
        let (choice, checkpoint) = try choose(model, split: split, stop: stop) {
            built += 1
            if built == 2 { stop.request(reason: "test") }
        }
        let interruption = try XCTUnwrap(choice.interruption)
        XCTAssertEqual(interruption.stage, .race)
        XCTAssertNil(interruption.sweepIterations)
        let candidates = try XCTUnwrap(choice.candidates)
        let firstRung = try XCTUnwrap(LearningRateRace.rungs(epochs: 16, candidates: candidates.count).first)
        if candidates[0].note?.contains("diverged") != true {
            XCTAssertEqual(candidates[0].epochsTrained, firstRung)
        }
        XCTAssertEqual(candidates.dropFirst().map(\.epochsTrained), Array(repeating: 0, count: candidates.count - 1))
        XCTAssertEqual(interruption.raceEpochs, candidates[0].epochsTrained)
        XCTAssertTrue(candidates[1].note?.contains("stopped during epoch 1") == true, candidates[1].note ?? "no note")
        XCTAssertEqual(built, 2, "no candidate after the stopped one is built")
        XCTAssertEqual(choice.rangeTestRate, choice.learningRate, "the range test's rate, no winner")
        XCTAssertNil(checkpoint)
        XCTAssertEqual(model.stateDictionary.mapValues(\.scalars), start.mapValues(\.scalars), "the race puts the weights back")
    }

    /// A stop already requested: nothing runs, and `TrainingRun` reports an interrupted, untrained run.
    func testAStopBeforeTheChoiceRunsNothingAndTrainingRunSaysInterrupted() throws {
        let stop = StopRequest()
        stop.request(reason: "SIGTERM")
        let split = try iris()
        let model = StopAfterForwardPasses(try network(), stop: stop, limit: .max)
        let (choice, _) = try choose(model, split: split, stop: stop)
        XCTAssertEqual(choice.interruption, AutomaticLearningRate.Interruption(stage: .rangeTest, sweepIterations: 0, reason: "SIGTERM"))
        XCTAssertEqual(model.trainingPasses, 0)

        var spec = RunSpecification(dataset: "iris")
        spec.learningRate = .automatic(chosen: nil)
        spec.epochs = 16
        var events = 0
        let trained = try TrainingRun(spec).train(stopRequest: stop) { _ in events += 1 }
        XCTAssertEqual(trained.outcome.status, .interrupted)
        XCTAssertEqual(trained.outcome.history.count, 0)
        XCTAssertEqual(events, 0)
        XCTAssertEqual(trained.automaticChoice?.interruption?.stage, .rangeTest)
        XCTAssertEqual(trained.specification.learningRate, .automatic(chosen: nil), "no rate was chosen to record")
    }
}
