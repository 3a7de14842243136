import XCTest
import DescentTensor
import DescentNN

/// Every loss, reduction and option against PyTorch (Fixtures/losses.json,
/// written by scripts/generate_nn_fixtures.py): values and input gradients to 1e-5.
final class LossFixtureTests: XCTestCase {
    struct Case: Decodable {
        let name: String
        let loss: String
        let reduction: String
        let shape: [Int]
        let input: [Double]
        let target: [Double]
        let weight: [Double]?
        let positiveWeight: [Double]?
        let parameter: Double?
        let probe: [Double]
        let value: [Double]
        let gradient: [Double]
    }
    struct File: Decodable { let cases: [Case] }

    func testLossesMatchPyTorch() throws {
        let cases = try loadFixture("losses", as: File.self).cases
        XCTAssertEqual(cases.count, 48)
        var seen = Set<String>()
        for testCase in cases {
            seen.insert(testCase.loss)
            let reduction = try XCTUnwrap(Reduction(rawValue: testCase.reduction))
            let input = try Tensor(shape: testCase.shape, scalars: testCase.input.map(Float.init))
            let probe = try Tensor(shape: testCase.reduction == "none" ? shapeOfNone(testCase) : [], scalars: testCase.probe.map(Float.init))
            let (value, gradient) = try valueWithGradient(at: input) { x in
                try (self.evaluate(testCase, x, reduction: reduction) * probe).sum()
            }
            let output = try evaluate(testCase, input, reduction: reduction)
            let label = "\(testCase.name) (\(testCase.reduction))"
            assertClose(output.scalars, testCase.value, label + " value")
            assertClose(gradient.scalars, testCase.gradient, label + " gradient")
            XCTAssertEqual(Double(value.item), zip(testCase.value, testCase.probe).reduce(0) { $0 + $1.0 * $1.1 }, accuracy: 1e-4)
        }
        XCTAssertEqual(seen, ["meanSquaredError", "l1Loss", "huberLoss", "smoothL1Loss", "binaryCrossEntropyWithLogits",
                              "crossEntropy", "negativeLogLikelihood"])
    }

    private func shapeOfNone(_ testCase: Case) -> [Int] {
        testCase.loss == "crossEntropy" || testCase.loss == "negativeLogLikelihood" ? [testCase.shape[0]] : testCase.shape
    }

    private func evaluate(_ testCase: Case, _ input: Tensor, reduction: Reduction) throws -> Tensor {
        let floats = { (values: [Double]) in values.map(Float.init) }
        let classIndices = testCase.loss == "crossEntropy" || testCase.loss == "negativeLogLikelihood"
        let target = try Tensor(shape: classIndices ? [testCase.target.count] : testCase.shape, scalars: floats(testCase.target))
        let weight = testCase.weight.map { Tensor(floats($0)) }
        switch testCase.loss {
        case "meanSquaredError": return try meanSquaredError(input, target, reduction: reduction)
        case "l1Loss": return try l1Loss(input, target, reduction: reduction)
        case "huberLoss": return try huberLoss(input, target, delta: Float(testCase.parameter!), reduction: reduction)
        case "smoothL1Loss": return try smoothL1Loss(input, target, beta: Float(testCase.parameter!), reduction: reduction)
        case "binaryCrossEntropyWithLogits":
            return try binaryCrossEntropyWithLogits(input, target, weights: weight,
                                                    positiveWeight: testCase.positiveWeight.map { Tensor(floats($0)) }, reduction: reduction)
        case "crossEntropy":
            return try crossEntropy(input, target.scalars.map { Int($0) }, classWeights: weight,
                                    labelSmoothing: Float(testCase.parameter ?? 0), reduction: reduction)
        case "negativeLogLikelihood":
            return try negativeLogLikelihood(input, target, classWeights: weight, reduction: reduction)
        default:
            XCTFail("unknown loss \(testCase.loss)")
            return Tensor(0)
        }
    }

    func testDocumentedExamples() throws {
        XCTAssertEqual(try meanSquaredError(Tensor([1, 2, 3]), Tensor([1, 4, 0])).item, 13 / 3, accuracy: 1e-6)
        XCTAssertEqual(try l1Loss(Tensor([1, 2, 3]), Tensor([1, 4, 0]), reduction: .sum).item, 5)
        XCTAssertEqual(try huberLoss(Tensor([0.5, 3]), Tensor([0, 0]), reduction: .none).scalars, [0.125, 2.5])
        XCTAssertEqual(try smoothL1Loss(Tensor([0.5, 3]), Tensor([0, 0]), beta: 2, reduction: .none).scalars, [0.0625, 2])
        let logits = try Tensor(rows: [[2, 0, 0], [0, 0, 0]])
        XCTAssertEqual(try crossEntropy(logits, [0, 2]).item, 0.6690786, accuracy: 1e-6)
        XCTAssertEqual(try crossEntropy(logits, [0, 2], labelSmoothing: 0.1).item, 0.7357453, accuracy: 1e-6)
        XCTAssertEqual(try crossEntropy(logits, Tensor([0, 2])).item, 0.6690786, accuracy: 1e-6)
        let logProbabilities = try Tensor(rows: [[-0.5, -1], [-2, -0.1]])
        XCTAssertEqual(try negativeLogLikelihood(logProbabilities, [0, 1]).item, 0.3, accuracy: 1e-6)
    }

    func testBadArgumentsThrowWithTheShapes() throws {
        XCTAssertThrowsError(try meanSquaredError(Tensor([1, 2, 3]), try Tensor.zeros([3, 1]))) { error in
            XCTAssertTrue("\(error)".contains("[3]") && "\(error)".contains("[3, 1]"), "\(error)")
        }
        let logits = try Tensor.zeros([2, 3])
        XCTAssertThrowsError(try crossEntropy(logits, [0])) { XCTAssertTrue("\($0)".contains("1 labels"), "\($0)") }
        XCTAssertThrowsError(try crossEntropy(logits, [0, 3])) { XCTAssertTrue("\($0)".contains("label 3 at position 1"), "\($0)") }
        XCTAssertThrowsError(try crossEntropy(logits, [0, 1], classWeights: Tensor([1, 2]))) { XCTAssertTrue("\($0)".contains("[3]"), "\($0)") }
        XCTAssertThrowsError(try crossEntropy(logits, [0, 1], labelSmoothing: 1.5))
        XCTAssertThrowsError(try crossEntropy(logits, Tensor([0, 1.5]))) { XCTAssertTrue("\($0)".contains("1.5"), "\($0)") }
        XCTAssertThrowsError(try crossEntropy(Tensor([1, 2]), [0]))
        XCTAssertThrowsError(try binaryCrossEntropyWithLogits(logits, logits, weights: Tensor([1, 2]))) {
            XCTAssertTrue("\($0)".contains("[2]"), "\($0)")
        }
        XCTAssertThrowsError(try huberLoss(Tensor([1]), Tensor([1]), delta: 0))
        XCTAssertThrowsError(try smoothL1Loss(Tensor([1]), Tensor([1]), beta: -1))
    }
}
