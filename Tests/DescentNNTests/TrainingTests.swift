import XCTest
import DescentTensor
import DescentNN

/// End-to-end: the layers, losses and backpropagation train real models on the
/// bundled data sets (scikit-learn's digits, iris, diabetes) to the accuracy a
/// working implementation reaches, with plain momentum SGD.
final class TrainingTests: XCTestCase {
    func testMultilayerPerceptronLearnsDigits() throws {
        let (training, validation) = try TestDataSet.bundled("digits").split(trainingFraction: 0.8, seed: 1, stratified: true)
        let (trainingSet, validationSet) = (training.standardised(like: training), validation.standardised(like: training))
        var generator = SeededGenerator(seed: 2)
        let model = try Sequential {
            try Linear(64, 32, using: &generator)
            ReLU()
            try Linear(32, 10, using: &generator)
        }
        try train(model, on: trainingSet, epochs: 8, batchSize: 32, optimizer: MomentumSGD(learningRate: 0.05), seed: 3) { logits, targets in
            try crossEntropy(logits, targets.map { Int($0) })
        }
        let score = try accuracy(logits: model(validationSet.inputs()), labels: validationSet.labels)
        print("digits MLP validation accuracy: \(score)")
        XCTAssertGreaterThanOrEqual(score, 0.95)
    }

    func testConvolutionalNetworkLearnsDigits() throws {
        let (training, validation) = try TestDataSet.bundled("digits").split(trainingFraction: 0.8, seed: 1, stratified: true)
        // Pixels are 0...16: scale to 0...1 and keep the image layout.
        let scale = { (data: TestDataSet) in TestDataSet(features: data.features.map { $0.map { $0 / 16 } }, targets: data.targets) }
        let (trainingSet, validationSet) = (scale(training), scale(validation))
        var generator = SeededGenerator(seed: 4)
        let model = try Sequential {
            try Conv2D(1, 8, kernelSize: 3, padding: 1, using: &generator)
            ReLU()
            MaxPool2D(kernelSize: 2)
            try Conv2D(8, 16, kernelSize: 3, padding: 1, using: &generator)
            ReLU()
            MaxPool2D(kernelSize: 2)
            Flatten()
            try Linear(64, 10, using: &generator)
        }
        try train(model, on: trainingSet, epochs: 6, batchSize: 32, optimizer: MomentumSGD(learningRate: 0.05), seed: 5,
                  rowShape: [1, 8, 8]) { logits, targets in
            try crossEntropy(logits, targets.map { Int($0) })
        }
        let score = try accuracy(logits: model(validationSet.inputs(rowShape: [1, 8, 8])), labels: validationSet.labels)
        print("digits CNN validation accuracy: \(score)")
        XCTAssertGreaterThanOrEqual(score, 0.95)
    }

    func testIrisClassifier() throws {
        let (training, validation) = try TestDataSet.bundled("iris").split(trainingFraction: 0.7, seed: 6, stratified: true)
        let (trainingSet, validationSet) = (training.standardised(like: training), validation.standardised(like: training))
        var generator = SeededGenerator(seed: 7)
        let model = try Sequential {
            try Linear(4, 16, using: &generator)
            Tanh()
            try Linear(16, 3, using: &generator)
        }
        try train(model, on: trainingSet, epochs: 60, batchSize: 16, optimizer: MomentumSGD(learningRate: 0.05), seed: 8) { logits, targets in
            try crossEntropy(logits, targets.map { Int($0) })
        }
        let score = try accuracy(logits: model(validationSet.inputs()), labels: validationSet.labels)
        print("iris validation accuracy: \(score)")
        XCTAssertGreaterThanOrEqual(score, 0.9)
    }

    func testDiabetesRegression() throws {
        let (training, validation) = try TestDataSet.bundled("diabetes").split(trainingFraction: 0.8, seed: 9)
        var (trainingSet, validationSet) = (training.standardised(like: training), validation.standardised(like: training))
        // Standardise the target with the training mean and deviation too.
        let mean = trainingSet.targets.reduce(0, +) / Float(trainingSet.targets.count)
        let deviation = (trainingSet.targets.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(trainingSet.targets.count)).squareRoot()
        trainingSet.targets = trainingSet.targets.map { ($0 - mean) / deviation }
        validationSet.targets = validationSet.targets.map { ($0 - mean) / deviation }
        var generator = SeededGenerator(seed: 10)
        let model = try Sequential {
            try Linear(10, 16, using: &generator)
            ReLU()
            try Linear(16, 1, using: &generator)
        }
        try train(model, on: trainingSet, epochs: 30, batchSize: 32, optimizer: MomentumSGD(learningRate: 0.01), seed: 11) { predictions, targets in
            try meanSquaredError(predictions, Tensor(shape: [targets.count, 1], scalars: targets))
        }
        let predictions = try model(validationSet.inputs())
        let score = try rSquared(predictions: predictions.scalars, targets: validationSet.targets)
        print("diabetes validation R²: \(score)")
        XCTAssertGreaterThan(score, 0.3)
    }
}
