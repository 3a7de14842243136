import DescentData
import DescentDistributed
import DescentNN
import DescentOptim
import DescentTensor
@testable import DescentTrain
import Foundation
import XCTest

/// The data-parallel step with class weights: N processes (threads sharing a `ThreadGroupCommunicator`) with
/// batch B must follow one process with batch N·B, whose weighted loss Σ w_y ℓ / Σ w_y has its own closed-form
/// test (`ClassWeightTests`). Each process's mean gradient enters the global one with the weight sum of its shard,
/// not its example count: shards with different class mixes would otherwise pull the average the wrong way.
final class DataParallelClassWeightTests: XCTestCase {
    /// 62 rows, 3 classes of 44, 13 and 5 rows (weights 0.47, 1.59, 4.13), 4 features; the last global batch of 2
    /// leaves a shard empty with 3 processes.
    private func data() throws -> Dataset {
        var generator = SeededGenerator(seed: 7)
        let labels = (0..<62).map { $0 % 12 == 0 ? 2 : ($0 % 5 == 1 ? 1 : 0) }
        var features: [Float] = []
        for label in labels {
            for column in 0..<4 { features.append(Float.random(in: -1...1, using: &generator) + (column == label ? 1 : 0)) }
        }
        return try Dataset(features: try Tensor(shape: [62, 4], scalars: features), targets: .classes(labels, names: ["a", "b", "c"]))
    }

    private func train(processes: Int, batch: Int, classWeights: [Float]?, on data: Dataset) throws -> [String: [Float]] {
        var settings = TrainingConfiguration(epochs: 3, batchSize: batch, seed: 1)
        settings.classWeights = classWeights
        let configuration = settings
        let group = ThreadGroup(size: processes)
        nonisolated(unsafe) var results = [[String: [Float]]?](repeating: nil, count: processes)
        nonisolated(unsafe) var failures: [Error] = []
        let lock = NSLock()
        let done = DispatchGroup()
        for rank in 0..<processes {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                do {
                    // Each rank draws its own weights; the trainer starts every rank from rank 0's.
                    var generator = SeededGenerator(seed: 1 + UInt64(rank))
                    let model = Sequential([try Linear(4, 8, using: &generator), ReLU(), try Linear(8, 3, using: &generator)])
                    var optimizer = try Optimizer(SGD(), learningRate: 0.3)
                    let communicator: any Communicator = processes == 1
                        ? SingleProcessCommunicator() : ThreadGroupCommunicator(group: group, rank: rank)
                    _ = try Trainer(configuration: configuration, communicator: communicator)
                        .run(model, optimizer: &optimizer, training: data)
                    let weights = model.stateDictionary.mapValues(\.scalars)
                    lock.withLock { results[rank] = weights }
                } catch {
                    lock.withLock { failures.append(error) }
                }
            }
            thread.start()
        }
        done.wait()
        if let failure = failures.first { throw failure }
        let first = try XCTUnwrap(results[0])
        for other in results.dropFirst() { XCTAssertEqual(try XCTUnwrap(other), first, "every process ends with the same weights") }
        return first
    }

    private func largestDifference(_ a: [String: [Float]], _ b: [String: [Float]]) -> Float {
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        return a.keys.map { name in zip(a[name] ?? [], b[name] ?? []).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
    }

    func testClassWeightedProcessesFollowOneProcessWithTheGlobalBatch() throws {
        let data = try data()
        guard case let .classes(labels, _) = data.targets else { return XCTFail("classification data expected") }
        let weights = Objective.balancedClassWeights(labels: labels, classes: 3)
        let one = try train(processes: 1, batch: 12, classWeights: weights, on: data)
        let two = try train(processes: 2, batch: 6, classWeights: weights, on: data)
        let three = try train(processes: 3, batch: 4, classWeights: weights, on: data)
        XCTAssertLessThan(largestDifference(two, one), 1e-5)
        XCTAssertLessThan(largestDifference(three, one), 1e-5)
        // The weights matter here: the unweighted runs end elsewhere, and agree among themselves.
        let unweighted = try train(processes: 1, batch: 12, classWeights: nil, on: data)
        XCTAssertGreaterThan(largestDifference(unweighted, one), 1e-2)
        XCTAssertLessThan(largestDifference(try train(processes: 2, batch: 6, classWeights: nil, on: data), unweighted), 1e-5)
    }
}
