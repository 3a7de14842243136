import DescentData
import DescentNN
import DescentOptim
import DescentTensor
@testable import DescentTrain
import XCTest

/// Scoring a data set a chunk at a time gives the outputs, loss and metric of one pass over all rows.
final class ChunkedForwardTests: XCTestCase {
    func testChunkedOutputsEqualOnePassOnDigits() throws {
        let data = try Datasets.load(named: "digits")
        var generator = SeededGenerator(seed: 3)
        let model = try Sequential { try Linear(64, 32, using: &generator); ReLU(); try Linear(32, 10, using: &generator) }
        model.eval()
        let whole = try model(data.features)
        for rows in [1, 7, 1_000, 1_796, 1_797, 5_000] {
            let chunked = try outputsInChunks(of: model, data.features, rowsAtATime: rows)
            XCTAssertEqual(chunked.shape, [1_797, 10])
            let difference = zip(whole.scalars, chunked.scalars).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(difference, 1e-5, "\(rows) rows at a time")
        }
    }

    func testTheTrainersEvaluationOfMoreRowsThanOneChunkMatchesOnePass() throws {
        let data = try Datasets.load(named: "digits")
        XCTAssertGreaterThan(data.count, evaluationRowsAtATime, "the test needs more rows than one chunk")
        var generator = SeededGenerator(seed: 4)
        let model = try Sequential { try Linear(64, 16, using: &generator); ReLU(); try Linear(16, 10, using: &generator) }
        var optimizer = try Optimizer(Adam(), learningRate: 0.01)
        let objective = Objective(for: data)
        let (loss, metric) = try Trainer(configuration: TrainingConfiguration(epochs: 1, batchSize: 32))
            .evaluate(model, optimizer: &optimizer, on: data, objective: objective)
        let outputs = try model(data.features)
        XCTAssertEqual(loss, Double(try objective.loss(outputs, data.targets).item), accuracy: 1e-6 * abs(loss))
        XCTAssertEqual(metric, try objective.metric(outputs, data.targets), accuracy: 1e-12)
    }
}
