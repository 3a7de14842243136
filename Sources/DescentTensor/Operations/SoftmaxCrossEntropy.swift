import CDescentElementwise

/// Softmax cross-entropy against a constant target matrix, in one tape node:
///
///     loss = −(1/d) · Σᵢ Σ_c T[i, c] · log softmax(x)ᵢ[c]        x, T [N, C]
///     ∂loss/∂x[i, c] = (1/d) · (softmax(x)ᵢ[c] · Σ_c' T[i, c'] − T[i, c])
///
/// The loss layer (`crossEntropy` in DescentNN) builds T from the labels, class weights and
/// label smoothing, and d from the reduction; fusing the log-softmax, the product and the
/// sum saves their three intermediate tensors and backward passes.
///
/// ```swift
/// let logits = try Tensor(rows: [[2, 0, 0], [0, 0, 0]])
/// let targets = try Tensor(rows: [[1, 0, 0], [0, 0, 1]])        // labels 0 and 2, one-hot
/// try logits.softmaxCrossEntropy(targets: targets, divisor: 2)   // (0.2395 + 1.0986) / 2 = 0.6691
/// ```
extension Tensor {
    /// - Throws: `TensorError.shapeMismatch` unless the logits are [N, C] and the targets have their shape.
    public func softmaxCrossEntropy(targets: Tensor, divisor: Float) throws -> Tensor {
        guard rank == 2, targets.shape == shape else {
            throw TensorError.shapeMismatch(operation: "softmaxCrossEntropy",
                "logits \(shape) and targets \(targets.shape) must both be [N, C]")
        }
        let (rows, columns) = (shape[0], shape[1])
        let logProbabilities = Tensor.build(shape: shape, count: count) { out in
            descent_log_softmax_rows(storage.pointer, out, rows, columns)
        }
        let t = targets.storage.pointer, l = logProbabilities.storage.pointer
        var total = 0.0
        for row in 0..<rows {
            var rowTotal: Float = 0
            for column in 0..<columns where t[row * columns + column] != 0 {
                rowTotal += t[row * columns + column] * l[row * columns + column]
            }
            total += Double(rowTotal)
        }
        let result = Tensor(Float(-total / Double(divisor)))
        let fixedTargets = targets.detached, shape = self.shape, count = self.count
        return Tensor.record(result, self) { gradient in
            let scale = gradient.storage.pointer[0] / divisor
            return Tensor.build(shape: shape, count: count) { out in
                descent_exp(logProbabilities.storage.pointer, out, count)
                let t = fixedTargets.storage.pointer
                for row in 0..<rows {
                    var weight: Float = 0
                    for column in 0..<columns { weight += t[row * columns + column] }
                    for column in 0..<columns {
                        let index = row * columns + column
                        out[index] = scale * (out[index] * weight - t[index])
                    }
                }
            }
        }
    }
}
