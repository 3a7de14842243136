/// Single-precision general matrix multiply on row-major buffers.
///
///     C = op(A) · op(B)            (accumulate == false)
///     C = C + op(A) · op(B)        (accumulate == true)
///
/// where op(X) is X or Xᵀ. A is m×k after op, B is k×n after op, C is m×n;
/// `lda`, `ldb`, `ldc` are the row strides of the stored (not transposed) matrices.
public enum MatrixMultiply {
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            c: UnsafeMutablePointer<Float>, ldc: Int,
                            accumulate: Bool = false) {
        // Reference implementation; replaced by the packed, blocked kernels.
        for i in 0..<m {
            let row = c + i * ldc
            if !accumulate { row.update(repeating: 0, count: n) }
            for p in 0..<k {
                let aValue = transposeA ? a[p * lda + i] : a[i * lda + p]
                if aValue == 0 { continue }
                if transposeB {
                    for j in 0..<n { row[j] += aValue * b[j * ldb + p] }
                } else {
                    let bRow = b + p * ldb
                    for j in 0..<n { row[j] += aValue * bRow[j] }
                }
            }
        }
    }
}
