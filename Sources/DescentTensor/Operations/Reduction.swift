import CDescentElementwise
import Dispatch
import Foundation

/// Reductions along axes, with keep-dims, and their gradients:
/// sum → the gradient broadcast back; mean → divided by the count;
/// max/min → to the first position of the extreme; logsumexp → softmax · g.
extension Tensor {
    func normalizedAxes(_ axes: [Int], operation: String) throws -> [Int] {
        var result: [Int] = []
        for axis in axes {
            let normalized = axis < 0 ? axis + rank : axis
            guard normalized >= 0 && normalized < rank else {
                throw TensorError.invalidArgument(operation: operation, "axis \(axis) is out of range for shape \(shape)")
            }
            if !result.contains(normalized) { result.append(normalized) }
        }
        return result.sorted()
    }

    func dropping(axes: [Int], from reduced: Tensor, keepingDimensions: Bool) -> Tensor {
        if keepingDimensions { return reduced }
        var newShape: [Int] = []
        for (axis, size) in reduced.shape.enumerated() where !axes.contains(axis) { newShape.append(size) }
        return try! reduced.reshaped(to: newShape)
    }

    /// Sum along `axes` (all axes when empty is passed to `sum()`).
    public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) throws -> Tensor {
        let axes = try normalizedAxes(axes, operation: "sum")
        var reduced = self.detached
        for axis in axes { reduced = reduced.sumAxis(axis) }
        let result = dropping(axes: axes, from: reduced, keepingDimensions: keepingDimensions)
        let inputShape = shape, keptShape = reduced.shape
        return Tensor.record(result, self) { gradient in
            try! Tensor.zipBroadcast(try! gradient.reshaped(to: keptShape), try! Tensor.zeros(inputShape), operation: "sum") { g, _ in g }
        }
    }

    /// Sum along one axis.
    public func sum(alongAxis axis: Int, keepingDimensions: Bool = false) throws -> Tensor {
        try sum(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// Sums one axis with vectorised kernels (no tape).
    func sumAxis(_ axis: Int) -> Tensor {
        let outer = shape[..<axis].reduce(1, *), length = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        var resultShape = shape
        resultShape[axis] = 1
        let x = storage.pointer
        return Tensor.build(shape: resultShape, count: outer * inner) { out in
            for o in 0..<outer {
                if inner == 1 {
                    out[o] = Float(descent_sum(x + o * length, length))
                    continue
                }
                let row = out + o * inner
                row.initialize(repeating: 0, count: inner)
                for l in 0..<length { descent_add(row, x + (o * length + l) * inner, row, inner) }
            }
        }
    }

    /// Sum of all elements, as a scalar tensor. Accumulates in Double, in blocks
    /// of a fixed size added in order, so the result does not depend on the thread count.
    public func sum() -> Tensor {
        let block = 1 << 16, blocks = (count + block - 1) / block
        var partials = [Double](repeating: 0, count: blocks)
        let x = SendablePointer(storage.pointer), total: Double
        if blocks <= 1 {
            total = descent_sum(storage.pointer, count)
        } else {
            partials.withUnsafeMutableBufferPointer { buffer in
                let p = SendablePointer(buffer.baseAddress!)
                let count = self.count
                DispatchQueue.concurrentPerform(iterations: blocks) { index in
                    p.pointer[index] = descent_sum(x.pointer + index * block, Swift.min(block, count - index * block))
                }
            }
            total = partials.reduce(0, +)
        }
        let inputShape = shape
        return Tensor.record(Tensor(Float(total)), self) { gradient in
            try! Tensor(repeating: gradient.item, shape: inputShape)
        }
    }

    /// Mean of all elements.
    public func mean() -> Tensor { sum() / Float(Swift.max(count, 1)) }

    /// Mean along `axes`.
    public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) throws -> Tensor {
        let normalized = try normalizedAxes(axes, operation: "mean")
        let length = normalized.reduce(1) { $0 * shape[$1] }
        return try sum(alongAxes: normalized, keepingDimensions: keepingDimensions) / Float(Swift.max(length, 1))
    }

    public func mean(alongAxis axis: Int, keepingDimensions: Bool = false) throws -> Tensor {
        try mean(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// Maximum along an axis; the gradient goes to the first maximal element.
    public func max(alongAxis axis: Int, keepingDimensions: Bool = false) throws -> Tensor {
        try extreme(alongAxis: axis, keepingDimensions: keepingDimensions, operation: "max", isBetter: >)
    }

    /// Minimum along an axis; the gradient goes to the first minimal element.
    public func min(alongAxis axis: Int, keepingDimensions: Bool = false) throws -> Tensor {
        try extreme(alongAxis: axis, keepingDimensions: keepingDimensions, operation: "min", isBetter: <)
    }

    /// Largest element overall (NaN for an empty tensor, which has none).
    public func max() -> Tensor { count == 0 ? Tensor(Float.nan) : try! reshaped(to: [count]).max(alongAxis: 0) }
    /// Smallest element overall (NaN for an empty tensor, which has none).
    public func min() -> Tensor { count == 0 ? Tensor(Float.nan) : try! reshaped(to: [count]).min(alongAxis: 0) }

    /// Index of the largest element along an axis (first on ties; NaN counts as largest).
    public func argmax(alongAxis axis: Int) throws -> [Int] {
        let axis = try normalizedAxes([axis], operation: "argmax")[0]
        // An empty axis has no largest element (reading one would be out of bounds), unless
        // there are no positions to report at all.
        guard shape[axis] > 0 || shape.enumerated().contains(where: { $0.offset != axis && $0.element == 0 }) else {
            throw TensorError.invalidArgument(operation: "argmax", "axis \(axis) of shape \(shape) is empty")
        }
        if count == 0 { return [] }
        return positions(ofExtremeAlong: axis, isBetter: >)
    }

    func positions(ofExtremeAlong axis: Int, isBetter: (Float, Float) -> Bool) -> [Int] {
        let outer = shape[..<axis].reduce(1, *), length = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        let x = storage.pointer
        var result = [Int](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                var best = 0
                var bestValue = x[o * length * inner + i]
                if !bestValue.isNaN {
                    for l in 1..<Swift.max(length, 1) {
                        let value = x[(o * length + l) * inner + i]
                        if value.isNaN { best = l; break }
                        if isBetter(value, bestValue) { best = l; bestValue = value }
                    }
                }
                result[o * inner + i] = best
            }
        }
        return result
    }

    func extreme(alongAxis axis: Int, keepingDimensions: Bool, operation: String,
                 isBetter: (Float, Float) -> Bool) throws -> Tensor {
        let axis = try normalizedAxes([axis], operation: operation)[0]
        guard shape[axis] > 0 else {
            throw TensorError.invalidArgument(operation: operation, "axis \(axis) of shape \(shape) is empty")
        }
        let positions = positions(ofExtremeAlong: axis, isBetter: isBetter)
        let outer = shape[..<axis].reduce(1, *), length = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        var keptShape = shape
        keptShape[axis] = 1
        let x = storage.pointer
        let reduced = Tensor.build(shape: keptShape, count: outer * inner) { out in
            for o in 0..<outer { for i in 0..<inner { out[o * inner + i] = x[(o * length + positions[o * inner + i]) * inner + i] } }
        }
        let result = dropping(axes: [axis], from: reduced, keepingDimensions: keepingDimensions)
        let inputShape = shape
        return Tensor.record(result, self) { gradient in
            let g = gradient.storage.pointer
            return Tensor.build(shape: inputShape, count: outer * length * inner) { out in
                out.initialize(repeating: 0, count: outer * length * inner)
                for o in 0..<outer { for i in 0..<inner { out[(o * length + positions[o * inner + i]) * inner + i] = g[o * inner + i] } }
            }
        }
    }

    /// log Σ exp(x) along an axis, computed stably as m + log Σ exp(x − m).
    public func logSumExp(alongAxis axis: Int, keepingDimensions: Bool = false) throws -> Tensor {
        let axis = try normalizedAxes([axis], operation: "logSumExp")[0]
        let maximum = try detached.max(alongAxis: axis, keepingDimensions: true).map { $0.isFinite ? $0 : 0 }
        let shifted = try self - maximum
        let result = try shifted.exp().sum(alongAxis: axis, keepingDimensions: true).log() + maximum
        return keepingDimensions ? result : try result.reshaped(to: shape.enumerated().filter { $0.offset != axis }.map { $0.element })
    }
}
