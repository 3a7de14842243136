import CDescentMPI

/// Memory that every process of a job on one machine can read and write: an MPI-3 shared-memory window
/// (`MPI_Win_allocate_shared` over `MPI_Comm_split_type(MPI_COMM_TYPE_SHARED)`), with each process's part
/// (`parts[r]`, at least the bytes asked for) and the one synchronisation that makes stores visible:
/// `synchronize()` = `MPI_Win_sync`, a barrier over the machine's processes, `MPI_Win_sync`.
///
/// With it an all-reduce is two passes over memory instead of messages: each process writes its
/// values into its own part, synchronises, and reads every part (in rank order, so all processes add
/// the same numbers in the same order and get the same bits).
///
/// ```swift
/// // mpirun -np 2 … on one machine
/// if let window = try communicator.sharedMemoryWindow(bytesPerProcess: 8) {
///     window.parts[communicator.rank].storeBytes(of: Double(communicator.rank + 1), as: Double.self)
///     try window.synchronize()
///     let sum = window.parts.reduce(0.0) { $0 + $1.load(as: Double.self) }   // 1 + 2 = 3 on both processes
/// }
/// ```
public final class SharedMemoryWindow: @unchecked Sendable {
    /// Process r's part of the window, `bytesPerProcess` or more, in the address space of this process.
    public let parts: [UnsafeMutableRawPointer]
    /// The bytes of each part (at least those asked for: the window MPI keeps may be larger). The same window, of
    /// the same size, serves every later request that fits, until a larger one replaces it.
    public let bytesPerProcess: Int
    private let synchronization: () throws -> Void

    public init(parts: [UnsafeMutableRawPointer], bytesPerProcess: Int, synchronize: @escaping () throws -> Void) {
        self.parts = parts
        self.bytesPerProcess = bytesPerProcess
        synchronization = synchronize
    }

    /// Returns once every process has called it; every store into the window made before the call, by any
    /// process, is visible to every process after it. Collective over the job's processes.
    public func synchronize() throws { try synchronization() }

    /// Writes `factor × values[i]` to `target[i]` (in a part of the window) with streaming stores, which skip the
    /// caches: the target's lines need not be fetched first (from the core of another process that read them
    /// last), and the other processes read the values next anyway. Returns Σ values[i]². 800 KB on 2 cores:
    /// 0.035–0.07 ms, against 0.35–0.45 ms with plain stores. A C kernel in AVX-512, AVX2 or baseline form, the
    /// widest this processor runs (`kernelLevel`); `level` picks a narrower variant, for tests.
    public static func store(_ values: UnsafeBufferPointer<Float>, scaledBy factor: Float, into target: UnsafeMutablePointer<Float>,
                             level: Int? = nil) -> Double {
        precondition(level.map { (0...kernelLevel).contains($0) } ?? true, "a kernel level this processor runs")
        guard let base = values.baseAddress, !values.isEmpty else { return 0 }
        if let level { return descent_streaming_scaled_copy_at_level(Int32(level), base, target, values.count, factor) }
        return descent_streaming_scaled_copy(base, target, values.count, factor)
    }

    /// Writes Σ_k sources[k][i] × scales[k] to `target[i]`, k in rank order, each product and each addition rounded
    /// to Float (no fused multiply-add: the bits of `MPI_Allreduce`'s sum of the pre-scaled parts; a scale of 1 is
    /// exact), where `target` may be one of the sources; returns Σ target[i]² (Float lanes within blocks of 1,024
    /// elements, Double across blocks) and whether every target[i] is finite. Every process of a job on one machine
    /// runs the same variant and adds the same numbers in the same order: the same bits.
    ///
    ///     // two parts, the second scaled by its share 0.25: target = [1 + 4 × 0.25, 2 + 8 × 0.25] = [2, 4]
    ///     SharedMemoryWindow.sumInRankOrder([first, second], scaledBy: [1, 0.25], count: 2, into: first)   // (20, true)
    ///
    /// A C kernel (AVX-512, AVX2 or baseline, as `kernelLevel` says); `level` picks a narrower variant, for tests.
    public static func sumInRankOrder(_ sources: [UnsafePointer<Float>], scaledBy scales: [Float], count: Int,
                                      into target: UnsafeMutablePointer<Float>, level: Int? = nil) -> (normSquared: Double, finite: Bool) {
        precondition(sources.count == scales.count && !sources.isEmpty, "one scale per source")
        precondition(level.map { (0...kernelLevel).contains($0) } ?? true, "a kernel level this processor runs")
        guard count > 0 else { return (0, true) }
        var finite: Int32 = 1
        let normSquared = sources.map { Optional($0) }.withUnsafeBufferPointer { pointers in
            scales.withUnsafeBufferPointer { scales in
                if let level {
                    return descent_sum_in_rank_order_at_level(Int32(level), pointers.baseAddress, scales.baseAddress, sources.count,
                                                              count, target, &finite)
                }
                return descent_sum_in_rank_order(pointers.baseAddress, scales.baseAddress, sources.count, count, target, &finite)
            }
        }
        return (normSquared, finite != 0)
    }

    /// The instruction set of the window's kernels on this processor: 2 = AVX-512, 1 = AVX2, 0 = the baseline (SSE2 on
    /// x86-64, NEON on arm64).
    public static var kernelLevel: Int { Int(descent_window_kernels_level()) }
}
