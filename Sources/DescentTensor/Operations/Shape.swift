/// Operations that move elements without arithmetic: reshape, transpose and
/// permute, slicing, concatenation, row gathering and one-hot encoding.
/// Their gradients move the gradient back the same way.
extension Tensor {
    /// The same elements in a new shape; one dimension may be -1 (inferred).
    public func reshaped(to newShape: [Int]) throws -> Tensor {
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.map { $0.element }
            guard known.allSatisfy({ $0 >= 0 }), newShape.filter({ $0 == -1 }).count == 1 else {
                throw TensorError.invalidArgument(operation: "reshape", "invalid target shape \(newShape)")
            }
            let product = known.reduce(1, *)
            guard product > 0, count % product == 0 else {
                throw TensorError.shapeMismatch(operation: "reshape", "cannot reshape \(shape) (\(count) elements) to \(newShape)")
            }
            resolved[inferred] = count / product
        }
        let newCount = try Tensor.elementCount(of: resolved, operation: "reshape")
        guard newCount == count else {
            throw TensorError.shapeMismatch(operation: "reshape", "cannot reshape \(shape) (\(count) elements) to \(resolved) (\(newCount) elements)")
        }
        if resolved == shape { return self }
        let inputShape = shape
        return Tensor.record(Tensor(shape: resolved, storage: storage), self) { try! $0.reshaped(to: inputShape) }
    }

    /// Flattens all axes after the first: [n, a, b, ...] → [n, a·b·...].
    public func flattenedBatch() throws -> Tensor {
        guard rank >= 1 else { throw TensorError.invalidArgument(operation: "flatten", "a scalar has no batch axis") }
        return try reshaped(to: [shape[0], count / Swift.max(shape[0], 1)])
    }

    /// Reorders axes: result axis i is input axis `axes[i]`.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        guard axes.count == rank, Set(axes) == Set(0..<rank) else {
            throw TensorError.invalidArgument(operation: "permute", "\(axes) is not a permutation of the \(rank) axes of \(shape)")
        }
        if axes == Array(0..<rank) { return self }
        let newShape = axes.map { shape[$0] }
        var inputStrides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { inputStrides[axis] = inputStrides[axis + 1] * shape[axis + 1] }
        let strides = axes.map { inputStrides[$0] }
        let x = storage.pointer
        let result = Tensor.build(shape: newShape, count: count) { out in
            if rank == 2 {
                let (rows, columns) = (newShape[0], newShape[1])
                let (rowStride, columnStride) = (strides[0], strides[1])
                // Blocked transpose for cache friendliness.
                let block = 32
                for rowBlock in stride(from: 0, to: rows, by: block) {
                    for columnBlock in stride(from: 0, to: columns, by: block) {
                        for r in rowBlock..<Swift.min(rowBlock + block, rows) {
                            for c in columnBlock..<Swift.min(columnBlock + block, columns) {
                                out[r * columns + c] = x[r * rowStride + c * columnStride]
                            }
                        }
                    }
                }
                return
            }
            var index = [Int](repeating: 0, count: rank)
            var offset = 0
            for position in 0..<count {
                out[position] = x[offset]
                var axis = rank - 1
                while axis >= 0 {
                    index[axis] += 1
                    offset += strides[axis]
                    if index[axis] < newShape[axis] { break }
                    offset -= strides[axis] * newShape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
        var inverse = [Int](repeating: 0, count: rank)
        for (position, axis) in axes.enumerated() { inverse[axis] = position }
        return Tensor.record(result, self) { try! $0.permuted(inverse) }
    }

    /// Swaps the last two axes (the matrix transpose for rank 2).
    public func transposed() throws -> Tensor {
        guard rank >= 2 else { throw TensorError.invalidArgument(operation: "transpose", "needs at least 2 axes, shape is \(shape)") }
        var axes = Array(0..<rank)
        axes.swapAt(rank - 1, rank - 2)
        return try permuted(axes)
    }

    /// The elements with index in `range` along `axis`.
    public func slice(alongAxis axis: Int, _ range: Range<Int>) throws -> Tensor {
        let axis = try normalizedAxes([axis], operation: "slice")[0]
        guard range.lowerBound >= 0, range.upperBound <= shape[axis] else {
            throw TensorError.invalidArgument(operation: "slice", "range \(range) is outside 0..<\(shape[axis]) on axis \(axis) of \(shape)")
        }
        let outer = shape[..<axis].reduce(1, *), length = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        var newShape = shape
        newShape[axis] = range.count
        let x = storage.pointer
        let result = Tensor.build(shape: newShape, count: outer * range.count * inner) { out in
            for o in 0..<outer {
                (out + o * range.count * inner).update(from: x + (o * length + range.lowerBound) * inner, count: range.count * inner)
            }
        }
        let inputShape = shape
        return Tensor.record(result, self) { gradient in
            let g = gradient.storage.pointer
            return Tensor.build(shape: inputShape, count: outer * length * inner) { out in
                out.initialize(repeating: 0, count: outer * length * inner)
                for o in 0..<outer {
                    (out + (o * length + range.lowerBound) * inner).update(from: g + o * range.count * inner, count: range.count * inner)
                }
            }
        }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError.invalidArgument(operation: "concatenate", "no tensors given") }
        let axis = try first.normalizedAxes([axis], operation: "concatenate")[0]
        for (index, tensor) in tensors.enumerated() {
            var expected = first.shape, actual = tensor.shape
            guard actual.count == expected.count else {
                throw TensorError.shapeMismatch(operation: "concatenate", "tensor \(index) has shape \(tensor.shape), tensor 0 has \(first.shape)")
            }
            expected[axis] = 0; actual[axis] = 0
            guard expected == actual else {
                throw TensorError.shapeMismatch(operation: "concatenate", "tensor \(index) has shape \(tensor.shape), tensor 0 has \(first.shape) (only axis \(axis) may differ)")
            }
        }
        let outer = first.shape[..<axis].reduce(1, *), inner = first.shape[(axis + 1)...].reduce(1, *)
        let lengths = tensors.map { $0.shape[axis] }
        let total = lengths.reduce(0, +)
        var newShape = first.shape
        newShape[axis] = total
        let result = build(shape: newShape, count: outer * total * inner) { out in
            var start = 0
            for (tensor, length) in zip(tensors, lengths) {
                let x = tensor.storage.pointer
                for o in 0..<outer { (out + (o * total + start) * inner).update(from: x + o * length * inner, count: length * inner) }
                start += length
            }
        }
        var inputs: [(Tensor, (Tensor) -> Tensor)] = []
        var start = 0
        for (tensor, length) in zip(tensors, lengths) {
            let range = start..<(start + length)
            inputs.append((tensor, { try! $0.slice(alongAxis: axis, range) }))
            start += length
        }
        return record(result, inputs)
    }

    /// Rows (entries along axis 0) at `indices`, in order; repeats allowed.
    /// The gradient adds back into each selected row.
    public func gatherRows(_ indices: [Int]) throws -> Tensor {
        guard rank >= 1 else { throw TensorError.invalidArgument(operation: "gatherRows", "a scalar has no rows") }
        let rows = shape[0], width = count / Swift.max(rows, 1)
        for index in indices where index < 0 || index >= rows {
            throw TensorError.invalidArgument(operation: "gatherRows", "row index \(index) is outside 0..<\(rows)")
        }
        var newShape = shape
        newShape[0] = indices.count
        let x = storage.pointer
        let result = Tensor.build(shape: newShape, count: indices.count * width) { out in
            for (row, index) in indices.enumerated() { (out + row * width).initialize(from: x + index * width, count: width) }
        }
        let inputShape = shape
        return Tensor.record(result, self) { gradient in
            let g = gradient.storage.pointer
            return Tensor.build(shape: inputShape, count: rows * width) { out in
                out.initialize(repeating: 0, count: rows * width)
                for (row, index) in indices.enumerated() {
                    let target = out + index * width, source = g + row * width
                    for j in 0..<width { target[j] += source[j] }
                }
            }
        }
    }

    /// One row per label with a 1 in the label's column: shape [labels.count, classes].
    public static func oneHot(_ labels: [Int], classes: Int) throws -> Tensor {
        guard classes > 0 else { throw TensorError.invalidArgument(operation: "oneHot", "classes must be positive, got \(classes)") }
        for label in labels where label < 0 || label >= classes {
            throw TensorError.invalidArgument(operation: "oneHot", "label \(label) is outside 0..<\(classes)")
        }
        return build(shape: [labels.count, classes], count: labels.count * classes) { out in
            out.initialize(repeating: 0, count: labels.count * classes)
            for (row, label) in labels.enumerated() { out[row * classes + label] = 1 }
        }
    }
}
