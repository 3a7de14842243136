import CDescentElementwise

/// 2-D convolution over NCHW images, as PyTorch's `torch.nn.functional.conv2d`
/// (a cross-correlation: the kernel is not flipped), dilation 1, groups 1:
///
///     out[n, o, y, x] = bias[o] + Σ_c Σ_i Σ_j weight[o, c, i, j] · input[n, c, y·s − p + i, x·s − p + j]
///
/// with zero padding `p` on every side and stride `s`. The output has
/// ⌊(H + 2p − kh) / s⌋ + 1 rows and likewise columns.
///
/// Computed by im2col and one matrix product per chunk of images
/// (weight [O, C·kh·kw] · columns [C·kh·kw, images·OH·OW]); the im2col buffer is
/// kept near 16 MB by chunking over the batch.
///
/// Gradients, with G the gradient of the output laid out as [O, images·OH·OW]:
/// d weight = G · columnsᵀ, d input = col2im(weightᵀ · G), d bias = Σ over n, y, x of G.
///
/// ```swift
/// let image = try Tensor(shape: [1, 1, 3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
/// let kernel = try Tensor(shape: [1, 1, 2, 2], scalars: [1, 0, 0, 1])   // adds the diagonal neighbour
/// try image.conv2d(kernel)                     // [[[[6, 8], [12, 14]]]]
/// try image.conv2d(kernel, stride: 2, padding: 1).shape   // [1, 1, 2, 2]
/// ```
extension Tensor {
    /// - Parameters:
    ///   - weight: `[outputChannels, inputChannels, kernelHeight, kernelWidth]`.
    ///   - bias: `[outputChannels]`, or nil.
    ///   - stride: step of the window in both directions (≥ 1).
    ///   - padding: zeros added on every side (≥ 0).
    /// - Throws: `TensorError` naming the shapes when the input is not rank 4, the
    ///   channels of input and weight differ, the bias does not have one element per
    ///   output channel, or the kernel is larger than the padded input.
    public func conv2d(_ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) throws -> Tensor {
        guard weight.rank == 4 else {
            throw TensorError.invalidArgument(operation: "conv2d",
                "weight must have shape [outputChannels, inputChannels, kernelHeight, kernelWidth], got \(weight.shape)")
        }
        let g = try SpatialGeometry(input: shape, kernelHeight: weight.shape[2], kernelWidth: weight.shape[3],
                                    stride: stride, padding: padding, operation: "conv2d")
        guard weight.shape[1] == g.channels else {
            throw TensorError.shapeMismatch(operation: "conv2d",
                "input \(shape) has \(g.channels) channels but weight \(weight.shape) expects \(weight.shape[1])")
        }
        let outputChannels = weight.shape[0]
        if let bias, bias.shape != [outputChannels] {
            throw TensorError.shapeMismatch(operation: "conv2d",
                "bias must have shape [\(outputChannels)] for weight \(weight.shape), got \(bias.shape)")
        }
        let x = detached, w = weight.detached
        let positions = g.outputPositions, patch = g.patchSize
        let chunk = ImageColumns.imagesPerChunk(g)
        let outputShape = [g.batch, outputChannels, g.outputHeight, g.outputWidth]
        let columnsCount = patch * chunk * positions, productCount = outputChannels * chunk * positions

        // With the whole batch in one chunk, the forward's columns are kept for the weight's gradient
        // (which would otherwise build them again).
        let keptColumns: Tensor? = weight.isTracked && chunk >= g.batch && g.batch > 0
            ? Tensor.build(shape: [patch, g.batch * positions], count: patch * g.batch * positions) { _ in } : nil
        let result = Tensor.build(shape: outputShape, count: g.batch * outputChannels * positions) { out in
            ScratchBuffers.with(counts: [keptColumns == nil ? columnsCount : 0, productCount]) { buffers in
                let (columns, product) = (keptColumns?.storage.pointer ?? buffers[0], buffers[1])
                for start in Swift.stride(from: 0, to: g.batch, by: chunk) {
                    let images = Swift.min(chunk, g.batch - start)
                    let width = images * positions
                    ImageColumns.im2col(x.storage.pointer, geometry: g, batchRange: start..<(start + images), into: columns)
                    MatrixMultiply.gemm(transposeA: false, transposeB: false, m: outputChannels, n: width, k: patch,
                                        a: w.storage.pointer, lda: patch, b: columns, ldb: width, c: product, ldc: width)
                    // [O, images·L] → out[start + i, o, l] (+ bias[o]).
                    descent_conv_scatter(product, bias?.storage.pointer, out + start * outputChannels * positions,
                                         images, outputChannels, positions)
                }
            }
        }

        var inputs: [(Tensor, (Tensor) -> Tensor)] = []
        let inputShape = shape, weightShape = weight.shape
        inputs.append((self, { gradient in
            Tensor.build(shape: inputShape, count: x.count) { dx in
                dx.initialize(repeating: 0, count: x.count)
                ScratchBuffers.with(counts: [productCount, columnsCount]) { buffers in
                    let (gathered, columns) = (buffers[0], buffers[1])
                    for start in Swift.stride(from: 0, to: g.batch, by: chunk) {
                        let images = Swift.min(chunk, g.batch - start)
                        let width = images * positions
                        descent_conv_gather(gradient.storage.pointer + start * outputChannels * positions, gathered,
                                            images, outputChannels, positions)
                        MatrixMultiply.gemm(transposeA: true, transposeB: false, m: patch, n: width, k: outputChannels,
                                            a: w.storage.pointer, lda: patch, b: gathered, ldb: width, c: columns, ldc: width)
                        ImageColumns.col2im(columns, geometry: g, batchRange: start..<(start + images), addingInto: dx)
                    }
                }
            }
        }))
        inputs.append((weight, { gradient in
            Tensor.build(shape: weightShape, count: w.count) { dw in
                if g.batch == 0 { dw.initialize(repeating: 0, count: w.count) }
                ScratchBuffers.with(counts: [productCount, keptColumns == nil ? columnsCount : 0]) { buffers in
                    let (gathered, columns) = (buffers[0], buffers[1])
                    for start in Swift.stride(from: 0, to: g.batch, by: chunk) {
                        let images = Swift.min(chunk, g.batch - start)
                        let width = images * positions
                        descent_conv_gather(gradient.storage.pointer + start * outputChannels * positions, gathered,
                                            images, outputChannels, positions)
                        let source: UnsafeMutablePointer<Float>
                        if let keptColumns { source = keptColumns.storage.pointer } else {
                            ImageColumns.im2col(x.storage.pointer, geometry: g, batchRange: start..<(start + images), into: columns)
                            source = columns
                        }
                        MatrixMultiply.gemm(transposeA: false, transposeB: true, m: outputChannels, n: patch, k: width,
                                            a: gathered, lda: width, b: source, ldb: width,
                                            c: dw, ldc: patch, accumulate: start > 0)
                    }
                }
            }.checkedForFiniteness()
        }))
        if let bias {
            inputs.append((bias, { gradient in
                var sums = [Double](repeating: 0, count: outputChannels)
                descent_channel_sums(gradient.storage.pointer, &sums, g.batch, outputChannels, positions)
                return Tensor(sums.map { Float($0) }).checkedForFiniteness()
            }))
        }
        return Tensor.record(result, inputs)
    }
}
