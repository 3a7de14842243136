/// Why a data-parallel job cannot start or go on; each message is one line that says what to do.
public enum DistributedError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Launched by `mpirun`, but no Open MPI library could be loaded.
    case openMPIAbsent(String)
    /// A libmpi or a launcher of another MPI (MPICH, Intel MPI): Descent speaks only to Open MPI.
    case otherMPI(String)
    /// A collective failed, usually because another process of the job died.
    case communicationFailed(operation: String, rank: Int, reason: String)

    public var description: String {
        switch self {
        case let .openMPIAbsent(message): return message
        case let .otherMPI(message): return message
        case let .communicationFailed(operation, rank, reason):
            return "rank \(rank): the \(operation) failed (\(reason)); another process of the job has probably died "
                + "(mpirun names it); the last checkpoint is intact: go on with --resume"
        }
    }
}
