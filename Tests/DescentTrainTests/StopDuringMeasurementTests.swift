import DescentData
import DescentNN
import DescentOptim
import DescentTensor
import DescentTrain
import Foundation
import XCTest

/// A stop request set part-way through a long measurement ends it within one gradient: the sharpness tracked
/// during training (the run then ends interrupted, checkpointed after the step it had done), the stability ceiling
/// and the gradient noise scale (both throw `StopRequest.Stopped`). Counted in forward passes, never in time.
final class StopDuringMeasurementTests: XCTestCase {
    /// Counts forward passes and asks `stop` to stop during the `limit`-th.
    private final class CountingModel: Module {
        var isTraining = true
        let inner: Sequential
        let stop: StopRequest
        let limit: Int
        private(set) var passes = 0

        init(stop: StopRequest, limit: Int) throws {
            var generator = SeededGenerator(seed: 0)
            inner = Sequential([try Linear(4, 16, using: &generator), ReLU(), try Linear(16, 3, using: &generator)])
            self.stop = stop
            self.limit = limit
        }

        func callAsFunction(_ input: Tensor) throws -> Tensor {
            passes += 1
            if passes == limit { stop.request(reason: "test") }
            return try inner(input)
        }
    }

    private func iris() throws -> DatasetSplit {
        try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 0).standardized().split
    }

    /// Sharpness after every step: the stop comes inside the first measurement (the run's third forward pass: the
    /// guard's starting loss, step 1, then the measurement), which ends at its next Hessian-vector product.
    func testAStopInsideASharpnessMeasurementEndsTheRunThere() throws {
        let split = try iris()
        let stop = StopRequest()
        let model = try CountingModel(stop: stop, limit: 3)
        var configuration = TrainingConfiguration(epochs: 3, batchSize: 32, seed: 0)
        configuration.sharpnessTracking = try SharpnessTracking(interval: 1)
        var optimizer = try Optimizer(Adam(), learningRate: 1e-3)
        var saved: [TrainingCheckpoint<Adam>] = []
        var measured = 0
        let outcome = try Trainer(configuration: configuration).run(
            model, optimizer: &optimizer, training: split.train, validation: split.validation, stopRequest: stop,
            saveCheckpoint: { saved.append($0) }) { event in
                if case .sharpnessMeasured = event { measured += 1 }
            }
        XCTAssertEqual(outcome.status, .interrupted)
        XCTAssertEqual(measured, 0, "the measurement cut short is not reported")
        XCTAssertEqual(optimizer.step, 1, "no step after the stop")
        // A Hessian-vector product is two gradients (two forward passes): at most one more after the stop's.
        XCTAssertLessThanOrEqual(model.passes, 3 + 2, "a full measurement takes up to 120 passes")
        XCTAssertEqual(saved.count, 1)
        XCTAssertEqual(saved.first?.optimizer.step, 1, "the checkpoint holds the step that was done")
        XCTAssertTrue(model.isTraining)
    }

    func testAStopInsideTheStabilityCeilingAndTheNoiseScaleThrowsStopped() throws {
        let split = try iris()
        let stop = StopRequest()
        let model = try CountingModel(stop: stop, limit: 2)
        let start = model.stateDictionary
        XCTAssertThrowsError(try StabilityCeiling.estimate(model: model, data: split.train, stopRequest: stop)) { error in
            XCTAssertEqual((error as? StopRequest.Stopped)?.reason, "test")
        }
        XCTAssertLessThanOrEqual(model.passes, 2, "no gradient after the stop's (a full estimate takes up to 200)")
        XCTAssertEqual(model.stateDictionary.mapValues(\.scalars), start.mapValues(\.scalars), "the weights are put back")

        let noise = StopRequest()
        let counted = try CountingModel(stop: noise, limit: 3)
        XCTAssertThrowsError(try GradientNoiseScale.measure(model: counted, data: split.train, smallBatch: 8, bigBatch: 32,
                                                            pairs: 16, stopRequest: noise)) { error in
            XCTAssertTrue(error is StopRequest.Stopped, "\(error)")
        }
        XCTAssertEqual(counted.passes, 4, "the pair in progress ends (2 passes a pair), no further pair starts (16 would be 32)")
    }
}
