import DescentTensor

extension Dataset {
    /// The rows dealt into `count` folds for K-fold cross-validation: shuffled with `seed`, stratified for
    /// classification (each class's rows dealt in turn, so every fold holds each class in proportion, as
    /// scikit-learn's `StratifiedKFold(shuffle=True)`), folds differing in size by at most one row per class.
    ///
    /// ```swift
    /// let folds = try iris.folds(5, seed: 0)   // 5 folds of 30 rows, 10 of each species
    /// let split = iris.split(fold: 0, of: folds)   // validation: fold 0; training: the other 120 rows
    /// ```
    /// - Throws: `DataError.invalidArgument` when `count` is below 2 or above the number of rows.
    public func folds(_ count: Int, seed: UInt64, stratified: Bool? = nil) throws -> [[Int]] {
        guard count >= 2, count <= self.count else {
            throw DataError.invalidArgument(parameter: "folds", "must be from 2 to the \(self.count) rows, got \(count)")
        }
        var generator = SeededGenerator(seed: seed)
        var groups: [[Int]]
        if stratified ?? (task == .classification), let indices = targets.classIndices {
            groups = Array(repeating: [], count: targets.classCount)
            for (row, label) in indices.enumerated() { groups[label].append(row) }
        } else {
            groups = [Array(0..<self.count)]
        }
        var folds = [[Int]](repeating: [], count: count)
        var next = 0
        for index in groups.indices {
            generator.shuffle(&groups[index])
            for row in groups[index] {
                folds[next].append(row)
                next = (next + 1) % count
            }
        }
        return folds.map { $0.sorted() }
    }

    /// Fold `fold` of `folds` as the validation part and the other folds as the training part (no test part).
    public func split(fold: Int, of folds: [[Int]]) -> DatasetSplit {
        let validationRows = folds[fold]
        let trainRows = folds.enumerated().filter { $0.offset != fold }.flatMap(\.element).sorted()
        return DatasetSplit(train: subset(trainRows), validation: subset(validationRows), test: subset([]),
                            trainIndices: trainRows, validationIndices: validationRows, testIndices: [])
    }
}
