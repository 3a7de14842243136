/// Matrix products: `a [m, k] · b [k, n] → [m, n]`, and batched over leading
/// axes (`[..., m, k] · [..., k, n]`, the batch axes broadcast as NumPy's `matmul`).
///
/// Gradients: dA = G·Bᵀ, dB = Aᵀ·G (summed over broadcast batch axes).
///
/// ```swift
/// let a = try Tensor(rows: [[1, 2], [3, 4]])
/// let b = try Tensor(rows: [[5], [6]])
/// try a.matmul(b)   // [[17], [39]]
/// ```
extension Tensor {
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard rank >= 2, other.rank >= 2 else {
            throw TensorError.invalidArgument(operation: "matmul", "both operands need at least 2 axes, got \(shape) and \(other.shape)")
        }
        let (m, k) = (shape[rank - 2], shape[rank - 1])
        let (k2, n) = (other.shape[other.rank - 2], other.shape[other.rank - 1])
        guard k == k2 else {
            throw TensorError.shapeMismatch(operation: "matmul", "inner dimensions differ: \(shape) · \(other.shape)")
        }
        if rank == 2 && other.rank == 2 {
            let result = Tensor.product(self, other, transposeA: false, transposeB: false, m: m, n: n, k: k)
            let (a, b) = (detached, other.detached)
            return Tensor.record(result, self, { Tensor.product($0, b, transposeA: false, transposeB: true, m: m, n: k, k: n) },
                                 other, { Tensor.product(a, $0, transposeA: true, transposeB: false, m: k, n: n, k: m) })
        }
        let batchA = Array(shape.dropLast(2)), batchB = Array(other.shape.dropLast(2))
        let batch = try Broadcasting.shape(batchA, batchB, operation: "matmul")
        let batchCount = batch.reduce(1, *)
        let a = try Tensor.zipBroadcast(self, try Tensor.zeros(batch + [m, k]), operation: "matmul") { x, _ in x }
        let b = try Tensor.zipBroadcast(other, try Tensor.zeros(batch + [k, n]), operation: "matmul") { x, _ in x }
        let result = Tensor.build(shape: batch + [m, n], count: batchCount * m * n) { out in
            for index in 0..<batchCount {
                MatrixMultiply.gemm(transposeA: false, transposeB: false, m: m, n: n, k: k,
                                    a: a.storage.pointer + index * m * k, lda: Swift.max(k, 1),
                                    b: b.storage.pointer + index * k * n, ldb: Swift.max(n, 1),
                                    c: out + index * m * n, ldc: Swift.max(n, 1))
            }
        }
        let (aShape, bShape) = (shape, other.shape)
        return Tensor.record(result, self, { gradient in
            Tensor.build(shape: batch + [m, k], count: batchCount * m * k) { out in
                for index in 0..<batchCount {
                    MatrixMultiply.gemm(transposeA: false, transposeB: true, m: m, n: k, k: n,
                                        a: gradient.storage.pointer + index * m * n, lda: Swift.max(n, 1),
                                        b: b.storage.pointer + index * k * n, ldb: Swift.max(n, 1), c: out + index * m * k, ldc: Swift.max(k, 1))
                }
            }.sum(toShape: aShape)
        }, other, { gradient in
            Tensor.build(shape: batch + [k, n], count: batchCount * k * n) { out in
                for index in 0..<batchCount {
                    MatrixMultiply.gemm(transposeA: true, transposeB: false, m: k, n: n, k: m,
                                        a: a.storage.pointer + index * m * k, lda: Swift.max(k, 1),
                                        b: gradient.storage.pointer + index * m * n, ldb: Swift.max(n, 1), c: out + index * k * n, ldc: Swift.max(n, 1))
                }
            }.sum(toShape: bShape)
        })
    }

    /// `op(a) · op(b)` for rank-2 tensors, no tape. `m, n, k` are the sizes after op.
    /// Leading dimensions are at least 1 (as BLAS requires) so that empty operands
    /// (`[2, 0] · [0, 3]`, a zero-row batch) give zeros instead of failing gemm's checks.
    static func product(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int) -> Tensor {
        build(shape: [m, n], count: m * n) { out in
            MatrixMultiply.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                a: a.storage.pointer, lda: Swift.max(transposeA ? m : k, 1),
                                b: b.storage.pointer, ldb: Swift.max(transposeB ? k : n, 1),
                                c: out, ldc: Swift.max(n, 1))
        }
    }
}
