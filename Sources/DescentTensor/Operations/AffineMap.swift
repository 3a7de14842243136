import CDescentElementwise

/// The affine map of a fully connected layer, as PyTorch's `torch.nn.functional.linear`:
///
///     y = x · Wᵀ + b        x [m, in], W [out, in], b [out] → y [m, out]
///
/// in one tape node, with no transposed copy of W: the forward is one product with
/// B read transposed, written onto C rows already holding the bias (the bias add
/// costs no extra pass). Gradients, with G = ∂L/∂y:
///
///     dx = G · W        dW = Gᵀ · x        db = Σ over rows of G
///
/// The weight's and bias's gradients are checked for finiteness as they are written (`isFinite`).
///
/// ```swift
/// let x = try Tensor(rows: [[1, 2]])
/// let w = try Tensor(rows: [[1, 0], [1, 1], [0, -1]])   // 3 outputs, 2 inputs
/// try x.affine(weight: w, bias: Tensor([0.5, 0, 0]))      // [[1.5, 3, -2]]
/// ```
extension Tensor {
    /// - Throws: `TensorError.shapeMismatch` naming the shapes unless x is [m, in], W [out, in] and b [out].
    public func affine(weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
        guard rank == 2, weight.rank == 2, shape[1] == weight.shape[1] else {
            throw TensorError.shapeMismatch(operation: "affine",
                "input \(shape) and weight \(weight.shape) must be [m, in] and [out, in]")
        }
        let (m, inputSize, outputs) = (shape[0], shape[1], weight.shape[0])
        if let bias, bias.shape != [outputs] {
            throw TensorError.shapeMismatch(operation: "affine", "bias must have shape [\(outputs)], got \(bias.shape)")
        }
        let x = detached, w = weight.detached
        let result = Tensor.build(shape: [m, outputs], count: m * outputs) { out in
            if let bias {
                for row in 0..<m { (out + row * outputs).update(from: bias.storage.pointer, count: outputs) }
            }
            MatrixMultiply.gemm(transposeA: false, transposeB: true, m: m, n: outputs, k: inputSize,
                                a: x.storage.pointer, lda: Swift.max(inputSize, 1), b: w.storage.pointer, ldb: Swift.max(inputSize, 1),
                                c: out, ldc: Swift.max(outputs, 1), accumulate: bias != nil)
        }
        guard isTracked || weight.isTracked || (bias?.isTracked ?? false) else { return result }
        var inputs: [(Tensor, (Tensor) -> Tensor)] = [
            (self, { gradient in Tensor.product(gradient, w, transposeA: false, transposeB: false, m: m, n: inputSize, k: outputs) }),
            (weight, { gradient in
                Tensor.product(gradient, x, transposeA: true, transposeB: false, m: outputs, n: inputSize, k: m).checkedForFiniteness()
            }),
        ]
        if let bias {
            inputs.append((bias, { gradient in gradient.columnSums().checkedForFiniteness() }))
        }
        return Tensor.record(result, inputs)
    }

    /// Σ over the rows of a [m, n] tensor → [n] (no tape), accumulated row by row in vector registers.
    func columnSums() -> Tensor {
        let (m, n) = (shape[0], shape[1])
        let g = storage.pointer
        return Tensor.build(shape: [n], count: n) { out in
            out.initialize(repeating: 0, count: n)
            for row in 0..<m { descent_add(out, g + row * n, out, n) }
        }
    }
}
