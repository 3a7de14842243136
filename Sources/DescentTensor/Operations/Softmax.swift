import CDescentElementwise
import Foundation

/// Softmax and log-softmax along an axis, computed stably by subtracting the
/// maximum: softmax(x)ᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m).
///
/// Gradients: for y = softmax(x), dx = y ⊙ (g − Σ g⊙y); for y = log-softmax(x),
/// dx = g − softmax(x) · Σ g.
///
/// ```swift
/// try Tensor([1, 2, 3]).softmax(alongAxis: 0)   // [0.0900, 0.2447, 0.6652]
/// ```
extension Tensor {
    public func logSoftmax(alongAxis axis: Int = -1) throws -> Tensor {
        let axis = try normalizedAxes([axis], operation: "logSoftmax")[0]
        if axis == rank - 1 {
            return lastAxis(forward: descent_log_softmax_rows, backward: descent_log_softmax_backward_rows)
        }
        let x = detached
        let maximum = try x.max(alongAxis: axis, keepingDimensions: true).map { $0.isFinite ? $0 : 0 }
        let shifted = try x - maximum
        let logTotal = try shifted.exp().sum(alongAxis: axis, keepingDimensions: true).log()
        let result = try shifted - logTotal
        return Tensor.record(result, self) { gradient in
            let probabilities = result.exp()
            let total = try! gradient.sum(alongAxis: axis, keepingDimensions: true)
            return try! gradient - probabilities * total
        }
    }

    public func softmax(alongAxis axis: Int = -1) throws -> Tensor {
        let axis = try normalizedAxes([axis], operation: "softmax")[0]
        if axis == rank - 1 {
            return lastAxis(forward: descent_softmax_rows, backward: descent_softmax_backward_rows)
        }
        let x = detached
        let maximum = try x.max(alongAxis: axis, keepingDimensions: true).map { $0.isFinite ? $0 : 0 }
        let exponentials = try (x - maximum).exp()
        let result = try exponentials / exponentials.sum(alongAxis: axis, keepingDimensions: true)
        return Tensor.record(result, self) { gradient in
            let weighted = try! (gradient * result).sum(alongAxis: axis, keepingDimensions: true)
            return try! result * (gradient - weighted)
        }
    }

    typealias RowKernel = @convention(c) (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int, Int) -> Void
    typealias RowBackwardKernel = @convention(c) (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int, Int) -> Void

    /// A fused row kernel over the last axis, rows split across cores.
    private func lastAxis(forward: RowKernel, backward: @escaping RowBackwardKernel) -> Tensor {
        let columns = shape.last ?? 1, rows = count / Swift.max(columns, 1)
        let x = SendablePointer(storage.pointer)
        let result = Tensor.build(shape: shape, count: count) { out in
            let o = SendablePointer(out)
            Parallel.forEachChunk(count: rows, threshold: Swift.max(1, (1 << 15) / Swift.max(columns, 1))) { range in
                forward(x.pointer + range.lowerBound * columns, o.pointer + range.lowerBound * columns, range.count, columns)
            }
        }
        let y = result.detached
        return Tensor.record(result, self) { gradient in
            Tensor.build(shape: y.shape, count: y.count) { out in
                backward(y.storage.pointer, gradient.storage.pointer, out, rows, columns)
            }
        }
    }
}
