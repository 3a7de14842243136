/// Packing of GEMM operands into the contiguous, zero-padded micro-panels the
/// C micro-kernels read (the layout of BLIS / Goto & van de Geijn, "Anatomy of
/// High-Performance Matrix Multiplication", ACM TOMS 2008).
///
/// A panel of A holds `mr` rows: element (r, p) at `r + p·mr`. A panel of B
/// holds `nr` columns: element (p, j) at `j + p·nr`. Rows or columns past the
/// matrix edge are zero, so the micro-kernel never branches on edges inside
/// its loop. Transposed operands are read through their strides here, which is
/// why one micro-kernel serves all four transpose combinations.
///
/// Example: with `mr = 2`, the 3×2 block [[1, 2], [3, 4], [5, 6]] packs into two
/// panels, `[1, 3, 2, 4]` and `[5, 0, 6, 0]`.
enum GemmPacking {
    /// Packs rows `rowStart ..< rowStart + rows` (rows ≤ mr) and depth `depthStart ..< depthStart + depth`
    /// of op(A) into one panel at `destination`.
    @inline(__always)
    static func packA(_ a: UnsafePointer<Float>, lda: Int, transposed: Bool,
                      rowStart: Int, rows: Int, depthStart: Int, depth: Int, mr: Int,
                      into destination: UnsafeMutablePointer<Float>) {
        if transposed {
            // op(A)[i, p] = a[p·lda + i]: each depth step copies `rows` contiguous floats.
            var source = a + depthStart * lda + rowStart
            var target = destination
            for _ in 0..<depth {
                target.update(from: source, count: rows)
                if rows < mr { (target + rows).update(repeating: 0, count: mr - rows) }
                source += lda
                target += mr
            }
        } else if rows == mr && mr == 6 {
            // The AVX2 shape, unrolled: six streams read in order, one sequential write.
            let s0 = a + rowStart * lda + depthStart
            let s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda, s4 = s3 + lda, s5 = s4 + lda
            var target = destination
            for p in 0..<depth {
                target[0] = s0[p]; target[1] = s1[p]; target[2] = s2[p]
                target[3] = s3[p]; target[4] = s4[p]; target[5] = s5[p]
                target += 6
            }
        } else {
            // op(A)[i, p] = a[i·lda + p]: each row is read in order and scattered with stride mr.
            for r in 0..<rows {
                let source = a + (rowStart + r) * lda + depthStart
                var target = destination + r
                for p in 0..<depth {
                    target.pointee = source[p]
                    target += mr
                }
            }
            if rows < mr {
                for p in 0..<depth { (destination + p * mr + rows).update(repeating: 0, count: mr - rows) }
            }
        }
    }

    /// Packs columns `columnStart ..< columnStart + columns` (columns ≤ nr) and depth
    /// `depthStart ..< depthStart + depth` of op(B) into one panel at `destination`.
    @inline(__always)
    static func packB(_ b: UnsafePointer<Float>, ldb: Int, transposed: Bool,
                      columnStart: Int, columns: Int, depthStart: Int, depth: Int, nr: Int,
                      into destination: UnsafeMutablePointer<Float>) {
        if transposed {
            // op(B)[p, j] = b[j·ldb + p]: each stored row becomes a strided column of the panel.
            for j in 0..<columns {
                let source = b + (columnStart + j) * ldb + depthStart
                var target = destination + j
                for p in 0..<depth {
                    target.pointee = source[p]
                    target += nr
                }
            }
            if columns < nr {
                for p in 0..<depth { (destination + p * nr + columns).update(repeating: 0, count: nr - columns) }
            }
        } else {
            // op(B)[p, j] = b[p·ldb + j]: each depth step copies `columns` contiguous floats.
            var source = b + depthStart * ldb + columnStart
            var target = destination
            for _ in 0..<depth {
                target.update(from: source, count: columns)
                if columns < nr { (target + columns).update(repeating: 0, count: nr - columns) }
                source += ldb
                target += nr
            }
        }
    }
}
