import CDescentKernels

/// Packing of GEMM operands into the contiguous, zero-padded micro-panels the
/// C micro-kernels read (the layout of BLIS / Goto & van de Geijn, "Anatomy of
/// High-Performance Matrix Multiplication", ACM TOMS 2008).
///
/// A panel of A holds `mr` rows: element (r, p) at `r + p·mr`. A panel of B
/// holds `nr` columns: element (p, j) at `j + p·nr`. Rows or columns past the
/// matrix edge are zero, so the micro-kernel never branches on edges inside
/// its loop. Transposed operands are read through their strides here, which is
/// why one micro-kernel serves all four transpose combinations. The copies are
/// the C routines `descent_sgemm_pack_interleave` / `_strips` (vectorised, with
/// an AVX2 variant): in Swift they cost about 16% of a 512×512 product.
///
/// Example: with `mr = 2`, the 3×2 block [[1, 2], [3, 4], [5, 6]] packs into two
/// panels, `[1, 3, 2, 4]` and `[5, 0, 6, 0]`.
enum GemmPacking {
    /// Packs rows `rowStart ..< rowStart + rows` (⌈rows / mr⌉ panels, one after another) and depth `depthStart ..< depthStart + depth`
    /// of op(A) into panels at `destination`.
    @inline(__always)
    static func packA(_ a: UnsafePointer<Float>, lda: Int, transposed: Bool,
                      rowStart: Int, rows: Int, depthStart: Int, depth: Int, mr: Int,
                      into destination: UnsafeMutablePointer<Float>) {
        if transposed {
            // op(A)[i, p] = a[p·lda + i]: each depth step is a contiguous strip.
            descent_sgemm_pack_strips(a + depthStart * lda + rowStart, lda, rows, depth, mr, destination)
        } else {
            // op(A)[i, p] = a[i·lda + p]: rows are interleaved.
            descent_sgemm_pack_interleave(a + rowStart * lda + depthStart, lda, rows, depth, mr, destination)
        }
    }

    /// Packs columns `columnStart ..< columnStart + columns` (⌈columns / nr⌉ panels) and depth
    /// `depthStart ..< depthStart + depth` of op(B) into panels at `destination`.
    @inline(__always)
    static func packB(_ b: UnsafePointer<Float>, ldb: Int, transposed: Bool,
                      columnStart: Int, columns: Int, depthStart: Int, depth: Int, nr: Int,
                      into destination: UnsafeMutablePointer<Float>) {
        if transposed {
            // op(B)[p, j] = b[j·ldb + p]: stored rows are interleaved.
            descent_sgemm_pack_interleave(b + columnStart * ldb + depthStart, ldb, columns, depth, nr, destination)
        } else {
            // op(B)[p, j] = b[p·ldb + j]: each depth step is a contiguous strip.
            descent_sgemm_pack_strips(b + depthStart * ldb + columnStart, ldb, columns, depth, nr, destination)
        }
    }
}
