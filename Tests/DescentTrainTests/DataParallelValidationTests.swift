import DescentData
import DescentDistributed
import DescentNN
import DescentOptim
import DescentTensor
@testable import DescentTrain
import Foundation
import XCTest

/// The validation set evaluated in shards by the processes of a data-parallel job (threads sharing a
/// `ThreadGroupCommunicator`): the loss and metric must be those of one process evaluating every row, on every process.
final class DataParallelValidationTests: XCTestCase {
    /// Runs `body` on `processes` threads, each with its communicator, and returns each rank's result.
    private func onRanks<Result>(_ processes: Int, _ body: @escaping @Sendable (any Communicator) throws -> Result) throws -> [Result] {
        let group = ThreadGroup(size: processes)
        nonisolated(unsafe) var results = [Result?](repeating: nil, count: processes)
        nonisolated(unsafe) var failures: [Error] = []
        let lock = NSLock()
        let done = DispatchGroup()
        for rank in 0..<processes {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                do {
                    let result = try body(ThreadGroupCommunicator(group: group, rank: rank))
                    lock.withLock { results[rank] = result }
                } catch {
                    lock.withLock { failures.append(error) }
                }
            }
            thread.start()
        }
        done.wait()
        if let failure = failures.first { throw failure }
        return try results.map { try XCTUnwrap($0) }
    }

    private static func model(inputs: Int, outputs: Int) throws -> Sequential {
        var generator = SeededGenerator(seed: 3)
        return Sequential([try Linear(inputs, 16, using: &generator), ReLU(), try Linear(16, outputs, using: &generator)])
    }

    /// The digits' 360 validation rows (accuracy) and the diabetes set's 89 (R²), on 2, 3 and 4 processes (89 rows on 4:
    /// shards of 22 and 23), against `evaluate` on one process with the same weights.
    func testShardedValidationGivesTheOneProcessLossAndMetric() throws {
        for name in ["digits", "diabetes"] {
            let split = try Datasets.load(named: name).split(validationFraction: 0.2, seed: 1).standardized().split
            let validation = split.validation
            let objective = Objective(for: validation)
            let reference = try Self.model(inputs: validation.featureCount, outputs: objective.outputSize)
            var optimizer = try Optimizer(Adam(), learningRate: 1e-3)
            let expected = try Trainer(configuration: TrainingConfiguration(epochs: 1, batchSize: 8))
                .evaluate(reference, optimizer: &optimizer, on: validation, objective: objective)
            XCTAssertTrue(expected.loss.isFinite && expected.metric.isFinite, name)
            for processes in [2, 3, 4] {
                let results = try onRanks(processes) { communicator in
                    let local = try Self.model(inputs: validation.featureCount, outputs: objective.outputSize)
                    var optimizer = try Optimizer(Adam(), learningRate: 1e-3)
                    let trainer = Trainer(configuration: TrainingConfiguration(epochs: 1, batchSize: 8), communicator: communicator)
                    XCTAssertTrue(trainer.shardsEvaluation(of: local))
                    return try trainer.evaluateInShards(local, optimizer: &optimizer, on: validation, objective: objective)
                }
                for (rank, result) in results.enumerated() {
                    XCTAssertEqual(result.loss, expected.loss, accuracy: 1e-6 * abs(expected.loss), "\(name), \(processes) processes, rank \(rank)")
                    XCTAssertEqual(result.metric, expected.metric, accuracy: 1e-6 * abs(expected.metric), "\(name), \(processes) processes")
                    XCTAssertEqual(result.loss.bitPattern, results[0].loss.bitPattern, "every rank decides on the same loss")
                    XCTAssertEqual(result.metric.bitPattern, results[0].metric.bitPattern)
                }
            }
        }
    }

    /// Training with validation: 2 processes with batch 16 follow one with batch 32 epoch by epoch (validation loss within
    /// the rounding of the gradient sums), and both processes record the same history, bit for bit.
    func testTrainingWithShardedValidationFollowsOneProcess() throws {
        let split = try Datasets.load(named: "digits").split(validationFraction: 0.2, seed: 1).standardized().split
        @Sendable func train(_ communicator: any Communicator, batch: Int) throws -> [TrainingRecord] {
            let local = try Self.model(inputs: split.train.featureCount, outputs: 10)
            var optimizer = try Optimizer(Adam(), learningRate: 1e-3)
            return try Trainer(configuration: TrainingConfiguration(epochs: 3, batchSize: batch, seed: 1), communicator: communicator)
                .fit(local, optimizer: &optimizer, training: split.train, validation: split.validation)
        }
        let single = try train(SingleProcessCommunicator(), batch: 32)
        let histories = try onRanks(2) { try train($0, batch: 16) }
        XCTAssertEqual(histories[0].count, single.count)
        for (one, many) in zip(single, histories[0]) {
            let expected = try XCTUnwrap(one.validationLoss), actual = try XCTUnwrap(many.validationLoss)
            XCTAssertEqual(actual, expected, accuracy: 1e-4 * expected, "epoch \(one.epoch)")
            XCTAssertEqual(try XCTUnwrap(many.validationMetric), try XCTUnwrap(one.validationMetric), accuracy: 0.01)
        }
        XCTAssertEqual(histories[0].map { $0.validationLoss?.bitPattern }, histories[1].map { $0.validationLoss?.bitPattern })
        XCTAssertEqual(histories[0].map { $0.validationMetric?.bitPattern }, histories[1].map { $0.validationMetric?.bitPattern })
    }
}
