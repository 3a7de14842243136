import DescentTensor

/// Flattens every axis after the batch axis, as PyTorch's `nn.Flatten()`:
/// [N, C, H, W] → [N, C·H·W].
///
/// ```swift
/// try Flatten()(Tensor.zeros([16, 8, 2, 2])).shape   // [16, 32]
/// ```
public final class Flatten: Module {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) throws -> Tensor { try input.flattenedBatch() }
}
