import DescentTensor

/// A residual connection (He et al., 2016): y = x + block(x). The block must
/// keep the shape of its input.
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let residual = try Residual {
///     try Linear(16, 16, using: &generator)
///     ReLU()
/// }
/// residual.namedParameters.map(\.name)   // ["block.0.weight", "block.0.bias"]
/// ```
public final class Residual: Module {
    public let block: any Module
    public var isTraining = true

    public init(_ block: any Module) { self.block = block }

    /// Wraps the built layers in a `Sequential`.
    public convenience init(@ModuleBuilder _ content: () throws -> [any Module]) rethrows {
        self.init(Sequential(try content()))
    }

    /// - Throws: `TensorError.shapeMismatch` if the block changes the shape.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        let output = try block(input)
        guard output.shape == input.shape else {
            throw TensorError.shapeMismatch(operation: "Residual", "the block maps \(input.shape) to \(output.shape); it must keep the shape")
        }
        return try input + output
    }
}
