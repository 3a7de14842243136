import CDescentMPI
import Foundation

/// The processes of an Open MPI job (`MPI_COMM_WORLD`), with Open MPI loaded at run time by the
/// `CDescentMPI` shim (dlopen of `libmpi.so.40`, then `libmpi.so`), so Descent builds and runs
/// without MPI and uses it when `mpirun` starts it.
///
/// MPI is initialised once per process (`MPI_Init_thread` with `MPI_THREAD_FUNNELED`: only the
/// thread that trains calls MPI; the worker pool's threads never do) and errors come back as
/// values (`MPI_ERRORS_RETURN`) and are thrown as `DistributedError.communicationFailed`.
/// `finalize()` must end a successful process and `abort(code:)` a failed one, so that no rank
/// waits alone in a collective.
///
/// ```swift
/// // mpirun -np 2 …
/// let world = try MPICommunicator.shared()
/// var gradient: [Float] = [1, 2, 3]
/// try world.allReduce(&gradient, .sum)     // [2, 4, 6] on both ranks
/// ```
public final class MPICommunicator: Communicator, @unchecked Sendable {
    public let rank: Int
    public let size: Int

    nonisolated(unsafe) private static var instance: MPICommunicator?
    private static let lock = NSLock()

    private init(rank: Int, size: Int) {
        self.rank = rank
        self.size = size
    }

    /// Loads Open MPI and initialises it, once per process.
    /// - Throws: `DistributedError.openMPIAbsent` (no libmpi), `.otherMPI` (a libmpi without Open MPI's handles),
    ///   `.communicationFailed` when `MPI_Init_thread` fails.
    public static func shared() throws -> MPICommunicator {
        lock.lock()
        defer { lock.unlock() }
        if let instance { return instance }
        var message = [CChar](repeating: 0, count: 1024)
        let status = descent_mpi_load(&message, message.count)
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch status {
        case DESCENT_MPI_LOADED: break
        case DESCENT_MPI_NOT_OPEN_MPI: throw DistributedError.otherMPI(text)
        default: throw DistributedError.openMPIAbsent(text)
        }
        try check(descent_mpi_initialize(), "MPI initialisation", rank: -1)
        var rank: Int32 = 0, size: Int32 = 1
        try check(descent_mpi_rank(&rank), "MPI_Comm_rank", rank: -1)
        try check(descent_mpi_size(&size), "MPI_Comm_size", rank: Int(rank))
        let communicator = MPICommunicator(rank: Int(rank), size: Int(size))
        let policy = WaitPolicy.choose()
        descent_mpi_set_sleeps_while_waiting(policy == .sleep ? 1 : 0)
        waitPolicy = policy
        instance = communicator
        return communicator
    }

    /// How a process waits in an all-reduce for the others.
    public enum WaitPolicy: String, Sendable {
        /// `MPI_Allreduce`: Open MPI polls while it waits. The fast one when every process has a core of its own
        /// (784-256-10 MLP's 203,530 floats on 2 cores: 0.11–0.17 ms).
        case spin
        /// `MPI_Iallreduce` tested with 50 µs sleeps in between: slower (the same sum 1.2–1.5 ms), but it leaves the
        /// core to the process waited for when processes outnumber cores.
        case sleep

        /// `DESCENT_MPI_WAIT=spin|sleep` when set; otherwise `sleep` when `mpirun` started more processes on this
        /// machine (`OMPI_COMM_WORLD_LOCAL_SIZE`) than it has cores, else `spin`.
        public static func choose(environment: [String: String] = ProcessInfo.processInfo.environment,
                                  cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> WaitPolicy {
            if let named = environment["DESCENT_MPI_WAIT"].flatMap(WaitPolicy.init(rawValue:)) { return named }
            let local = environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 1
            return local > cores ? .sleep : .spin
        }
    }

    /// The wait policy of this process's all-reduces (`spin` before `shared()`).
    nonisolated(unsafe) public private(set) static var waitPolicy = WaitPolicy.spin

    /// Whether MPI is initialised in this process (and not yet finalised).
    public static var isActive: Bool { descent_mpi_is_initialized() != 0 }

