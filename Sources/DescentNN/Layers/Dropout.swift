import DescentTensor

/// Inverted dropout (Srivastava et al., 2014), as PyTorch's `nn.Dropout`: in
/// training each element is zeroed with probability p and the survivors are
/// scaled by 1/(1 − p), so the expected output equals the input; in evaluation
/// it is the identity.
///
/// The masks come from the layer's own generator, seeded from the one given,
/// so a run is reproducible.
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let dropout = try Dropout(probability: 0.5, using: &generator)
/// try dropout(Tensor.ones([4]))   // e.g. [2, 0, 2, 2] in training; [1, 1, 1, 1] after eval()
/// ```
public final class Dropout: Module {
    public let probability: Float
    public var isTraining = true
    private var generator: SeededGenerator

    /// - Throws: `TensorError.invalidArgument` unless 0 ≤ probability ≤ 1.
    public init(probability: Float = 0.5, using generator: inout SeededGenerator) throws {
        guard probability >= 0, probability <= 1 else {
            throw TensorError.invalidArgument(operation: "Dropout", "probability must be in [0, 1], got \(probability)")
        }
        self.probability = probability
        self.generator = SeededGenerator(seed: generator.next())
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard isTraining, probability > 0 else { return input }
        let keep = Double(1 - probability)
        let scale = probability < 1 ? Float(1 / keep) : 0
        var mask = Tensor.zeros(like: input)
        mask.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] = generator.nextUniform() < keep ? scale : 0 }
        }
        return try input * mask
    }
}
