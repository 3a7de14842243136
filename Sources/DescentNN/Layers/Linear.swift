import DescentTensor

/// A fully connected layer, as PyTorch's `nn.Linear`: y = x·Wᵀ + b, with the
/// weight stored as [outputSize, inputSize] (PyTorch's layout, so state
/// dictionaries interoperate).
///
/// The weight is drawn by `weightInitialization` (PyTorch's default
/// U(−1/√inputSize, 1/√inputSize) unless told otherwise); the bias always from
/// U(−1/√inputSize, 1/√inputSize), as PyTorch's `reset_parameters`.
///
/// ```swift
/// var generator = SeededGenerator(seed: 1)
/// let layer = try Linear(64, 32, using: &generator)     // weight [32, 64], bias [32]
/// try layer(Tensor.zeros([8, 64])).shape                  // [8, 32]; also [batch, time, 64] → [batch, time, 32]
/// ```
public final class Linear: Module {
    public let weight: Parameter
    public let bias: Parameter?
    public let inputSize: Int
    public let outputSize: Int
    public var isTraining = true

    /// - Throws: `TensorError.invalidArgument` if a size is not positive.
    public init(_ inputSize: Int, _ outputSize: Int, bias: Bool = true,
                weightInitialization: WeightInitialization = .pytorchDefault,
                using generator: inout SeededGenerator) throws {
        guard inputSize > 0, outputSize > 0 else {
            throw TensorError.invalidArgument(operation: "Linear", "sizes must be positive, got \(inputSize) → \(outputSize)")
        }
        self.inputSize = inputSize
        self.outputSize = outputSize
        weight = Parameter(try weightInitialization.makeTensor([outputSize, inputSize], fanIn: inputSize, fanOut: outputSize, using: &generator))
        let bound = 1 / Float(inputSize).squareRoot()
        self.bias = bias ? Parameter(try Tensor.randomUniform([outputSize], low: -bound, high: bound, using: &generator)) : nil
    }

    /// - Throws: `TensorError.shapeMismatch` naming the shapes if the last axis is not `inputSize`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard input.rank >= 1, input.shape[input.rank - 1] == inputSize else {
            throw TensorError.shapeMismatch(operation: "Linear(\(inputSize) → \(outputSize))",
                "input has shape \(input.shape), its last axis must be \(inputSize)")
        }
        let flat = input.rank == 2 ? input : try input.reshaped(to: [-1, inputSize])
        let output = try flat.affine(weight: weight.value, bias: bias?.value)
        return input.rank == 2 ? output : try output.reshaped(to: Array(input.shape.dropLast()) + [outputSize])
    }
}
