import CDescentElementwise

/// Max and average pooling over NCHW images, as PyTorch's `max_pool2d` and
/// `avg_pool2d` (square window, `ceil_mode=False`, dilation 1).
///
///     max: out[n, c, y, x] = max over the window of input[n, c, y·s − p + i, x·s − p + j]
///     avg: out[n, c, y, x] = (Σ over the window) / divisor
///
/// Padding counts as −∞ for max pooling and 0 for average pooling; the average
/// divides by kernelSize² when `countingPadding` (PyTorch's default
/// `count_include_pad=True`), else by the number of real input elements in the window.
/// The stride defaults to the kernel size; padding may be at most half the kernel.
///
/// Gradients: max sends each output gradient to the first maximal element of its
/// window (NaN counts as maximal, as it propagates); average spreads it evenly,
/// g / divisor, over the window's real elements.
///
/// ```swift
/// let x = try Tensor(shape: [1, 1, 2, 4], scalars: [1, 5, 2, 0,
///                                                   3, 4, 8, 6])
/// try x.maxPool2d(kernelSize: 2)   // [[[[5, 8]]]]
/// try x.avgPool2d(kernelSize: 2)   // [[[[3.25, 4]]]]
/// ```
extension Tensor {
    /// Maximum over each `kernelSize`×`kernelSize` window.
    /// - Throws: `TensorError` naming the shape when the input is not rank 4, an
    ///   argument is out of range, or the window does not fit the padded input.
    public func maxPool2d(kernelSize: Int, stride: Int? = nil, padding: Int = 0) throws -> Tensor {
        let g = try poolingGeometry(kernelSize: kernelSize, stride: stride, padding: padding, operation: "maxPool2d")
        let planes = g.batch * g.channels, positions = g.outputPositions
        let winners = WinnerIndices(count: planes * positions)
        var geometry = g.cGeometry
        let result = Tensor.build(shape: [g.batch, g.channels, g.outputHeight, g.outputWidth], count: planes * positions) { out in
            descent_max_pool2d(storage.pointer, &geometry, planes, out, winners.pointer)
        }
        let inputShape = shape, inputCount = count, inputPositions = g.inputPositions
        return Tensor.record(result, self) { gradient in
            Tensor.build(shape: inputShape, count: inputCount) { dx in
                descent_max_pool2d_backward(gradient.storage.pointer, winners.pointer, planes, inputPositions, positions, dx)
            }
        }
    }

    /// The flat index (within its plane) of each pooling window's maximum, kept for the backward pass.
    final class WinnerIndices: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Int32>
        init(count: Int) { pointer = UnsafeMutablePointer<Int32>.allocate(capacity: Swift.max(count, 1)) }
        deinit { pointer.deallocate() }
    }

    /// Mean over each `kernelSize`×`kernelSize` window.
    /// - Parameter countingPadding: divide by kernelSize² (true, PyTorch's default)
    ///   or by the number of real input elements in the window (false).
    /// - Throws: `TensorError` naming the shape when the input is not rank 4, an
    ///   argument is out of range, or the window does not fit the padded input.
    public func avgPool2d(kernelSize: Int, stride: Int? = nil, padding: Int = 0, countingPadding: Bool = true) throws -> Tensor {
        let g = try poolingGeometry(kernelSize: kernelSize, stride: stride, padding: padding, operation: "avgPool2d")
        let planes = g.batch * g.channels, positions = g.outputPositions
        // Window bounds clipped to the image, and each window's divisor.
        func bounds(_ outputIndex: Int, kernel: Int, size: Int) -> Range<Int> {
            let start = outputIndex * g.stride - g.padding
            return Swift.max(start, 0)..<Swift.min(start + kernel, size)
        }
        let rowRanges = (0..<g.outputHeight).map { bounds($0, kernel: g.kernelHeight, size: g.height) }
        let columnRanges = (0..<g.outputWidth).map { bounds($0, kernel: g.kernelWidth, size: g.width) }
        var divisors = [Float](repeating: Float(g.kernelHeight * g.kernelWidth), count: positions)
        if !countingPadding {
            for y in 0..<g.outputHeight { for x in 0..<g.outputWidth { divisors[y * g.outputWidth + x] = Float(rowRanges[y].count * columnRanges[x].count) } }
        }
        let x = storage.pointer
        let result = Tensor.build(shape: [g.batch, g.channels, g.outputHeight, g.outputWidth], count: planes * positions) { out in
            for plane in 0..<planes {
                let source = x + plane * g.inputPositions
                for y in 0..<g.outputHeight {
                    for x in 0..<g.outputWidth {
                        var total: Float = 0
                        for row in rowRanges[y] { for column in columnRanges[x] { total += source[row * g.width + column] } }
                        out[plane * positions + y * g.outputWidth + x] = total / divisors[y * g.outputWidth + x]
                    }
                }
            }
        }
        let inputShape = shape, inputCount = count
        return Tensor.record(result, self) { gradient in
            let gp = gradient.storage.pointer
            return Tensor.build(shape: inputShape, count: inputCount) { dx in
                dx.initialize(repeating: 0, count: inputCount)
                for plane in 0..<planes {
                    let target = dx + plane * g.inputPositions
                    for y in 0..<g.outputHeight {
                        for x in 0..<g.outputWidth {
                            let share = gp[plane * positions + y * g.outputWidth + x] / divisors[y * g.outputWidth + x]
                            for row in rowRanges[y] { for column in columnRanges[x] { target[row * g.width + column] += share } }
                        }
                    }
                }
            }
        }
    }

    func poolingGeometry(kernelSize: Int, stride: Int?, padding: Int, operation: String) throws -> SpatialGeometry {
        guard kernelSize >= 1 else {
            throw TensorError.invalidArgument(operation: operation, "kernelSize must be at least 1, got \(kernelSize)")
        }
        guard padding <= kernelSize / 2 else {
            throw TensorError.invalidArgument(operation: operation,
                "padding must be at most half the kernel size (\(kernelSize / 2)), got \(padding)")
        }
        return try SpatialGeometry(input: shape, kernelHeight: kernelSize, kernelWidth: kernelSize,
                                   stride: stride ?? kernelSize, padding: padding, operation: operation)
    }
}
