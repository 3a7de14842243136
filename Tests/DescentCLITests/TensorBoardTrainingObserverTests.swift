@testable import DescentCLI
@testable import DescentCLITrain
import Descent
import Foundation
import XCTest

/// The training events as TensorBoard scalars: tags, steps, and a rollback shown as a restart.
final class TensorBoardTrainingObserverTests: XCTestCase {
    func testEventsBecomeScalarsAndARollbackRestartsAtTheRestoredStep() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tb-observer-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let observer = try TensorBoardTrainingObserver(directory: directory, metricName: "accuracy")
        let events: [TrainingEvent] = [
            .stepEnded(step: 1, loss: 2, learningRate: 0.5),
            .stepEnded(step: 2, loss: 1, learningRate: 0.5),
            .epochEnded(TrainingRecord(epoch: 1, step: 2, learningRate: 0.5, trainingLoss: 1.5, validationLoss: 1.25, validationMetric: 0.5)),
            .stepEnded(step: 3, loss: 1e9, learningRate: 0.5),
            .rolledBack(step: 4, loss: .infinity, rateScale: 0.5),
            .stepEnded(step: 3, loss: 0.75, learningRate: 0.25),
        ]
        for event in events { try observer.record(event) }
        try observer.finish()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: observer.writer.path)))
        let read = try TFRecord.records(in: bytes).map(TensorBoardEvent.init(decoding:))
        let described = read.map { event -> String in
            switch event.content {
            case let .fileVersion(version): return version
            case .sessionStart: return "restart@\(event.step)"
            case let .scalars(scalars): return "\(event.step): " + scalars.map { "\($0.tag)=\($0.value)" }.joined(separator: " ")
            }
        }
        XCTAssertEqual(described, [
            "brain.Event:2",
            "1: training/loss=2.0 training/learning_rate=0.5",
            "2: training/loss=1.0 training/learning_rate=0.5",
            "2: epoch/training_loss=1.5 epoch/learning_rate=0.5 epoch/validation_loss=1.25 epoch/validation_accuracy=0.5",
            "3: training/loss=1e+09 training/learning_rate=0.5",
            "restart@3",
            "3: training/loss=0.75 training/learning_rate=0.25 guard/rate_scale=0.5",
        ])
    }
}
