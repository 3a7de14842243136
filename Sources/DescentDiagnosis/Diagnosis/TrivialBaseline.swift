import DescentData
import DescentTrain
import Foundation

/// What a model that learned nothing about the features scores: it predicts the class
/// frequencies (classification) or the mean target (regression).
///
/// * classification: accuracy of always answering the most frequent class; loss = the
///   cross-entropy of predicting the class frequencies p, which is their entropy −Σ p log p.
/// * regression: R² = 0 by definition; loss = the mean squared error of predicting the mean,
///   which is the variance of the targets.
///
/// ```swift
/// let baseline = TrivialBaseline(for: try Datasets.load(named: "iris"))
/// baseline.metric   // 0.333 (50 of each of 3 classes)
/// baseline.loss     // log 3 = 1.0986
/// ```
public struct TrivialBaseline: Codable, Sendable, Equatable {
    /// "accuracy" or "r2".
    public var metricName: String
    /// The headline metric of the trivial prediction (higher is better).
    public var metric: Double
    /// The best metric any model can reach (1 for accuracy and R²).
    public var perfectMetric: Double
    /// The objective's loss of the trivial prediction.
    public var loss: Double

    public init(metricName: String, metric: Double, loss: Double, perfectMetric: Double = 1) {
        self.metricName = metricName
        self.metric = metric
        self.loss = loss
        self.perfectMetric = perfectMetric
    }

    /// The baseline of a data set's targets (pass the validation set: the metric it compares with is measured there).
    public init(for dataset: Dataset) {
        switch dataset.targets {
        case let .classes(labels, names):
            var counts = [Int](repeating: 0, count: Swift.max(names.count, (labels.max() ?? 0) + 1))
            for label in labels { counts[label] += 1 }
            let total = Double(Swift.max(labels.count, 1))
            let entropy = counts.reduce(0.0) { sum, count in
                count == 0 ? sum : sum - Double(count) / total * Foundation.log(Double(count) / total)
            }
            self.init(metricName: "accuracy", metric: Double(counts.max() ?? 0) / total, loss: entropy)
        case let .values(values):
            let scalars = values.scalars.map(Double.init)
            let mean = scalars.reduce(0, +) / Double(Swift.max(scalars.count, 1))
            let variance = scalars.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(Swift.max(scalars.count, 1))
            self.init(metricName: "r2", metric: 0, loss: variance)
        }
    }

    /// The share of the way from the baseline to perfect that `metric` covers: 0 = learned nothing, 1 = perfect.
    public func skill(of metric: Double) -> Double {
        let room = perfectMetric - self.metric
        return room > 0 ? (metric - self.metric) / room : 0
    }
}
