import DescentDistributed
import Foundation

/// The processes of a data-parallel job played by threads of one test process: every collective is an
/// exchange of each rank's bytes, reduced in rank order. Lets the trainer's N-process path run (and be
/// compared with one process) without Open MPI.
///
/// ```swift
/// let group = ThreadGroup(size: 2)
/// // on thread r: Trainer(configuration: …, communicator: ThreadGroupCommunicator(group: group, rank: r))
/// ```
final class ThreadGroup: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var slots: [[UInt8]]
    private var arrived = 0
    private var generation = 0
    private var finished: [[UInt8]] = []

    init(size: Int) {
        self.size = size
        slots = Array(repeating: [], count: size)
    }

    /// Every rank's bytes, once every rank has given its own. The result of one exchange stays readable until
    /// every rank has entered the next one, which a rank does only after reading it.
    func exchange(rank: Int, _ bytes: [UInt8]) -> [[UInt8]] {
        condition.lock()
        defer { condition.unlock() }
        let mine = generation
        slots[rank] = bytes
        arrived += 1
        if arrived == size {
            finished = slots
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == mine { condition.wait() }
        }
        return finished
    }
}

final class ThreadGroupCommunicator: Communicator, @unchecked Sendable {
    let group: ThreadGroup
    let rank: Int
    var size: Int { group.size }

    init(group: ThreadGroup, rank: Int) {
        self.group = group
        self.rank = rank
    }

    private func reduce<Scalar: BinaryFloatingPoint>(_ values: UnsafeMutableBufferPointer<Scalar>, _ operation: ReductionOperation) {
        let all = group.exchange(rank: rank, Array(UnsafeRawBufferPointer(values)))
        let contributions = all.map { bytes in bytes.withUnsafeBytes { Array($0.bindMemory(to: Scalar.self)) } }
        for index in values.indices {
            var result = contributions[0][index]
            for other in contributions.dropFirst() {
                switch operation {
                case .sum: result += other[index]
                case .maximum: result = Swift.max(result, other[index])
                case .minimum: result = Swift.min(result, other[index])
                }
            }
            values[index] = result
        }
    }

    func allReduce(_ values: UnsafeMutableBufferPointer<Float>, _ operation: ReductionOperation) throws { reduce(values, operation) }
    func allReduce(_ values: UnsafeMutableBufferPointer<Double>, _ operation: ReductionOperation) throws { reduce(values, operation) }

    func broadcast(_ bytes: UnsafeMutableRawBufferPointer, from root: Int) throws {
        let all = group.exchange(rank: rank, Array(UnsafeRawBufferPointer(bytes)))
        all[root].withUnsafeBytes { bytes.copyMemory(from: $0) }
    }

    func barrier() throws { _ = group.exchange(rank: rank, []) }
}
