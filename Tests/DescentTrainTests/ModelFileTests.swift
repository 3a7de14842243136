import DescentData
import DescentNN
import DescentOptim
import DescentTensor
import DescentTrain
import Foundation
import XCTest

final class ModelFileTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-model-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    /// Train on iris, save, load: the loaded predictor's outputs on the raw validation rows are the trained
    /// model's outputs on its standardised validation rows, bit for bit (same standardisation, same network).
    func testTrainSavePredictReproducesTheValidationPredictionsExactly() throws {
        let iris = try Datasets.load(named: "iris")
        let raw = try iris.split(validationFraction: 0.2, seed: 3)
        let (split, standardizer) = try raw.standardized()
        let architecture = ModelArchitecture.multilayerPerceptron(inputSize: 4, hiddenSizes: [16], outputSize: 3)
        var generator = SeededGenerator(seed: 1)
        let model = try architecture.makeModel(using: &generator)
        var optimizer = try Optimizer(Adam(), learningRate: 0.01)
        let history = try Trainer(configuration: TrainingConfiguration(epochs: 5, batchSize: 16, seed: 1))
            .fit(model, optimizer: &optimizer, training: split.train, validation: split.validation)
        model.eval()
        let expected = try model(split.validation.features)

        let card = ModelCard(architecture: architecture, trainedOn: iris, standardizer: standardizer, training: .init(
            data: "iris", optimizer: "adam", learningRate: 0.01, schedule: "constant", epochsRun: history.count, status: "completed",
            finalTrainingLoss: history.last?.trainingLoss, finalValidationLoss: history.last?.validationLoss, metricName: "accuracy",
            finalValidationMetric: history.last?.validationMetric))
        let path = directory + "/iris.safetensors"
        try ModelFile.save(model, card: card, to: path)
        let loaded = try ModelFile.load(path: path)
        XCTAssertEqual(loaded.card, card, "the card round-trips through the metadata")
        let predictor = try ModelPredictor(loaded)
        let outputs = try predictor.outputs(raw.validation.features)
        XCTAssertEqual(outputs.shape, expected.shape)
        XCTAssertEqual(outputs.scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern))
        XCTAssertEqual(try predictor.labels(outputs), try expected.argmax(alongAxis: 1).map { iris.targets.classNames![$0] })
        // Passes of a few rows at a time give the same numbers as one pass.
        var small = predictor
        small.rowsPerPass = 7
        XCTAssertEqual(try small.outputs(raw.validation.features).scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern))
    }

    func testTheMetadataRoundTripsAndIsStringsOnly() throws {
        let card = ModelCard(architecture: .multilayerPerceptron(inputSize: 2, hiddenSizes: [], outputSize: 1), task: .regression,
                             featureNames: ["age", "bmi, kg/m²"], standardizer: try Standardizer(mean: [0.1, 48.5], standardDeviation: [0.3, 1e-3]),
                             classNames: nil, targetName: "progression")
        let metadata = try card.metadata()
        XCTAssertEqual(metadata["format"], "pt")
        XCTAssertEqual(metadata["descent.format_version"], "2")
        XCTAssertEqual(metadata["descent.task"], "regression")
        XCTAssertEqual(metadata["descent.features"], #"["age","bmi, kg/m²"]"#)
        XCTAssertNil(metadata["descent.classes"])
        XCTAssertEqual(try ModelCard(metadata: metadata, source: "m"), card)
        // Floats survive the JSON text exactly.
        XCTAssertEqual(try ModelCard(metadata: metadata, source: "m").standardizer?.mean.map(\.bitPattern), [Float(0.1), 48.5].map(\.bitPattern))
    }

    func testBadMetadataIsNamed() throws {
        let card = ModelCard(architecture: .multilayerPerceptron(inputSize: 2, hiddenSizes: [4], outputSize: 2), task: .classification,
                             featureNames: ["a", "b"], standardizer: nil, classNames: ["no", "yes"], targetName: "y")
        var metadata = try card.metadata()
        XCTAssertThrowsError(try ModelCard(metadata: [:], source: "w.safetensors")) { error in
            XCTAssertEqual(error as? ModelFileError, .weightsOnly(file: "w.safetensors"))
            XCTAssertTrue("\(error)".contains("--save-weights"), "\(error)")
        }
        metadata["descent.classes"] = #"["no"]"#
        XCTAssertThrowsError(try ModelCard(metadata: metadata, source: "m")) { error in
            XCTAssertTrue("\(error)".contains("descent.classes"), "\(error)")
        }
        metadata = try card.metadata()
        metadata["descent.format_version"] = "7"
        XCTAssertThrowsError(try ModelCard(metadata: metadata, source: "m")) { error in
            XCTAssertTrue("\(error)".contains("newer"), "\(error)")
        }
        metadata = try card.metadata()
        metadata["descent.model"] = #"{"kind":"mlp"}"#
        XCTAssertThrowsError(try ModelCard(metadata: metadata, source: "m")) { error in
            XCTAssertTrue("\(error)".contains("descent.model"), "\(error)")
        }
    }

    func testTensorsThatDoNotFitTheCardAreNamed() throws {
        let card = ModelCard(architecture: .multilayerPerceptron(inputSize: 2, hiddenSizes: [], outputSize: 2), task: .classification,
                             featureNames: ["a", "b"], standardizer: nil, classNames: ["no", "yes"], targetName: "y")
        let path = directory + "/m.safetensors"
        try Safetensors.save(["0.weight": try Tensor.zeros([3, 2]), "0.bias": try Tensor.zeros([2])], metadata: try card.metadata(), to: path)
        XCTAssertThrowsError(try ModelFile.load(path: path).makeModel()) { error in
            XCTAssertTrue("\(error)".contains("0.weight expects [2, 2], got [3, 2]"), "\(error)")
        }
        // A weights-only file still loads, and says what it lacks when a card is needed.
        try Safetensors.save(["0.weight": try Tensor.zeros([2, 2])], to: path)
        let file = try ModelFile.load(path: path)
        XCTAssertNil(file.card)
        XCTAssertThrowsError(try ModelPredictor(file)) { XCTAssertEqual($0 as? ModelFileError, .weightsOnly(file: path)) }
    }

    /// The tallies against a hand computation.
    func testClassificationTallyByHand() throws {
        var tally = ClassificationTally(classNames: ["a", "b"])
        // Logits whose arg-max is 0, 1, 1, 1; labels 0, 0, 1, 1; added in two chunks.
        try tally.add(outputs: try Tensor(shape: [2, 2], scalars: [0, -1,  0, 1]), labels: [0, 0])
        try tally.add(outputs: try Tensor(shape: [2, 2], scalars: [0, 2,  1, 1.5]), labels: [1, 1])
        XCTAssertEqual(tally.confusion, [[1, 1], [0, 2]])
        XCTAssertEqual(tally.accuracy, 0.75)
        XCTAssertEqual(tally.precision(0), 1)
        XCTAssertEqual(try XCTUnwrap(tally.precision(1)), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(tally.recall(0), 0.5)
        XCTAssertEqual(tally.recall(1), 1)
        // −log softmax at the label: log(1 + e^−1), log(1 + e^1), log(1 + e^−2), log(1 + e^−0.5).
        let expected = [log(1 + exp(-1.0)), log(1 + exp(1.0)), log(1 + exp(-2.0)), log(1 + exp(-0.5))].reduce(0, +) / 4
        XCTAssertEqual(tally.loss, expected, accuracy: 1e-6)
        XCTAssertNil(ClassificationTally(classNames: ["a", "b"]).precision(0))
    }

    func testRegressionTallyByHand() {
        var tally = RegressionTally()
        tally.add(predictions: [1, 2], targets: [1, 3])
        tally.add(predictions: [4], targets: [3])
        XCTAssertEqual(tally.meanSquaredError, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(tally.meanAbsoluteError, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(tally.rSquared, 0.25, accuracy: 1e-12)
        XCTAssertEqual(tally.rSquared, try rSquared(predictions: [1, 2, 4], targets: [1, 3, 3]), accuracy: 1e-12)
        var constant = RegressionTally()
        constant.add(predictions: [1, 2], targets: [5, 5])
        XCTAssertTrue(constant.rSquared.isNaN)
    }
}
