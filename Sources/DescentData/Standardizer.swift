import DescentTensor

/// Feature standardisation: `z = (x − mean) / standardDeviation`, per column.
///
/// Fit it on the training part only, then apply the same values to validation,
/// test and new data, so nothing about held-out rows leaks into training.
/// The standard deviation is the population one (divide by n), as in
/// scikit-learn's `StandardScaler`; a constant column (deviation 0, or tiny
/// against its mean) gets deviation 1, so it maps to 0 instead of NaN.
/// Codable, so it is saved with a model and applied again at prediction time.
///
/// ```swift
/// let x = try Tensor(shape: [3, 2], scalars: [1, 5,  2, 5,  3, 5])
/// let scaler = try Standardizer(fitting: x)
/// scaler.mean                 // [2, 5]
/// scaler.standardDeviation    // [0.8165, 1]   (second column is constant)
/// try scaler.transform(x)     // [[-1.2247, 0], [0, 0], [1.2247, 0]]
/// ```
public struct Standardizer: Codable, Sendable, Equatable {
    /// Per-column mean of the data it was fitted on.
    public var mean: [Float]
    /// Per-column standard deviation (1 for constant columns).
    public var standardDeviation: [Float]

    /// A standardiser with given statistics.
    /// - Throws: `DataError.invalidArgument` if the counts differ or a deviation is not positive and finite.
    public init(mean: [Float], standardDeviation: [Float]) throws {
        guard mean.count == standardDeviation.count else {
            throw DataError.invalidArgument(parameter: "standardDeviation",
                "\(standardDeviation.count) deviations for \(mean.count) means")
        }
        if let bad = standardDeviation.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
            throw DataError.invalidArgument(parameter: "standardDeviation",
                "column \(bad): deviation must be positive and finite, got \(standardDeviation[bad])")
        }
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// Fits mean and deviation of each column of `features` `[n, d]` (n ≥ 1), computed in Double.
    /// - Throws: `DataError.invalidArgument` if `features` is not 2-D or has no rows.
    public init(fitting features: Tensor) throws {
        guard features.rank == 2, features.shape[0] > 0 else {
            throw DataError.invalidArgument(parameter: "features", "need a 2-D [n, d] tensor with n ≥ 1, got shape \(features.shape)")
        }
        let rows = features.shape[0], columns = features.shape[1]
        var sums = [Double](repeating: 0, count: columns)
        var squares = [Double](repeating: 0, count: columns)
        features.withUnsafeBufferPointer { x in
            for row in 0..<rows {
                for column in 0..<columns { sums[column] += Double(x[row * columns + column]) }
            }
            for column in 0..<columns { sums[column] /= Double(rows) }
            for row in 0..<rows {
                for column in 0..<columns {
                    let difference = Double(x[row * columns + column]) - sums[column]
                    squares[column] += difference * difference
                }
            }
        }
        mean = sums.map { Float($0) }
        standardDeviation = (0..<columns).map { column in
            let deviation = (squares[column] / Double(rows)).squareRoot()
            let scale = Swift.max(1, abs(sums[column]))
            return deviation <= 1e-7 * scale || !deviation.isFinite ? 1 : Float(deviation)
        }
    }

    /// `(x − mean) / standardDeviation` for each row of `features` `[n, d]`.
    public func transform(_ features: Tensor) throws -> Tensor {
        try mapColumns(features) { value, column in (value - mean[column]) / standardDeviation[column] }
    }

    /// `z × standardDeviation + mean`: undoes `transform`.
    public func inverseTransform(_ features: Tensor) throws -> Tensor {
        try mapColumns(features) { value, column in value * standardDeviation[column] + mean[column] }
    }

    /// A copy of `features` `[n, d]` (shape checked against the fit) with each element replaced by
    /// `map(element, its column)`.
    private func mapColumns(_ features: Tensor, _ map: (Float, Int) -> Float) throws -> Tensor {
        try check(features)
        var result = features.detached
        let columns = mean.count
        result.withUnsafeMutableBufferPointer { x in
            for index in 0..<x.count { x[index] = map(x[index], index % columns) }
        }
        return result
    }

    /// The data set with its features standardised (targets unchanged).
    public func transform(_ dataset: Dataset) throws -> Dataset {
        var copy = dataset
        copy.features = try transform(dataset.features)
        return copy
    }

    private func check(_ features: Tensor) throws {
        guard features.rank == 2, features.shape[1] == mean.count else {
            throw DataError.invalidArgument(parameter: "features",
                "expected shape [n, \(mean.count)] (as fitted), got \(features.shape)")
        }
    }
}
