import XCTest
import DescentTensor
import DescentData
import DescentNN

/// End-to-end: the layers, losses and backpropagation train real models on the
/// bundled data sets (scikit-learn's digits, iris, diabetes) to the accuracy a
/// working implementation reaches, with plain momentum SGD, seeded splits
/// (stratified for classification) and features standardised on the training part.
final class TrainingTests: XCTestCase {
    func testMultilayerPerceptronLearnsDigits() throws {
        let parts = try BundledDataset.digits.load().split(validationFraction: 0.2, seed: 1).standardized().split
        var generator = SeededGenerator(seed: 2)
        let model = try Sequential {
            try Linear(64, 32, using: &generator)
            ReLU()
            try Linear(32, 10, using: &generator)
        }
        try train(model, on: parts.train, epochs: 8, batchSize: 32, optimizer: MomentumSGD(learningRate: 0.05), seed: 3) { logits, batch in
            try crossEntropy(logits, batch.classIndices!)
        }
        let score = try accuracy(logits: model(parts.validation.features), labels: parts.validation.targets.classIndices!)
        print("digits MLP validation accuracy: \(score)")
        XCTAssertGreaterThanOrEqual(score, 0.95)
    }

    /// conv-pool-conv-pool-linear on the 8×8 images, pixels standardised with the
    /// mean and deviation of all training pixels (one pair, so the image stays an image).
    func testConvolutionalNetworkLearnsDigits() throws {
        let parts = try BundledDataset.digits.load().split(validationFraction: 0.2, seed: 1)
        let mean = parts.train.features.mean().item
        let deviation = (parts.train.features - mean).squared().mean().sqrt().item
        let images = { (features: Tensor) in try ((features - mean) / deviation).reshaped(to: [-1, 1, 8, 8]) }
        var generator = SeededGenerator(seed: 4)
        let model = try Sequential {
            try Conv2D(1, 8, kernelSize: 3, padding: 1, weightInitialization: .kaimingUniform(), using: &generator)
            ReLU()
            MaxPool2D(kernelSize: 2)
            try Conv2D(8, 16, kernelSize: 3, padding: 1, weightInitialization: .kaimingUniform(), using: &generator)
            ReLU()
            MaxPool2D(kernelSize: 2)
            Flatten()
            try Linear(64, 10, using: &generator)
        }
        try train(model, on: parts.train, epochs: 6, batchSize: 32, optimizer: MomentumSGD(learningRate: 0.05), seed: 5,
                  prepare: images) { logits, batch in
            try crossEntropy(logits, batch.classIndices!)
        }
        let score = try accuracy(logits: model(images(parts.validation.features)), labels: parts.validation.targets.classIndices!)
        print("digits CNN validation accuracy: \(score)")
        XCTAssertGreaterThanOrEqual(score, 0.95)
    }

    func testIrisClassifier() throws {
        let parts = try BundledDataset.iris.load().split(validationFraction: 0.3, seed: 6).standardized().split
        var generator = SeededGenerator(seed: 7)
        let model = try Sequential {
            try Linear(4, 16, using: &generator)
            Tanh()
            try Linear(16, 3, using: &generator)
        }
        try train(model, on: parts.train, epochs: 60, batchSize: 16, optimizer: MomentumSGD(learningRate: 0.05), seed: 8) { logits, batch in
            try crossEntropy(logits, batch.classIndices!)
        }
        let score = try accuracy(logits: model(parts.validation.features), labels: parts.validation.targets.classIndices!)
        print("iris validation accuracy: \(score)")
        XCTAssertGreaterThanOrEqual(score, 0.9)
    }

    func testDiabetesRegression() throws {
        let parts = try BundledDataset.diabetes.load().split(validationFraction: 0.2, seed: 9).standardized().split
        // Standardise the target with the training mean and deviation too.
        let trainingTargets = parts.train.targets.tensor
        let mean = trainingTargets.mean().item
        let deviation = (trainingTargets - mean).squared().mean().sqrt().item
        let scaled = { (targets: Tensor) in try ((targets - mean) / deviation).reshaped(to: [-1, 1]) }
        var generator = SeededGenerator(seed: 10)
        let model = try Sequential {
            try Linear(10, 16, using: &generator)
            ReLU()
            try Linear(16, 1, using: &generator)
        }
        try train(model, on: parts.train, epochs: 30, batchSize: 32, optimizer: MomentumSGD(learningRate: 0.01), seed: 11) { predictions, batch in
            try meanSquaredError(predictions, scaled(batch.targetTensor))
        }
        let score = try rSquared(predictions: model(parts.validation.features), targets: scaled(parts.validation.targets.tensor))
        print("diabetes validation R²: \(score)")
        XCTAssertGreaterThan(score, 0.3)
    }
}
