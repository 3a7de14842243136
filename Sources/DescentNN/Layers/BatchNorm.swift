import DescentTensor

/// Batch normalisation (Ioffe & Szegedy, 2015) over the channel axis 1, as
/// PyTorch's `nn.BatchNorm1d` ([N, C] or [N, C, L]) and `nn.BatchNorm2d` ([N, C, H, W]).
///
/// Training: y = (x − μ_B) / √(σ²_B + ε) · weight + bias with the batch mean and
/// biased variance per channel, and the running statistics move by
///
///     running = (1 − momentum) · running + momentum · batch statistic
///
/// using the unbiased variance σ²_B·m/(m − 1) (m values per channel), momentum
/// 0.1 (nil: the cumulative average over `num_batches_tracked`). Evaluation
/// normalises with the running statistics. State names are PyTorch's: `weight`,
/// `bias`, `running_mean`, `running_var`, `num_batches_tracked`.
///
/// Example: channel values [1, 2, 3, 6] in training give μ = 3, σ² = 3.5, y ≈
/// [−1.069, −0.535, 0, 1.604]; running_mean 0.3, running_var 0.9 + 0.1·14/3 ≈ 1.367.
public class BatchNormalization: Module {
    public let featureCount: Int
    public let epsilon: Float
    public let momentum: Float?
    public let weight: Parameter
    public let bias: Parameter
    public let runningMean: Buffer
    public let runningVariance: Buffer
    public let batchesTracked: Buffer
    public var isTraining = true
    let allowedRanks: [Int]
    let name: String

    init(featureCount: Int, epsilon: Float, momentum: Float?, allowedRanks: [Int], name: String) throws {
        guard featureCount > 0 else {
            throw TensorError.invalidArgument(operation: name, "featureCount must be positive, got \(featureCount)")
        }
        if let momentum, !(momentum >= 0 && momentum <= 1) {
            throw TensorError.invalidArgument(operation: name, "momentum must be in [0, 1], got \(momentum)")
        }
        self.featureCount = featureCount
        self.epsilon = epsilon
        self.momentum = momentum
        self.allowedRanks = allowedRanks
        self.name = name
        weight = Parameter(try Tensor.ones([featureCount]))
        bias = Parameter(try Tensor.zeros([featureCount]))
        runningMean = Buffer(try Tensor.zeros([featureCount]))
        runningVariance = Buffer(try Tensor.ones([featureCount]))
        batchesTracked = Buffer(Tensor(0))
    }

    public var namedMembers: [(name: String, member: ModuleMember)] {
        [("weight", .parameter(weight)), ("bias", .parameter(bias)), ("running_mean", .buffer(runningMean)),
         ("running_var", .buffer(runningVariance)), ("num_batches_tracked", .buffer(batchesTracked))]
    }

    /// - Throws: `TensorError` naming the shape if the rank or the channel count is wrong,
    ///   or if training sees only one value per channel.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard allowedRanks.contains(input.rank), input.shape[1] == featureCount else {
            throw TensorError.shapeMismatch(operation: name,
                "input \(input.shape) must have rank \(allowedRanks.map(String.init).joined(separator: " or ")) with \(featureCount) channels on axis 1")
        }
        let axes = [0] + Array(2..<input.rank)
        var channelShape = [Int](repeating: 1, count: input.rank)
        channelShape[1] = featureCount
        let normalized: Tensor
        if isTraining {
            let valuesPerChannel = input.count / featureCount
            guard valuesPerChannel > 1 else {
                throw TensorError.invalidArgument(operation: name, "training needs more than one value per channel, input is \(input.shape)")
            }
            let mean = try input.mean(alongAxes: axes, keepingDimensions: true)
            let centered = try input - mean
            let variance = try centered.squared().mean(alongAxes: axes, keepingDimensions: true)
            normalized = try centered / (variance + epsilon).sqrt()
            try updateRunningStatistics(mean: mean.detached, variance: variance.detached, count: valuesPerChannel)
        } else {
            let mean = try runningMean.value.reshaped(to: channelShape)
            let deviation = try (runningVariance.value.reshaped(to: channelShape) + epsilon).sqrt()
            normalized = try (input - mean) / deviation
        }
        return try normalized * weight.value.reshaped(to: channelShape) + bias.value.reshaped(to: channelShape)
    }

    private func updateRunningStatistics(mean: Tensor, variance: Tensor, count: Int) throws {
        let tracked = batchesTracked.value.item + 1
        batchesTracked.value = Tensor(tracked)
        let factor = momentum ?? 1 / tracked
        let unbiased = variance * (Float(count) / Float(count - 1))
        runningMean.value = try runningMean.value * (1 - factor) + mean.reshaped(to: [featureCount]) * factor
        runningVariance.value = try runningVariance.value * (1 - factor) + unbiased.reshaped(to: [featureCount]) * factor
    }
}

/// Batch normalisation of [N, C] or [N, C, L] inputs; see `BatchNormalization`.
///
/// ```swift
/// let norm = try BatchNorm1D(16)   // weight, bias, running_mean, running_var: [16]
/// ```
public final class BatchNorm1D: BatchNormalization {
    public init(_ featureCount: Int, epsilon: Float = 1e-5, momentum: Float? = 0.1) throws {
        try super.init(featureCount: featureCount, epsilon: epsilon, momentum: momentum, allowedRanks: [2, 3], name: "BatchNorm1D")
    }
}

/// Batch normalisation of [N, C, H, W] inputs; see `BatchNormalization`.
///
/// ```swift
/// let norm = try BatchNorm2D(8)
/// try norm(Tensor.zeros([4, 8, 5, 5])).shape   // [4, 8, 5, 5]
/// ```
public final class BatchNorm2D: BatchNormalization {
    public init(_ channelCount: Int, epsilon: Float = 1e-5, momentum: Float? = 0.1) throws {
        try super.init(featureCount: channelCount, epsilon: epsilon, momentum: momentum, allowedRanks: [4], name: "BatchNorm2D")
    }
}
