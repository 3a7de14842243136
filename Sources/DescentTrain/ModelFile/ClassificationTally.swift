import DescentTensor

/// Scores of a classifier accumulated over chunks of rows: the confusion matrix, the mean
/// cross-entropy, accuracy, and per-class precision and recall.
///
/// * `confusion[actual][predicted]` counts rows; accuracy = Σᵢ confusion[i][i] / n.
/// * precision of class i = confusion[i][i] / Σₐ confusion[a][i] (of the rows predicted i, the share that are i);
///   recall = confusion[i][i] / Σₚ confusion[i][p] (of the rows that are i, the share found). nil when the
///   denominator is 0 (scikit-learn reports 0 with a warning).
/// * loss = (1/n) Σ −log softmax(outputs)[label], as training's cross-entropy.
///
/// Example: labels [0, 0, 1, 1], predictions [0, 1, 1, 1]: confusion [[1, 1], [0, 2]], accuracy 0.75,
/// precision [1.0, 0.667], recall [0.5, 1.0].
public struct ClassificationTally: Sendable, Equatable {
    public let classNames: [String]
    public private(set) var confusion: [[Int]]
    public private(set) var count = 0
    public private(set) var lossSum = 0.0

    public init(classNames: [String]) {
        self.classNames = classNames
        confusion = Array(repeating: Array(repeating: 0, count: classNames.count), count: classNames.count)
    }

    /// Adds rows: `outputs` `[n, classes]` (logits) and their class indices.
    public mutating func add(outputs: Tensor, labels: [Int]) throws {
        let predicted = try outputs.argmax(alongAxis: 1)
        let logProbabilities = try outputs.logSoftmax(alongAxis: 1)
        let classes = classNames.count
        logProbabilities.withUnsafeBufferPointer { values in
            for (row, label) in labels.enumerated() { lossSum -= Double(values[row * classes + label]) }
        }
        for (label, prediction) in zip(labels, predicted) { confusion[label][prediction] += 1 }
        count += labels.count
    }

    public var loss: Double { count == 0 ? .nan : lossSum / Double(count) }
    public var accuracy: Double { count == 0 ? .nan : Double(classNames.indices.reduce(0) { $0 + confusion[$1][$1] }) / Double(count) }
    public func precision(_ index: Int) -> Double? {
        let predicted = classNames.indices.reduce(0) { $0 + confusion[$1][index] }
        return predicted == 0 ? nil : Double(confusion[index][index]) / Double(predicted)
    }
    public func recall(_ index: Int) -> Double? {
        let actual = confusion[index].reduce(0, +)
        return actual == 0 ? nil : Double(confusion[index][index]) / Double(actual)
    }
    /// Rows of each class in the data.
    public func support(_ index: Int) -> Int { confusion[index].reduce(0, +) }
}
