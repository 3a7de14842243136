import DescentTensor

/// The first layer of a network on a raw table: passes the dense inputs through and replaces each
/// categorical code by its learned embedding (fastai's `TabularModel` input; Guo & Berkhahn 2016,
/// "Entity Embeddings of Categorical Variables").
///
/// An input row is `[dense₀ … dense_{d−1}, code₀ … code_{k−1}]` (codes as whole numbers stored in Float);
/// the output row is `[dense₀ … dense_{d−1}, E₀[code₀] … E_{k−1}[code_{k−1}]]`, width d + Σ dimensions.
/// Row 0 of every table is the "(unknown)" level of `TabularPreprocessing`: it starts at zero and, as no
/// training row has it, stays zero — an unseen category contributes nothing. The tables are PyTorch
/// `nn.Embedding`s named `tables.0.weight`, … (N(0, 1) initial values, as PyTorch).
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let input = try TabularInput(denseWidth: 2, tables: [(count: 12, dimension: 6)], using: &generator)
/// try input(Tensor(shape: [1, 3], scalars: [0.5, -1, 3])).shape   // [1, 8]: 0.5, −1, then row 3 of the table
/// ```
public final class TabularInput: Module {
    public let tables: [Embedding]
    public let denseWidth: Int
    public var isTraining = true

    /// - Throws: `TensorError.invalidArgument` if a size is negative or not positive.
    public init(denseWidth: Int, tables: [(count: Int, dimension: Int)], using generator: inout SeededGenerator) throws {
        guard denseWidth >= 0 else {
            throw TensorError.invalidArgument(operation: "TabularInput", "denseWidth must not be negative, got \(denseWidth)")
        }
        self.denseWidth = denseWidth
        var made: [Embedding] = []
        for table in tables {
            let embedding = try Embedding(count: table.count, dimension: table.dimension, using: &generator)
            var values = embedding.weight.value.scalars
            for index in 0..<table.dimension { values[index] = 0 }
            embedding.weight.value = try Tensor(shape: [table.count, table.dimension], scalars: values)
            made.append(embedding)
        }
        self.tables = made
    }

    /// The width of an output row: the dense inputs plus every table's dimension.
    public var outputWidth: Int { denseWidth + tables.reduce(0) { $0 + $1.dimension } }

    /// - Throws: `TensorError` if the input is not `[rows, denseWidth + tables.count]` or a code is not a row of its table.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard input.rank == 2, input.shape[1] == denseWidth + tables.count else {
            throw TensorError.shapeMismatch(operation: "TabularInput",
                "expected [rows, \(denseWidth + tables.count)] (\(denseWidth) dense inputs, \(tables.count) codes), got \(input.shape)")
        }
        guard !tables.isEmpty else { return input }
        let rows = input.shape[0], width = input.shape[1]
        let values = input.scalars
        var parts: [Tensor] = []
        if denseWidth > 0 { parts.append(try input.slice(alongAxis: 1, 0..<denseWidth)) }
        for (number, table) in tables.enumerated() {
            var indices: [Int] = []
            indices.reserveCapacity(rows)
            for row in 0..<rows {
                let value = values[row * width + denseWidth + number]
                guard value.rounded() == value, value >= 0, value < Float(table.count) else {
                    throw TensorError.invalidArgument(operation: "TabularInput",
                        "code \(value) in row \(row) of table \(number) is not an integer in 0..<\(table.count)")
                }
                indices.append(Int(value))
            }
            parts.append(try table.weight.value.gatherRows(indices))
        }
        return try Tensor.concatenate(parts, alongAxis: 1)
    }
}
