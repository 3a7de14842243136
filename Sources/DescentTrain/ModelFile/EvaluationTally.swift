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

/// Scores of a regression accumulated over chunks of rows: mean squared error (training's loss),
/// mean absolute error and R² = 1 − SS_res / SS_tot, with SS_tot = Σ(y − ȳ)² kept by Welford's
/// update (stable for any number of rows).
///
/// Example: predictions [1, 2, 4], targets [1, 3, 3]: SS_res = 0 + 1 + 1 = 2, so MSE = MAE = 2/3;
/// ȳ = 7/3, SS_tot = 16/9 + 4/9 + 4/9 = 8/3, R² = 1 − 2 / (8/3) = 0.25.
public struct RegressionTally: Sendable, Equatable {
    public private(set) var count = 0
    public private(set) var squaredErrorSum = 0.0
    public private(set) var absoluteErrorSum = 0.0
    private var mean = 0.0
    private var squaredDeviationSum = 0.0

    public init() {}

    public mutating func add(predictions: [Float], targets: [Float]) {
        for (prediction, target) in zip(predictions, targets) {
            let error = Double(prediction) - Double(target)
            squaredErrorSum += error * error
            absoluteErrorSum += Swift.abs(error)
            count += 1
            let delta = Double(target) - mean
            mean += delta / Double(count)
            squaredDeviationSum += delta * (Double(target) - mean)
        }
    }

    public var meanSquaredError: Double { count == 0 ? .nan : squaredErrorSum / Double(count) }
    public var meanAbsoluteError: Double { count == 0 ? .nan : absoluteErrorSum / Double(count) }
    /// NaN when every target is the same (SS_tot = 0).
    public var rSquared: Double { squaredDeviationSum > 0 ? 1 - squaredErrorSum / squaredDeviationSum : .nan }
}
