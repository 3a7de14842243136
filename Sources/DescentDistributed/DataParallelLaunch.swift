import Foundation

/// How this process was started, read from the environment the launcher sets: alone, or as one
/// rank of an Open MPI job (`mpirun` sets `OMPI_COMM_WORLD_SIZE`, `OMPI_COMM_WORLD_RANK`,
/// `OMPI_COMM_WORLD_LOCAL_SIZE`), or by another MPI's launcher (`PMI_SIZE`, `PMI_RANK`: MPICH,
/// Intel MPI), which is refused.
///
/// ```swift
/// // under `mpirun -np 4 --oversubscribe descent train …` on one machine:
/// let launch = DataParallelLaunch.detect()   // .openMPI(worldSize: 4, rank: 2, localSize: 4)
/// launch.threadsPerProcess(cores: 16)         // 4 = 16 cores ÷ 4 processes on this machine
/// ```
public enum DataParallelLaunch: Sendable, Equatable {
    case single
    case openMPI(worldSize: Int, rank: Int, localSize: Int)
    case otherMPI(worldSize: Int)

    /// The launch the environment describes (the process's own when nil).
    public static func detect(environment: [String: String]? = nil) -> DataParallelLaunch {
        let environment = environment ?? ProcessInfo.processInfo.environment
        func integer(_ key: String) -> Int? { environment[key].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        if let size = integer("OMPI_COMM_WORLD_SIZE"), size >= 1 {
            let rank = integer("OMPI_COMM_WORLD_RANK") ?? 0
            let local = integer("OMPI_COMM_WORLD_LOCAL_SIZE") ?? size
            return .openMPI(worldSize: size, rank: rank, localSize: Swift.max(1, local))
        }
        if let size = integer("PMI_SIZE") ?? integer("PMIX_SIZE"), size > 1 { return .otherMPI(worldSize: size) }
        return .single
    }

    /// The number of processes of the job.
    public var worldSize: Int {
        switch self {
        case .single: return 1
        case let .openMPI(size, _, _), let .otherMPI(size): return size
        }
    }

    /// Threads for each process: the machine's cores divided by the job's processes on this machine, at least 1.
    public func threadsPerProcess(cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        switch self {
        case .single, .otherMPI: return Swift.max(1, cores)
        case let .openMPI(_, _, local): return Swift.max(1, cores / local)
        }
    }

    /// The communicator of this launch: a single process's, or Open MPI's (loaded and initialised once).
    /// A job of one process under `mpirun -np 1` still uses MPI, so it behaves as the larger jobs do.
    /// - Throws: `DistributedError.openMPIAbsent` or `.otherMPI` when the launch cannot be served.
    public func communicator() throws -> any Communicator {
        switch self {
        case .single: return SingleProcessCommunicator()
        case let .otherMPI(size):
            throw DistributedError.otherMPI(
                "this process was started by an MPI launcher other than Open MPI's (PMI_SIZE=\(size)); "
                    + "Descent speaks only to Open MPI: start it with Open MPI's mpirun")
        case .openMPI: return try MPICommunicator.shared()
        }
    }
}
