import Foundation

/// How a data-parallel step sums the processes' gradients.
///
/// - `sharedWindow`: when every process runs on one machine, through an MPI-3 shared-memory window:
///   each process writes its scaled gradient into its part, one synchronisation (`MPI_Win_sync`, a
///   barrier, `MPI_Win_sync`), then each reads all parts and adds them in rank order (so all processes
///   hold the same bits). Two passes over memory, no messages.
/// - `allReduce`: `MPI_Allreduce` (the only way across machines).
///
/// `DESCENT_MPI_REDUCE=allreduce` forces the second on one machine (for comparison, or to simulate
/// several machines with `--mca btl tcp,self`); `shared` (the default) uses the window where it can.
///
/// ```swift
/// GradientReduction.requested(environment: ["DESCENT_MPI_REDUCE": "allreduce"])   // .allReduce
/// GradientReduction.requested(environment: [:])                                     // .sharedWindow
/// ```
public enum GradientReduction: String, Sendable, Equatable {
    case sharedWindow = "shared_window"
    case allReduce = "allreduce"

    /// The reduction asked for by `DESCENT_MPI_REDUCE` (`shared` or `allreduce`; anything else: the default,
    /// the shared window where every process is on one machine).
    public static func requested(environment: [String: String] = ProcessInfo.processInfo.environment) -> GradientReduction {
        environment["DESCENT_MPI_REDUCE"]?.lowercased() == "allreduce" ? .allReduce : .sharedWindow
    }
}
