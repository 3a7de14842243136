import DescentCLIShared
import DescentData
import DescentNN
import DescentTensor
import DescentTrain

/// The training runs `descent bench train` times, each defined exactly as `benchmarks/compare_pytorch.py`
/// defines it for PyTorch: softmax cross-entropy, Adam at 1e-3, data reshuffled every epoch.
///
/// | workload | model | data | batch |
/// |---|---|---|---|
/// | `mlp-mnist` | 784-256-10, ReLU | 60,000 synthetic rows (Gaussian features, uniform labels) | 128 |
/// | `mlp-digits` | 64-32-10, ReLU | the 1,797 bundled digits, pixels divided by 16 | 32 |
/// | `cnn-digits` | conv(1→16)-ReLU-pool-conv(16→32)-ReLU-pool-linear(128→10) | the digits as 1×8×8 | 64 |
enum TrainingWorkload: String, CaseIterable {
    case mlpMNIST = "mlp-mnist"
    case mlpDigits = "mlp-digits"
    case cnnDigits = "cnn-digits"

    var batchSize: Int {
        switch self {
        case .mlpMNIST: return 128
        case .mlpDigits: return 32
        case .cnnDigits: return 64
        }
    }

    /// The run of `epochs` epochs as a specification: the model, Adam at 1e-3 with a constant rate, the batch
    /// size, the guard as `train` has it (its data is `makeDataset`'s, which no specification names: synthetic or rescaled).
    package func specification(epochs: Int) -> RunSpecification {
        var spec = RunSpecification(dataset: "digits")
        switch self {
        case .mlpMNIST: spec.hidden = [256]
        case .mlpDigits: spec.hidden = [32]
        case .cnnDigits: (spec.model, spec.channels) = (.cnn, [16, 32])
        }
        spec.optimizer = .adam
        spec.learningRate = .fixed(1e-3)
        spec.batchSize = batchSize
        spec.epochs = epochs
        return spec
    }

    /// The data of one epoch.
    func makeDataset(seed: UInt64) throws -> Dataset {
        switch self {
        case .mlpMNIST:
            var generator = SeededGenerator(seed: seed)
            let features = try Tensor.randomNormal([60_000, 784], using: &generator)
            let labels = (0..<60_000).map { _ in Int(generator.next() % 10) }
            return try Dataset(features: features, targets: .classes(labels, names: (0..<10).map(String.init)),
                               source: "synthetic MNIST-shaped data")
        case .mlpDigits, .cnnDigits:
            var digits = try Datasets.load(named: "digits")
            digits.features = digits.features / 16
            return digits
        }
    }

    /// The freshly initialised model.
    func makeModel(seed: UInt64) throws -> Sequential {
        var generator = SeededGenerator(seed: seed)
        switch self {
        case .mlpMNIST:
            return Sequential([try Linear(784, 256, using: &generator), ReLU(), try Linear(256, 10, using: &generator)])
        case .mlpDigits:
            return Sequential([try Linear(64, 32, using: &generator), ReLU(), try Linear(32, 10, using: &generator)])
        case .cnnDigits:
            return try ConvolutionalModel.make(image: [1, 8, 8], channels: [16, 32], outputs: 10, using: &generator)
        }
    }
}
