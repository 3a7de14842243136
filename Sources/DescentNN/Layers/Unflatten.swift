import DescentTensor

/// Gives each row of a batch a shape, as PyTorch's `nn.Unflatten(1, shape)`:
/// [N, d] → [N] + shape, where the product of `shape` is d. It lets a model that
/// expects images (a convolution) train on a data set whose rows are flat feature
/// vectors (the digits' 64 pixels as 1×8×8, MNIST's 784 as 1×28×28).
///
/// ```swift
/// try Unflatten([1, 8, 8])(Tensor.zeros([16, 64])).shape   // [16, 1, 8, 8]
/// ```
public final class Unflatten: Module {
    /// The shape of one row.
    public let shape: [Int]
    public var isTraining = true

    public init(_ shape: [Int]) { self.shape = shape }

    /// - Throws: `TensorError.shapeMismatch` if the rows do not hold `shape`'s number of elements.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        let width = shape.reduce(1, *)
        guard input.rank >= 1, input.count == (input.shape.first ?? 0) * width, shape.allSatisfy({ $0 > 0 }) else {
            throw TensorError.shapeMismatch(operation: "Unflatten(\(shape))",
                "input has shape \(input.shape), each row must hold \(width) elements")
        }
        return try input.reshaped(to: [input.shape[0]] + shape)
    }
}
