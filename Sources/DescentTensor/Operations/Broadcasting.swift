/// NumPy broadcasting: shapes are aligned on the right; each pair of
/// dimensions must be equal or one of them 1, which stretches.
public enum Broadcasting {
    /// The broadcast shape of `a` and `b`, or an error naming both shapes.
    public static func shape(_ a: [Int], _ b: [Int], operation: String) throws -> [Int] {
        if a == b { return a }
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for index in 0..<rank {
            let x = index < rank - a.count ? 1 : a[index - (rank - a.count)]
            let y = index < rank - b.count ? 1 : b[index - (rank - b.count)]
            guard x == y || x == 1 || y == 1 else {
                throw TensorError.shapeMismatch(operation: operation, "cannot broadcast \(a) with \(b)")
            }
            result[index] = x == 1 ? y : x
        }
        return result
    }

    /// Element strides of `shape` read as `target` (0 along stretched or missing axes).
    @usableFromInline static func strides(of shape: [Int], broadcastTo target: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: target.count)
        var step = 1
        for index in stride(from: shape.count - 1, through: 0, by: -1) {
            let targetIndex = index + target.count - shape.count
            strides[targetIndex] = shape[index] == 1 ? 0 : step
            step *= shape[index]
        }
        return strides
    }
}

extension Tensor {
    /// Applies `function` elementwise to `a` and `b` broadcast together (no tape).
    @inlinable
    static func zipBroadcast(_ a: Tensor, _ b: Tensor, operation: String,
                             _ function: (Float, Float) -> Float) throws -> Tensor {
        if a.shape == b.shape {
            let x = a.storage.pointer, y = b.storage.pointer
            return build(shape: a.shape, count: a.count) { out in
                let o = SendablePointer(out), xs = SendablePointer(x), ys = SendablePointer(y)
                Parallel.forEachChunk(count: a.count) { range in
                    for i in range { o.pointer[i] = function(xs.pointer[i], ys.pointer[i]) }
                }
            }
        }
        let shape = try Broadcasting.shape(a.shape, b.shape, operation: operation)
        let count = shape.reduce(1, *)
        if b.count == 1 {
            let y = b.storage.pointer[0], x = a.storage.pointer
            return build(shape: shape, count: count) { out in for i in 0..<count { out[i] = function(x[i], y) } }
        }
        if a.count == 1 {
            let x = a.storage.pointer[0], y = b.storage.pointer
            return build(shape: shape, count: count) { out in for i in 0..<count { out[i] = function(x, y[i]) } }
        }
        let aStrides = Broadcasting.strides(of: a.shape, broadcastTo: shape)
        let bStrides = Broadcasting.strides(of: b.shape, broadcastTo: shape)
        let rank = shape.count
        let inner = shape[rank - 1]
        let aInner = aStrides[rank - 1], bInner = bStrides[rank - 1]
        let x = a.storage.pointer, y = b.storage.pointer
        return build(shape: shape, count: count) { out in
            guard count > 0 else { return }
            var index = [Int](repeating: 0, count: rank)
            var aOffset = 0, bOffset = 0, outOffset = 0
            while outOffset < count {
                if aInner == 1 && bInner == 1 {
                    for j in 0..<inner { out[outOffset + j] = function(x[aOffset + j], y[bOffset + j]) }
                } else if aInner == 1 {
                    let yValue = y[bOffset]
                    for j in 0..<inner { out[outOffset + j] = function(x[aOffset + j], yValue) }
                } else if bInner == 1 {
                    let xValue = x[aOffset]
                    for j in 0..<inner { out[outOffset + j] = function(xValue, y[bOffset + j]) }
                } else {
                    for j in 0..<inner { out[outOffset + j] = function(x[aOffset], y[bOffset]) }
                }
                outOffset += inner
                // Advance the multi-index over all axes but the last.
                var axis = rank - 2
                while axis >= 0 {
                    index[axis] += 1
                    aOffset += aStrides[axis]
                    bOffset += bStrides[axis]
                    if index[axis] < shape[axis] { break }
                    aOffset -= aStrides[axis] * shape[axis]
                    bOffset -= bStrides[axis] * shape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }

    /// Applies `function` to every element (no tape).
    @inlinable
    func map(_ function: (Float) -> Float) -> Tensor {
        let x = SendablePointer(storage.pointer)
        return Tensor.build(shape: shape, count: count) { out in
            let o = SendablePointer(out)
            Parallel.forEachChunk(count: count) { range in
                for i in range { o.pointer[i] = function(x.pointer[i]) }
            }
        }
    }

    /// `self + other` for equal shapes, with no tape (used to accumulate gradients).
    func addingSameShape(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "gradient shapes \(shape) and \(other.shape) differ")
        return try! Tensor.zipBroadcast(self, other, operation: "accumulate", +)
    }

    /// Sums a broadcast gradient back down to `target` (the shape of an operand).
    public func sum(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        var result = self
        let extra = rank - target.count
        if extra > 0 {
            result = try! result.sum(alongAxes: Array(0..<extra), keepingDimensions: false)
        }
        var axes: [Int] = []
        for (axis, size) in target.enumerated() where size == 1 && result.shape[axis] != 1 { axes.append(axis) }
        if !axes.isEmpty { result = try! result.sum(alongAxes: axes, keepingDimensions: true) }
        return try! result.reshaped(to: target)
    }
}
