/// Single-precision general matrix multiply on row-major buffers.
///
///     C = op(A) · op(B)            (accumulate == false)
///     C = C + op(A) · op(B)        (accumulate == true)
///
/// where op(X) is X or Xᵀ. A is m×k after op, B is k×n after op, C is m×n;
/// `lda`, `ldb`, `ldc` are the row strides of the stored (not transposed) matrices.
///
/// The work is done by `GemmDriver` — packing into micro-panels, cache blocking
/// and a persistent thread pool, as in BLIS and OpenBLAS — around the fastest
/// C micro-kernel of `MatrixMultiplyKernel` the processor runs (AVX-512, AVX2+FMA,
/// NEON, or a portable one). Products with fewer than about four million
/// multiply-adds run on the calling thread; larger ones use up to
/// `Parallel.threadCount` threads. Results do not depend on the thread count.
///
/// ```swift
/// let a: [Float] = [1, 2, 3, 4, 5, 6]   // 2×3
/// let b: [Float] = [1, 0, 0, 1, 1, 1]   // 3×2
/// var c = [Float](repeating: 0, count: 4)
/// MatrixMultiply.gemm(transposeA: false, transposeB: false, m: 2, n: 2, k: 3,
///                     a: a, lda: 3, b: b, ldb: 2, c: &c, ldc: 2)
/// // c == [4, 5, 10, 11]
/// ```
public enum MatrixMultiply {
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            c: UnsafeMutablePointer<Float>, ldc: Int,
                            accumulate: Bool = false) {
        gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
             c: c, ldc: ldc, accumulate: accumulate, kernel: .best, threads: Parallel.threadCount)
    }

    /// Products with fewer multiply-adds (m·n·k) than this run on the calling thread.
    public static let defaultParallelThreshold = GemmDriver.parallelThreshold

    /// `gemm` with a chosen micro-kernel, thread count and parallel threshold (for tests
    /// and benchmarks); `threads` is an upper bound.
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            c: UnsafeMutablePointer<Float>, ldc: Int,
                            accumulate: Bool, kernel: MatrixMultiplyKernel, threads: Int,
                            parallelThreshold: Int = defaultParallelThreshold) {
        precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative size m=\(m) n=\(n) k=\(k)")
        if m == 0 || n == 0 { return }
        precondition(ldc >= n, "gemm: ldc=\(ldc) is less than n=\(n)")
        if k == 0 {
            if !accumulate {
                for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
            }
            return
        }
        precondition(lda >= (transposeA ? m : k), "gemm: lda=\(lda) is less than the stored row length")
        precondition(ldb >= (transposeB ? k : n), "gemm: ldb=\(ldb) is less than the stored row length")
        GemmDriver(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                   a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, kernel: kernel)
            .run(threads: max(1, threads), parallelThreshold: parallelThreshold)
    }
}
