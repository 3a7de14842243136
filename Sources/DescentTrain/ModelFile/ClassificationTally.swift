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
    /// Two classes: each row's probability of class 1, and whether class 1 is its label (for `rocAUC`).
    public private(set) var positiveScores: [Float] = []
    public private(set) var positiveLabels: [Bool] = []

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
        if classes == 2 {
            logProbabilities.withUnsafeBufferPointer { values in
                for (row, label) in labels.enumerated() {
                    positiveScores.append(Float(values[row * 2 + 1]))
                    positiveLabels.append(label == 1)
                }
            }
        }
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

    /// The mean recall over the classes present (scikit-learn's `balanced_accuracy_score`).
    /// Example: confusion [[8, 2], [1, 1]] → (0.8 + 0.5) / 2 = 0.65 (accuracy 0.75).
    public var balancedAccuracy: Double {
        let recalls = classNames.indices.compactMap(recall)
        return recalls.isEmpty ? .nan : recalls.reduce(0, +) / Double(recalls.count)
    }

    /// The mean F1 = 2PR / (P + R) over the classes present (scikit-learn's `f1_score(average="macro")`, a class
    /// never predicted scoring 0). Example: confusion [[8, 2], [1, 1]] → (0.842 + 0.4) / 2 = 0.621.
    public var macroF1: Double {
        let scores = classNames.indices.filter { support($0) > 0 }.map { index -> Double in
            let precision = self.precision(index) ?? 0, recall = self.recall(index) ?? 0
            return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        }
        return scores.isEmpty ? .nan : scores.reduce(0, +) / Double(scores.count)
    }

    /// Two classes: the area under the ROC curve of class 1's probability, the Mann–Whitney U statistic
    /// over (positives × negatives), ties counted half (scikit-learn's `roc_auc_score`); nil for more classes
    /// or when one class is absent. Example: scores [0.1, 0.4, 0.35, 0.8] for labels [0, 0, 1, 1] → 0.75.
    public var rocAUC: Double? {
        let positives = positiveLabels.filter { $0 }.count, negatives = positiveLabels.count - positives
        guard classNames.count == 2, positives > 0, negatives > 0 else { return nil }
        let order = positiveScores.indices.sorted { positiveScores[$0] < positiveScores[$1] }
        var rankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && positiveScores[order[end + 1]] == positiveScores[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for position in start...end where positiveLabels[order[position]] { rankSum += rank }
            start = end + 1
        }
        let u = rankSum - Double(positives) * Double(positives + 1) / 2
        return u / (Double(positives) * Double(negatives))
    }
}
