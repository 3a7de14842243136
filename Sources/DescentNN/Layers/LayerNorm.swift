import DescentTensor

/// Layer normalisation (Ba, Kiros & Hinton, 2016), as PyTorch's `nn.LayerNorm`:
/// over the trailing axes given by `normalizedShape`,
///
///     y = (x − mean) / √(var + ε) · weight + bias      (var biased, ε = 1e-5)
///
/// with `weight` ones and `bias` zeros of shape `normalizedShape` at the start.
///
/// ```swift
/// let norm = try LayerNorm([3])
/// try norm(Tensor(rows: [[1, 2, 3]]))   // [[-1.2247, 0, 1.2247]]
/// ```
public final class LayerNorm: Module {
    public let normalizedShape: [Int]
    public let epsilon: Float
    public let weight: Parameter?
    public let bias: Parameter?
    public var isTraining = true

    /// - Throws: `TensorError.invalidArgument` for an empty or non-positive shape.
    public init(_ normalizedShape: [Int], epsilon: Float = 1e-5, elementwiseAffine: Bool = true) throws {
        guard !normalizedShape.isEmpty, normalizedShape.allSatisfy({ $0 > 0 }) else {
            throw TensorError.invalidArgument(operation: "LayerNorm", "normalizedShape must be non-empty and positive, got \(normalizedShape)")
        }
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        weight = elementwiseAffine ? Parameter(try Tensor.ones(normalizedShape)) : nil
        bias = elementwiseAffine ? Parameter(try Tensor.zeros(normalizedShape)) : nil
    }

    /// - Throws: `TensorError.shapeMismatch` if the input's trailing axes are not `normalizedShape`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard input.rank >= normalizedShape.count, Array(input.shape.suffix(normalizedShape.count)) == normalizedShape else {
            throw TensorError.shapeMismatch(operation: "LayerNorm", "input \(input.shape) must end with \(normalizedShape)")
        }
        let axes = Array((input.rank - normalizedShape.count)..<input.rank)
        let centered = try input - input.mean(alongAxes: axes, keepingDimensions: true)
        let variance = try centered.squared().mean(alongAxes: axes, keepingDimensions: true)
        var output = try centered / (variance + epsilon).sqrt()
        if let weight { output = try output * weight.value }
        if let bias { output = try output + bias.value }
        return output
    }
}
