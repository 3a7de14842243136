import DescentTensor

/// A minibatch: some rows of a data set.
///
/// ```swift
/// let batch = batches.batch(at: 0)
/// batch.features.shape   // [32, 64]
/// batch.classIndices     // [3, 7, 0, ...] (32 labels), nil for regression
/// ```
public struct MiniBatch: Sendable {
    /// Features of the rows, shape `[batchSize, d]`.
    public var features: Tensor
    /// Targets of the rows.
    public var targets: Targets
    /// Which rows of the data set these are, in batch order.
    public var indices: [Int]

    /// The number of rows.
    public var count: Int { indices.count }
    /// Class indices for classification (nil for regression).
    public var classIndices: [Int]? { targets.classIndices }
    /// Targets as a tensor `[batchSize]` (class indices as floats for classification).
    public var targetTensor: Tensor { targets.tensor }
}

/// The rows of a data set in minibatches, in an order drawn from a seeded generator.
///
/// Creating it draws one permutation from the caller's generator, so building
/// it once per epoch from the same generator gives a new, reproducible order
/// each epoch. With `dropLast` a final batch smaller than `batchSize` is left out.
///
/// ```swift
/// var generator = SeededGenerator(seed: 42)
/// for epoch in 0..<10 {
///     for batch in try MiniBatches(dataset: train, batchSize: 32, dropLast: true, generator: &generator) {
///         // batch.features: [32, d]; batch.classIndices: 32 labels
///     }
/// }
/// // 1,000 rows, batchSize 32: 31 batches with dropLast, 32 (the last of 8 rows) without.
/// ```
public struct MiniBatches: Sequence, Sendable {
    /// The data set the batches are cut from.
    public let dataset: Dataset
    /// Rows per batch.
    public let batchSize: Int
    /// Whether a final, smaller batch is left out.
    public let dropLast: Bool
    /// The order in which rows are visited.
    public let order: [Int]

    /// Batches in a random order drawn from `generator` (which advances), or in row order if `shuffle` is false.
    /// - Throws: `DataError.invalidArgument` if `batchSize` is not positive.
    public init(dataset: Dataset, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false,
                generator: inout SeededGenerator) throws {
        guard batchSize > 0 else {
            throw DataError.invalidArgument(parameter: "batchSize", "must be positive, got \(batchSize)")
        }
        var order = Array(0..<dataset.count)
        if shuffle { generator.shuffle(&order) }
        self.dataset = dataset
        self.batchSize = batchSize
        self.dropLast = dropLast
        self.order = order
    }

    /// Batches in a random order drawn from a generator seeded with `seed`.
    public init(dataset: Dataset, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        try self.init(dataset: dataset, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, generator: &generator)
    }

    /// The number of batches.
    public var count: Int {
        // Written without `order.count + batchSize - 1`, which overflows for a huge batch size.
        let (full, remainder) = order.count.quotientAndRemainder(dividingBy: batchSize)
        return dropLast || remainder == 0 ? full : full + 1
    }

    /// The batch at position `index` in `0..<count`.
    public func batch(at index: Int) -> MiniBatch {
        precondition(index >= 0 && index < count, "batch index \(index) outside 0..<\(count)")
        let start = index * batchSize
        let rows = Array(order[start..<(start + Swift.min(batchSize, order.count - start))])
        let part = dataset.subset(rows)
        return MiniBatch(features: part.features, targets: part.targets, indices: rows)
    }

    public struct Iterator: IteratorProtocol {
        let batches: MiniBatches
        var position = 0
        public mutating func next() -> MiniBatch? {
            guard position < batches.count else { return nil }
            defer { position += 1 }
            return batches.batch(at: position)
        }
    }

    public func makeIterator() -> Iterator { Iterator(batches: self) }
    public var underestimatedCount: Int { count }
}
