import DescentTensor

/// What a model is, as a value: its kind and sizes, enough to build it again (weights apart) —
/// what a saved model file records so that `descent predict` can rebuild the network before
/// loading its tensors.
///
/// * `.mlp`: `Linear(inputSize, h₁) → activation → … → Linear(hₖ, outputSize)`, as an `nn.Sequential`
///   whose linear layers are at indices 0, 2, 4, … (PyTorch's names `0.weight`, `0.bias`, `2.weight`, …).
/// * `.cnn`: for each width c in `channels`, conv k×k (padding k/2) → activation → max-pool 2, then flatten →
///   linear to `outputSize`, on images of `imageShape` (channels × height × width) given as flat rows.
///   ``makeModel(using:)`` rebuilds it as `descent train --model cnn` builds it (the kernel size k odd,
///   so padding k/2 keeps the size; 3 by default).
/// * `.mlp` with `embeddings` (a raw table with many-level categories): `TabularInput` first (index 0: the
///   tables `0.tables.0.weight`, …), whose input is `inputSize − embeddings.count` dense values then one code
///   per table, then the MLP on its output (linear layers at indices 1, 3, 5, …).
///
/// Example: iris with `--hidden 64`: `ModelArchitecture.multilayerPerceptron(inputSize: 4, hiddenSizes: [64], outputSize: 3)`,
/// `parameterShapes` = `["0.weight": [64, 4], "0.bias": [64], "2.weight": [3, 64], "2.bias": [3]]`,
/// 4·64 + 64 + 64·3 + 3 = 515 parameters; its `summary` is "MLP 4 → 64 → 3, relu".
public struct ModelArchitecture: Codable, Sendable, Equatable {
    /// The family of network.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case mlp, cnn
    }

    public var kind: Kind
    /// Features per input row (for a CNN: channels × height × width).
    public var inputSize: Int
    /// Hidden layer widths of an MLP (empty: a linear model).
    public var hiddenSizes: [Int]
    /// Outputs per row: the number of classes, or 1 for regression.
    public var outputSize: Int
    /// The activation between layers (`relu`).
    public var activation: String
    /// A CNN's image shape `[channels, height, width]` (nil for an MLP).
    public var imageShape: [Int]?
    /// A CNN's convolution widths (nil for an MLP).
    public var channels: [Int]?
    /// A CNN's square kernel size (nil for an MLP).
    public var kernelSize: Int?
    /// An MLP's embedding tables, `[rows, dimension]` each, looked up by `TabularInput` (nil or empty: none).
    public var embeddings: [[Int]]?

    enum CodingKeys: String, CodingKey {
        case kind, activation, channels
        case inputSize = "input_size", hiddenSizes = "hidden_sizes", outputSize = "output_size"
        case imageShape = "image_shape", kernelSize = "kernel_size", embeddings
    }

    public init(kind: Kind, inputSize: Int, hiddenSizes: [Int], outputSize: Int, activation: String = "relu",
                imageShape: [Int]? = nil, channels: [Int]? = nil, kernelSize: Int? = nil, embeddings: [[Int]]? = nil) {
        self.kind = kind
        self.inputSize = inputSize
        self.hiddenSizes = hiddenSizes
        self.outputSize = outputSize
        self.activation = activation
        self.imageShape = imageShape
        self.channels = channels
        self.kernelSize = kernelSize
        self.embeddings = embeddings
    }

    /// The embedding tables as (rows, dimension) pairs (empty: none).
    public var embeddingTables: [(count: Int, dimension: Int)] { (embeddings ?? []).compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil } }

    /// The width the first linear layer reads: `inputSize`, or with embeddings the dense inputs plus every dimension.
    public var linearInputSize: Int {
        let tables = embeddingTables
        return inputSize - tables.count + tables.reduce(0) { $0 + $1.dimension }
    }

    /// An MLP with ReLU between its linear layers.
    public static func multilayerPerceptron(inputSize: Int, hiddenSizes: [Int], outputSize: Int) -> ModelArchitecture {
        ModelArchitecture(kind: .mlp, inputSize: inputSize, hiddenSizes: hiddenSizes, outputSize: outputSize)
    }

    /// Checks the sizes (all positive, a known activation); `source` names the file in the message.
    /// - Throws: `TensorError.invalidArgument` saying what is wrong.
    public func validate(source: String = "model") throws {
        func fail(_ detail: String) -> TensorError { .invalidArgument(operation: source, detail) }
        guard inputSize > 0, outputSize > 0, hiddenSizes.allSatisfy({ $0 > 0 }) else {
            throw fail("the model's sizes must be positive: input \(inputSize), hidden \(hiddenSizes), output \(outputSize)")
        }
        if let embeddings {
            guard kind == .mlp, embeddings.allSatisfy({ $0.count == 2 && $0[0] > 0 && $0[1] > 0 }), embeddings.count <= inputSize else {
                throw fail("embeddings must be [rows, dimension] pairs of positive sizes, at most one per input, on an mlp")
            }
        }
        guard activation == "relu" else { throw fail("unknown activation '\(activation)' (this build knows relu)") }
        if kind == .cnn {
            guard let imageShape, imageShape.count == 3, imageShape.allSatisfy({ $0 > 0 }),
                  imageShape.reduce(1, *) == inputSize else {
                throw fail("a cnn needs image_shape [channels, height, width] whose product is input_size \(inputSize)")
            }
            guard let channels, !channels.isEmpty, channels.allSatisfy({ $0 > 0 }) else {
                throw fail("a cnn needs one or more positive channels")
            }
        }
    }

    /// The layers in words: "MLP 4 → 64 → 3, relu" or "CNN 1×8×8, conv 3×3 [16, 32], relu, max-pool 2 → 10".
    public var summary: String {
        switch kind {
        case .mlp:
            let widths = [inputSize] + hiddenSizes + [outputSize]
            let tables = embeddingTables
            let embedded = tables.isEmpty ? "" : " (\(tables.count) embedding\(tables.count == 1 ? "" : "s") "
                + tables.map { "\($0.count)×\($0.dimension)" }.joined(separator: ", ") + " → \(linearInputSize))"
            return "MLP " + widths.map(String.init).joined(separator: " → ") + (hiddenSizes.isEmpty ? " (linear)" : ", \(activation)") + embedded
        case .cnn:
            let image = (imageShape ?? []).map(String.init).joined(separator: "×")
            let kernel = kernelSize ?? 3
            return "CNN \(image), conv \(kernel)×\(kernel) \(channels ?? []), \(activation), max-pool 2 → \(outputSize)"
        }
    }

    /// The PyTorch names and shapes of an MLP's tensors (empty for a CNN, whose shapes the file's tensors give).
    public var parameterShapes: [String: [Int]] {
        guard kind == .mlp else { return [:] }
        let widths = [linearInputSize] + hiddenSizes + [outputSize]
        var shapes: [String: [Int]] = [:]
        let tables = embeddingTables
        let offset = tables.isEmpty ? 0 : 1
        for (index, table) in tables.enumerated() { shapes["0.tables.\(index).weight"] = [table.count, table.dimension] }
        for layer in 0..<(widths.count - 1) {
            shapes["\(2 * layer + offset).weight"] = [widths[layer + 1], widths[layer]]
            shapes["\(2 * layer + offset).bias"] = [widths[layer + 1]]
        }
        return shapes
    }

    /// A freshly initialised network of this shape (weights drawn from `generator`, as `descent train` does).
    /// - Throws: `TensorError.invalidArgument` for invalid sizes, or a CNN whose poolings do not fit its image.
    public func makeModel(using generator: inout SeededGenerator) throws -> Sequential {
        try validate()
        if kind == .cnn, let imageShape, let channels {
            // Unflatten → (conv k×k, padding k/2 → ReLU → max-pool 2) per width → flatten → linear,
            // the network `descent train --model cnn` builds, drawing its weights in the same order.
            let kernel = kernelSize ?? 3
            var layers: [any Module] = [Unflatten(imageShape)]
            var (previous, height, width) = (imageShape[0], imageShape[1], imageShape[2])
            for count in channels {
                guard height >= 2, width >= 2 else {
                    throw TensorError.invalidArgument(operation: "model", "\(summary): too many poolings for the image")
                }
                layers.append(try Conv2D(previous, count, kernelSize: kernel, padding: kernel / 2, using: &generator))
                layers.append(ReLU())
                layers.append(MaxPool2D(kernelSize: 2))
                (previous, height, width) = (count, height / 2, width / 2)
            }
            layers.append(Flatten())
            layers.append(try Linear(previous * height * width, outputSize, using: &generator))
            return Sequential(layers)
        }
        var layers: [any Module] = []
        var width = inputSize
        let tables = embeddingTables
        if !tables.isEmpty {
            let input = try TabularInput(denseWidth: inputSize - tables.count, tables: tables, using: &generator)
            layers.append(input)
            width = input.outputWidth
        }
        for size in hiddenSizes {
            layers.append(try Linear(width, size, using: &generator))
            layers.append(ReLU())
            width = size
        }
        layers.append(try Linear(width, outputSize, using: &generator))
        return Sequential(layers)
    }
}
