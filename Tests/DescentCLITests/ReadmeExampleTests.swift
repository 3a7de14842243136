import Descent
import XCTest

/// The library example of README.md, verbatim, so the README cannot drift from the API.
final class ReadmeExampleTests: XCTestCase {
    func testReadmeLibraryExampleTrainsDigits() throws {
        var generator = SeededGenerator(seed: 0)
        let split = try Datasets.load(named: "digits").split(validationFraction: 0.2, seed: 0).standardized().split
        let model = Sequential {
            try! Linear(64, 64, using: &generator); ReLU(); try! Linear(64, 10, using: &generator)
        }
        let schedule = try ScheduleParser.parse("warmup(100) >> cosine", totalSteps: 900, baseLearningRate: 3e-3)
        var optimizer = try Optimizer(AdamW(), learningRate: 3e-3, weightDecay: 0.01, schedule: .schedule(schedule))
        let history = try Trainer(configuration: TrainingConfiguration(epochs: 20, batchSize: 32))
            .fit(model, optimizer: &optimizer, training: split.train, validation: split.validation)
        print(history.last!.validationMetric!)   // ≈ 0.98
        XCTAssertGreaterThanOrEqual(history.last!.validationMetric!, 0.95)
        XCTAssertEqual(optimizer.step, 900)   // 1,438 rows / 32 = 45 steps × 20 epochs
    }
}
