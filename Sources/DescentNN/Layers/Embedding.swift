import DescentTensor

/// A lookup table of vectors, as PyTorch's `nn.Embedding`: an input of integer
/// indices (stored as Float) of any shape gives that shape + [dimension].
/// The table is initialised from N(0, 1), as PyTorch. Gradients add into the rows used.
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let embedding = try Embedding(count: 10, dimension: 4, using: &generator)
/// try embedding(Tensor(shape: [2, 3], scalars: [1, 2, 3, 3, 2, 1])).shape   // [2, 3, 4]
/// ```
public final class Embedding: Module {
    public let weight: Parameter
    public let count: Int
    public let dimension: Int
    public var isTraining = true

    /// - Throws: `TensorError.invalidArgument` if a size is not positive.
    public init(count: Int, dimension: Int, using generator: inout SeededGenerator) throws {
        guard count > 0, dimension > 0 else {
            throw TensorError.invalidArgument(operation: "Embedding", "count and dimension must be positive, got \(count), \(dimension)")
        }
        self.count = count
        self.dimension = dimension
        weight = Parameter(try Tensor.randomNormal([count, dimension], using: &generator))
    }

    /// - Throws: `TensorError.invalidArgument` naming the first index that is not an integer in 0..<count.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        var indices: [Int] = []
        indices.reserveCapacity(input.count)
        for (position, value) in input.scalars.enumerated() {
            guard value.rounded() == value, value >= 0, value < Float(count) else {
                throw TensorError.invalidArgument(operation: "Embedding", "index \(value) at position \(position) is not an integer in 0..<\(count)")
            }
            indices.append(Int(value))
        }
        return try weight.value.gatherRows(indices).reshaped(to: input.shape + [dimension])
    }
}
