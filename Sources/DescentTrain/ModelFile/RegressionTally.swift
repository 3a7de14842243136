import DescentTensor

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