    /// The library's own name for itself ("Open MPI v4.1.4, …"); empty before `shared()`.
    public static var libraryVersion: String {
        var text = [CChar](repeating: 0, count: 512)
        descent_mpi_library_version(&text, text.count)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sets `request` when SIGINT or SIGTERM arrives (a second one exits at once with 128 + its number), checked
    /// every 10 ms by a thread of its own. Under Open MPI neither dispatch signal sources nor dispatch timers fire
    /// in the ranks (measured with Open MPI 4.1: the handler ran, the source's block never did), so a plain
    /// sigaction handler records the signal and a plain thread passes it on.
    public static func watchStopSignals(_ request: @escaping @Sendable (String) -> Void) {
        descent_watch_stop_signals()
        let thread = Thread {
            while true {
                let number = descent_stop_signal()
                if number != 0 {
                    request(number == SIGINT ? "SIGINT" : "SIGTERM")
                    return
                }
                usleep(10_000)
            }
        }
        thread.start()
    }

    /// Ends MPI in a process that succeeded (all ranks call it); nothing if MPI was never initialised.
    public static func finalize() { _ = descent_mpi_finalize() }

    /// Ends every process of the job with `code` (a rank that failed on its own: no peer waits forever).
    public static func abort(code: Int32) { if isActive { _ = descent_mpi_abort(code) } }

    public func allReduce(_ values: UnsafeMutableBufferPointer<Float>, _ operation: ReductionOperation) throws {
        guard let base = values.baseAddress, values.count > 0 else { return }
        try Self.check(descent_mpi_allreduce_float(base, values.count, Self.code(operation)), "all-reduce", rank: rank)
    }

    public func allReduce(_ values: UnsafeMutableBufferPointer<Double>, _ operation: ReductionOperation) throws {
        guard let base = values.baseAddress, values.count > 0 else { return }
        try Self.check(descent_mpi_allreduce_double(base, values.count, Self.code(operation)), "all-reduce", rank: rank)
    }

    public func broadcast(_ bytes: UnsafeMutableRawBufferPointer, from root: Int) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        try Self.check(descent_mpi_broadcast_bytes(base, bytes.count, Int32(root)), "broadcast", rank: rank)
    }

    public func barrier() throws { try Self.check(descent_mpi_barrier(), "barrier", rank: rank) }

    /// The processes of the job that share this machine's memory (`MPI_Comm_split_type(MPI_COMM_TYPE_SHARED)`).
    public func processesOnThisMachine() throws -> Int {
        var count: Int32 = 1
        try Self.check(descent_mpi_node_size(&count), "MPI_Comm_split_type", rank: rank)
        return Int(count)
    }

    /// One MPI-3 shared window over the job when every process is on this machine (nil when some are elsewhere,
    /// the library lacks MPI-3's functions, or the window cannot be made on some process — e.g. under
    /// `--mca osc pt2pt`, whose windows are not shared memory: the processes agree on it with an all-reduce).
    /// One window is kept for the process's life and reused while large enough; asking for more replaces it
    /// (collectively).
    public func sharedMemoryWindow(bytesPerProcess: Int) throws -> SharedMemoryWindow? {
        guard size > 1, bytesPerProcess > 0, try processesOnThisMachine() == size else { return nil }
        var bases = [UnsafeMutableRawPointer?](repeating: nil, count: size)
        var capacity = 0
        let status = descent_mpi_shared_window(bytesPerProcess, &bases, Int32(size), &capacity)
        let parts = bases.compactMap { $0 }
        var failed = [status == 0 && parts.count == size ? 0.0 : 1.0]
        try allReduce(&failed, .maximum)
        guard failed[0] == 0 else { return nil }
        let rank = rank
        return SharedMemoryWindow(parts: parts, bytesPerProcess: capacity) {
            try Self.check(descent_mpi_shared_synchronize(), "shared-window synchronisation", rank: rank)
        }
    }

    private static func code(_ operation: ReductionOperation) -> Int32 {
        switch operation {
        case .sum: return DESCENT_MPI_SUM
        case .maximum: return DESCENT_MPI_MAX
        case .minimum: return DESCENT_MPI_MIN
        }
    }

    private static func check(_ status: Int32, _ operation: String, rank: Int) throws {
        guard status != 0 else { return }
        var text = [CChar](repeating: 0, count: 512)
        descent_mpi_error_text(status, &text, text.count)
        throw DistributedError.communicationFailed(
            operation: operation, rank: rank,
            reason: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
