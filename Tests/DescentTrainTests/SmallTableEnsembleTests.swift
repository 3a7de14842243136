import DescentData
import DescentNN
import DescentTensor
import DescentTrain
import Foundation
import XCTest

/// `SmallTableEnsemble`: the rule's thresholds, the average against closed forms, and an ensemble model file whose
/// prediction is the mean of its members' outputs computed one model at a time.
final class SmallTableEnsembleTests: XCTestCase {
    func testTheRuleTrainsFiveModelsBelowAThousandTrainingRowsAndOneFromThere() {
        XCTAssertEqual(SmallTableEnsemble.members(trainingRows: 18, requested: nil), 5)
        XCTAssertEqual(SmallTableEnsemble.members(trainingRows: 999, requested: nil), 5)
        XCTAssertEqual(SmallTableEnsemble.members(trainingRows: 1_000, requested: nil), 1)
        XCTAssertEqual(SmallTableEnsemble.members(trainingRows: 50_000, requested: nil), 1)
        XCTAssertEqual(SmallTableEnsemble.members(trainingRows: 93, requested: 1), 1, "--ensemble 1 turns it off")
        XCTAssertEqual(SmallTableEnsemble.members(trainingRows: 5_000, requested: 3), 3, "--ensemble 3 asks for three anywhere")
        XCTAssertEqual(SmallTableEnsemble.seed(of: 0, runSeed: 7), 7)
        XCTAssertEqual(SmallTableEnsemble.seed(of: 4, runSeed: 7), 4_007)
        XCTAssertEqual(SmallTableEnsemble.seed(of: 1, runSeed: UInt64.max), 999, "wraps instead of trapping")
    }

    /// Regression: the mean of the outputs. Classification: softmax of the result is the mean of the probabilities:
    /// logits (0, 0) → (1/2, 1/2) and (ln 3, 0) → (3/4, 1/4) average to (5/8, 3/8).
    func testTheAverageIsTheMeanValueOrTheMeanProbability() throws {
        let values = try SmallTableEnsemble.average([Tensor(shape: [2, 1], scalars: [1, -2]), Tensor(shape: [2, 1], scalars: [4, 0]),
                                                     Tensor(shape: [2, 1], scalars: [1, 5])], task: .regression)
        XCTAssertEqual(values.shape, [2, 1])
        XCTAssertEqual(values.scalars[0], 2, accuracy: 1e-6)
        XCTAssertEqual(values.scalars[1], 1, accuracy: 1e-6)

        let logits = try SmallTableEnsemble.average([Tensor(shape: [1, 2], scalars: [0, 0]),
                                                     Tensor(shape: [1, 2], scalars: [Float(log(3.0)), 0])], task: .classification)
        let probabilities = try logits.softmax(alongAxis: 1).scalars
        XCTAssertEqual(probabilities[0], 5.0 / 8, accuracy: 1e-6)
        XCTAssertEqual(probabilities[1], 3.0 / 8, accuracy: 1e-6)
        let one = try Tensor(shape: [1, 2], scalars: [0.5, -1])
        XCTAssertEqual(try SmallTableEnsemble.average([one], task: .classification).scalars, one.scalars, "one model is itself")
    }

    /// Three networks saved as one ensemble file: the card says 3, the first keeps the plain (PyTorch) names, and the
    /// predictor's probabilities are the mean of the three networks' softmax outputs, each computed on its own.
    func testAnEnsembleFilePredictsTheMeanOfItsMembersProbabilities() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-ensemble-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let architecture = ModelArchitecture.multilayerPerceptron(inputSize: 2, hiddenSizes: [4], outputSize: 3)
        let models = try (1...3).map { seed -> Sequential in
            var generator = SeededGenerator(seed: UInt64(seed))
            let model = try architecture.makeModel(using: &generator)
            model.eval()
            return model
        }
        let card = ModelCard(architecture: architecture, task: .classification, featureNames: ["x", "y"], standardizer: nil,
                             classNames: ["a", "b", "c"], targetName: "class")
        let path = directory + "/ensemble.safetensors"
        try ModelFile.save(models[0], card: card, members: Array(models[1...]), to: path)
        let file = try ModelFile.load(path: path)
        XCTAssertEqual(file.card?.ensembleMembers, 3)
        XCTAssertEqual(file.metadata["descent.ensemble"], "3")
        XCTAssertEqual(Set(file.firstModelTensors.keys), Set(models[0].stateDictionary.keys), "the first model keeps the plain names")
        XCTAssertEqual(file.tensors.count, 3 * models[0].stateDictionary.count)

        let rows = try Tensor(shape: [4, 2], scalars: [0.3, -1.2, 2.0, 0.5, -0.7, 0.1, 1.5, 1.5])
        let predictor = try ModelPredictor(file)
        XCTAssertEqual(predictor.members.count, 2)
        let got = try predictor.probabilities(try predictor.outputs(rows)).scalars
        var expected = [Float](repeating: 0, count: 12)
        for model in models {
            let each = try model(rows).softmax(alongAxis: 1).scalars
            for index in expected.indices { expected[index] += each[index] / 3 }
        }
        for (value, reference) in zip(got, expected) { XCTAssertEqual(value, reference, accuracy: 1e-5) }

        // A file of one model has no members and no key.
        try ModelFile.save(models[0], card: card, to: path)
        let single = try ModelFile.load(path: path)
        XCTAssertNil(single.card?.ensembleMembers)
        XCTAssertTrue(try ModelPredictor(single).members.isEmpty)
    }
}
