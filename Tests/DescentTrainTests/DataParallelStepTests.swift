@testable import DescentTrain
import XCTest

/// How a global batch is cut into the processes' shards.
final class DataParallelStepTests: XCTestCase {
    /// Rank r takes rows ⌊r·n/N⌋ ..< ⌊(r+1)·n/N⌋: the shards tile the batch, differ by at most one row,
    /// and an uneven last batch smaller than N leaves some shards empty.
    func testShardsTileTheGlobalBatch() {
        XCTAssertEqual((0..<4).map { DataParallelStep.shard(of: 0..<10, rank: $0, size: 4) }, [0..<2, 2..<5, 5..<7, 7..<10])
        XCTAssertEqual((0..<2).map { DataParallelStep.shard(of: 64..<96, rank: $0, size: 2) }, [64..<80, 80..<96])
        XCTAssertEqual((0..<4).map { DataParallelStep.shard(of: 30..<32, rank: $0, size: 4).count }, [0, 1, 0, 1])
        for size in 1...7 {
            for count in 0...20 {
                let shards = (0..<size).map { DataParallelStep.shard(of: 5..<(5 + count), rank: $0, size: size) }
                XCTAssertEqual(shards.map(\.count).reduce(0, +), count)
                XCTAssertEqual(shards.first?.lowerBound, 5)
                XCTAssertEqual(shards.last?.upperBound, 5 + count)
                XCTAssertLessThanOrEqual((shards.map(\.count).max() ?? 0) - (shards.map(\.count).min() ?? 0), 1)
            }
        }
    }
}

/// Which way the gradients are summed, as `DESCENT_MPI_REDUCE` asks.
final class GradientReductionTests: XCTestCase {
    func testTheEnvironmentChoosesTheAllReduceOrTheSharedWindow() {
        XCTAssertEqual(GradientReduction.requested(environment: [:]), .sharedWindow)
        XCTAssertEqual(GradientReduction.requested(environment: ["DESCENT_MPI_REDUCE": "allreduce"]), .allReduce)
        XCTAssertEqual(GradientReduction.requested(environment: ["DESCENT_MPI_REDUCE": "AllReduce"]), .allReduce)
        XCTAssertEqual(GradientReduction.requested(environment: ["DESCENT_MPI_REDUCE": "shared"]), .sharedWindow)
        XCTAssertEqual(GradientReduction.allReduce.rawValue, "allreduce")
        XCTAssertEqual(GradientReduction.sharedWindow.rawValue, "shared_window")
    }
}
