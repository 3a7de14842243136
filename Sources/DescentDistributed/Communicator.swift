/// The reduction a collective applies element by element across processes.
public enum ReductionOperation: Sendable {
    case sum, maximum, minimum
}

/// The processes of one data-parallel job and the few collectives training needs: an in-place
/// all-reduce (every process ends with the element-wise sum, maximum or minimum over all
/// processes), a broadcast from one process, and a barrier.
///
/// `MPICommunicator` speaks to Open MPI (`mpirun -np N descent train …`);
/// `SingleProcessCommunicator` is the job of one process, in which every collective is the
/// identity, so code written for N processes runs unchanged in one.
///
/// ```swift
/// let communicator: any Communicator = try DataParallelLaunch.detect().communicator()
/// var sums: [Double] = [Double(communicator.rank), 1]
/// try communicator.allReduce(&sums, .sum)   // with 4 processes: [0 + 1 + 2 + 3, 4] = [6, 4]
/// ```
public protocol Communicator: AnyObject, Sendable {
    /// This process's number in `0..<size`; rank 0 writes the job's files.
    var rank: Int { get }
    /// The number of processes in the job (the world size).
    var size: Int { get }
    /// Reduces `values` across all processes in place.
    func allReduce(_ values: UnsafeMutableBufferPointer<Float>, _ operation: ReductionOperation) throws
    /// Reduces `values` across all processes in place.
    func allReduce(_ values: UnsafeMutableBufferPointer<Double>, _ operation: ReductionOperation) throws
    /// Copies `bytes` of process `root` into every other process's `bytes` (the same count everywhere).
    func broadcast(_ bytes: UnsafeMutableRawBufferPointer, from root: Int) throws
    /// Returns once every process has reached it.
    func barrier() throws
    /// A window of memory shared by all the job's processes when they all run on one machine (MPI-3
    /// `MPI_Win_allocate_shared`), else nil. Collective: every process calls it with the same size.
    func sharedMemoryWindow(bytesPerProcess: Int) throws -> SharedMemoryWindow?
}

extension Communicator {
    /// Whether this process is the one that writes checkpoints, logs, reports and the model file.
    public var isPrimary: Bool { rank == 0 }

    /// No shared memory by default: the all-reduce carries everything.
    public func sharedMemoryWindow(bytesPerProcess: Int) throws -> SharedMemoryWindow? { nil }

    /// `allReduce` of an array.
    public func allReduce(_ values: inout [Float], _ operation: ReductionOperation) throws {
        guard size > 1 else { return }
        try values.withUnsafeMutableBufferPointer { try allReduce($0, operation) }
    }

    /// `allReduce` of an array.
    public func allReduce(_ values: inout [Double], _ operation: ReductionOperation) throws {
        guard size > 1 else { return }
        try values.withUnsafeMutableBufferPointer { try allReduce($0, operation) }
    }

    /// Broadcasts numbers of equal count on every process from `root`.
    public func broadcast(_ values: inout [Double], from root: Int = 0) throws {
        guard size > 1 else { return }
        try values.withUnsafeMutableBytes { try broadcast($0, from: root) }
    }

    /// Broadcasts bytes whose count only `root` knows: the count first, then the bytes; every
    /// process returns with `root`'s bytes.
    public func broadcast(_ bytes: inout [UInt8], from root: Int = 0) throws {
        guard size > 1 else { return }
        var count = [Double(bytes.count)]
        try broadcast(&count, from: root)
        if rank != root { bytes = [UInt8](repeating: 0, count: Int(count[0])) }
        try bytes.withUnsafeMutableBytes { try broadcast($0, from: root) }
    }
}
