import DescentData
import DescentNN
import DescentTensor

extension GradientNoiseScale {
    /// Measures the noise scale of `model` as it stands on `data`: `pairs` times, a big batch of
    /// `bigBatch` rows drawn at random (seeded) and its first `smallBatch` rows, the squared norms
    /// of their mean gradients. The model is not changed. Sampling without replacement scales tr(Σ)/B by
    /// (n − B)/(n − 1); keep `bigBatch` a small part of the data (the default of `descent range-test
    /// --noise-scale` is at most a quarter).
    ///
    /// ```swift
    /// let scale = try GradientNoiseScale.measure(model: model, data: split.train, smallBatch: 32, bigBatch: 256, pairs: 16)
    /// scale.value           // e.g. ≈ 400 on the digits at the start of training
    /// ```
    /// - Parameter stopRequest: checked before each pair; once set the measurement ends by throwing `StopRequest.Stopped`.
    /// - Throws: `TrainingError.invalidConfiguration` for batches that are not 1 ≤ small < big ≤ rows, or pairs < 2;
    ///   `StopRequest.Stopped` when `stopRequest` was set part-way.
    public static func measure(model: some Module, data: Dataset, smallBatch: Int, bigBatch: Int, pairs: Int,
                               seed: UInt64 = 0, stopRequest: StopRequest? = nil) throws -> GradientNoiseScale {
        guard smallBatch >= 1, bigBatch > smallBatch, bigBatch <= data.count else {
            throw TrainingError.invalidConfiguration(
                "the noise scale needs batches 1 ≤ small < big ≤ \(data.count) rows, got \(smallBatch) and \(bigBatch)")
        }
        guard pairs >= 2 else { throw TrainingError.invalidConfiguration("the noise scale needs at least 2 pairs, got \(pairs)") }
        let objective = Objective(for: data)
        let trainable = model.trainableParameters
        var generator = SeededGenerator(seed: seed)
        var measurements: [(small: Double, big: Double)] = []
        func norm(_ rows: [Int]) throws -> Double {
            let part = data.subset(rows)
            let (_, gradients) = try valueWithGradient(at: model, parameters: trainable) { model in
                try objective.loss(model(part.features), part.targets)
            }
            return squaredNorm(gradients)
        }
        for _ in 0..<pairs {
            try stopRequest?.check()
            let order = try MiniBatches(dataset: data, batchSize: bigBatch, shuffle: true, generator: &generator).order
            let big = Array(order.prefix(bigBatch))
            measurements.append((small: try norm(Array(big.prefix(smallBatch))), big: try norm(big)))
        }
        return try estimate(smallBatch: smallBatch, bigBatch: bigBatch, measurements: measurements)
    }
}
