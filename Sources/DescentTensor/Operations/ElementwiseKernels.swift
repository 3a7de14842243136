import CDescentElementwise

/// A vectorised C loop over two equal-length arrays: `out[i] = f(a[i], b[i])`.
typealias BinaryKernel = @convention(c) (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void
/// A vectorised C loop over one array: `out[i] = f(a[i])`.
typealias UnaryKernel = @convention(c) (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void
/// A vectorised C loop with a scalar: `out[i] = f(a[i], s)`.
typealias ScalarKernel = @convention(c) (UnsafePointer<Float>?, Float, UnsafeMutablePointer<Float>?, Int) -> Void

extension Tensor {
    /// `kernel` over two tensors of one shape, split across cores for large sizes.
    static func apply(_ kernel: BinaryKernel, _ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.shape == b.shape)
        let x = SendablePointer(a.storage.pointer), y = SendablePointer(b.storage.pointer)
        return build(shape: a.shape, count: a.count) { out in
            let o = SendablePointer(out)
            Parallel.forEachChunk(count: a.count, threshold: 1 << 16) { range in
                kernel(x.pointer + range.lowerBound, y.pointer + range.lowerBound, o.pointer + range.lowerBound, range.count)
            }
        }
    }

    /// `kernel` over every element.
    func apply(_ kernel: UnaryKernel) -> Tensor {
        let x = SendablePointer(storage.pointer)
        return Tensor.build(shape: shape, count: count) { out in
            let o = SendablePointer(out)
            Parallel.forEachChunk(count: count, threshold: 1 << 15) { range in
                kernel(x.pointer + range.lowerBound, o.pointer + range.lowerBound, range.count)
            }
        }
    }

    /// `kernel` with a scalar over every element.
    func apply(_ kernel: ScalarKernel, _ scalar: Float) -> Tensor {
        let x = SendablePointer(storage.pointer)
        return Tensor.build(shape: shape, count: count) { out in
            let o = SendablePointer(out)
            Parallel.forEachChunk(count: count, threshold: 1 << 16) { range in
                kernel(x.pointer + range.lowerBound, scalar, o.pointer + range.lowerBound, range.count)
            }
        }
    }

    /// Broadcast binary operation using `kernel` on contiguous runs: equal shapes in one
    /// pass, a trailing operand (a bias row `[n]` against `[m, n]`) one row at a time,
    /// and the general strided walk with `function` otherwise.
    static func broadcast(_ a: Tensor, _ b: Tensor, operation: String, kernel: BinaryKernel,
                          _ function: (Float, Float) -> Float) throws -> Tensor {
        if a.shape == b.shape { return apply(kernel, a, b) }
        let shape = try Broadcasting.shape(a.shape, b.shape, operation: operation)
        let core = Array(b.shape.drop(while: { $0 == 1 }))
        if shape == a.shape, b.count > 0, Array(a.shape.suffix(core.count)) == core {
            let width = b.count
            let x = a.storage.pointer, y = b.storage.pointer
            return build(shape: shape, count: a.count) { out in
                for row in 0..<(a.count / width) { kernel(x + row * width, y, out + row * width, width) }
            }
        }
        return try zipBroadcast(a, b, operation: operation, function)
    }
}
