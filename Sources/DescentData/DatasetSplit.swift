import DescentTensor

/// A data set cut into training, validation and test parts that share no example.
///
/// ```swift
/// let digits = try Datasets.load(named: "digits")            // 1,797 rows
/// let parts = try digits.split(validationFraction: 0.2, testFraction: 0.1, seed: 7)
/// parts.train.count, parts.validation.count, parts.test.count   // 1,258, 359, 180
/// ```
public struct DatasetSplit: Sendable {
    /// The part a model is fitted on (and the standardiser too).
    public var train: Dataset
    /// The part used to choose settings and stop early.
    public var validation: Dataset
    /// The part held back for the final measurement (may be empty).
    public var test: Dataset
    /// Row indices of each part in the original data set, ascending.
    public var trainIndices: [Int]
    public var validationIndices: [Int]
    public var testIndices: [Int]

    /// The three parts standardised with statistics of the training part only,
    /// and the fitted standardiser (to apply to new data at prediction time).
    public func standardized() throws -> (split: DatasetSplit, standardizer: Standardizer) {
        let standardizer = try Standardizer(fitting: train.features)
        return (try standardized(with: standardizer), standardizer)
    }

    /// The three parts standardised with a given standardiser, e.g. a saved model's, so that a warm
    /// start sees its features on the scale its weights were trained on.
    public func standardized(with standardizer: Standardizer) throws -> DatasetSplit {
        var copy = self
        copy.train = try standardizer.transform(train)
        copy.validation = try standardizer.transform(validation)
        copy.test = try standardizer.transform(test)
        return copy
    }
}

extension Dataset {
    /// Splits the rows at random into training, validation and test parts.
    ///
    /// The validation part gets `round(n × validationFraction)` rows and the test
    /// part `round(n × testFraction)`; the rest is training. With `stratified`
    /// (the default for classification) each class is spread over the parts in
    /// the proportions of the whole (largest-remainder rounding), as scikit-learn's
    /// `train_test_split(..., stratify=y)` does. The same seed gives the same split
    /// on every platform. Within each part rows keep their original order.
    ///
    /// ```swift
    /// let iris = try Datasets.load(named: "iris")       // 50 of each of 3 classes
    /// let parts = try iris.split(validationFraction: 0.2, seed: 1)
    /// parts.validation.count     // 30: 10 of each class
    /// ```
    /// - Throws: `DataError.invalidArgument` if a fraction is outside [0, 1), their
    ///   sum is 1 or more, or the training part would be empty.
    public func split(validationFraction: Double = 0.2, testFraction: Double = 0, seed: UInt64,
                      stratified: Bool? = nil) throws -> DatasetSplit {
        guard validationFraction >= 0, validationFraction < 1, validationFraction.isFinite else {
            throw DataError.invalidArgument(parameter: "validationFraction", "must be in [0, 1), got \(validationFraction)")
        }
        guard testFraction >= 0, testFraction < 1, testFraction.isFinite else {
            throw DataError.invalidArgument(parameter: "testFraction", "must be in [0, 1), got \(testFraction)")
        }
        guard validationFraction + testFraction < 1 else {
            throw DataError.invalidArgument(parameter: "validationFraction",
                "validation (\(validationFraction)) and test (\(testFraction)) fractions must add up to less than 1")
        }
        let total = count
        let testTotal = Int((Double(total) * testFraction).rounded())
        let validationTotal = Int((Double(total) * validationFraction).rounded())
        guard total - testTotal - validationTotal > 0 else {
            throw DataError.invalidArgument(parameter: "validationFraction",
                "with \(total) rows, \(validationTotal) for validation and \(testTotal) for test leave none for training")
        }
        var generator = SeededGenerator(seed: seed)
        // Groups of rows: one per class when stratified, else a single group.
        var groups: [[Int]]
        if stratified ?? (task == .classification), let indices = targets.classIndices {
            groups = Array(repeating: [], count: targets.classCount)
            for (row, label) in indices.enumerated() { groups[label].append(row) }
            groups.removeAll { $0.isEmpty }
        } else {
            groups = [Array(0..<total)]
        }
        for index in groups.indices { generator.shuffle(&groups[index]) }
        let sizes = groups.map(\.count)
        let testShares = Self.allocate(testTotal, proportionalTo: sizes, capacity: sizes)
        let remaining = zip(sizes, testShares).map { $0 - $1 }
        let validationShares = Self.allocate(validationTotal, proportionalTo: sizes, capacity: remaining)
        var trainRows: [Int] = [], validationRows: [Int] = [], testRows: [Int] = []
        for (group, rows) in groups.enumerated() {
            let testCount = testShares[group], validationCount = validationShares[group]
            testRows += rows[0..<testCount]
            validationRows += rows[testCount..<(testCount + validationCount)]
            trainRows += rows[(testCount + validationCount)...]
        }
        trainRows.sort(); validationRows.sort(); testRows.sort()
        return DatasetSplit(train: subset(trainRows), validation: subset(validationRows), test: subset(testRows),
                            trainIndices: trainRows, validationIndices: validationRows, testIndices: testRows)
    }

    /// Shares of `total` proportional to `weights` (largest remainder, ties to the earlier group),
    /// none above its `capacity`.
    static func allocate(_ total: Int, proportionalTo weights: [Int], capacity: [Int]) -> [Int] {
        let weightSum = weights.reduce(0, +)
        guard total > 0, weightSum > 0 else { return Array(repeating: 0, count: weights.count) }
        let exact = weights.map { Double(total) * Double($0) / Double(weightSum) }
        var shares = zip(exact, capacity).map { Swift.min(Int($0.0.rounded(.down)), $0.1) }
        var left = total - shares.reduce(0, +)
        let order = exact.indices.sorted { (exact[$0] - exact[$0].rounded(.down)) > (exact[$1] - exact[$1].rounded(.down)) }
        while left > 0 {
            var placed = false
            for group in order where left > 0 && shares[group] < capacity[group] {
                shares[group] += 1
                left -= 1
                placed = true
            }
            if !placed { break }
        }
        return shares
    }
}
