import DescentNN
import DescentTensor
import XCTest

/// Layers, losses and loading fed shapes and values that come from user data: each must throw
/// an error naming what was wrong, never trap.
final class NNRobustnessTests: XCTestCase {
    private func assertThrows<T>(_ body: @autoclosure () throws -> T, mentions fragments: [String],
                                 file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try body()
            XCTFail("expected an error mentioning \(fragments)", file: file, line: line)
        } catch {
            let message = "\(error)"
            for fragment in fragments where !message.contains(fragment) {
                XCTFail("message \"\(message)\" does not mention \"\(fragment)\"", file: file, line: line)
            }
        }
    }

    func testLinearWithTheWrongInputWidthNamesBothShapes() throws {
        var generator = SeededGenerator(seed: 1)
        let layer = try Linear(4, 3, using: &generator)
        assertThrows(try layer(try Tensor.zeros([2, 5])), mentions: ["[2, 5]", "4", "Linear(4 → 3)"])
        assertThrows(try layer(Tensor(1)), mentions: ["[]", "4"])
        assertThrows(try layer(try Tensor.zeros([2, 3, 5])), mentions: ["[2, 3, 5]"])
        // An empty batch of the right width is fine.
        XCTAssertEqual(try layer(try Tensor.zeros([0, 4])).shape, [0, 3])
    }

    func testLayerSizesThatOverflowOrAreNotPositiveThrow() {
        var generator = SeededGenerator(seed: 1)
        assertThrows(try Linear(0, 3, using: &generator), mentions: ["Linear", "0"])
        assertThrows(try Linear(3, -1, using: &generator), mentions: ["Linear", "-1"])
        // Int.max × 2 weights: an error about the shape, not an overflow trap or a huge allocation.
        assertThrows(try Linear(Int.max, 2, using: &generator), mentions: ["too many elements"])
        assertThrows(try Embedding(count: Int.max / 2, dimension: 4, using: &generator), mentions: ["too many elements"])
    }

    func testSequentialStopsAtTheLayerWhoseWidthDisagrees() throws {
        var generator = SeededGenerator(seed: 2)
        let model = Sequential([try Linear(3, 5, using: &generator), ReLU(), try Linear(4, 2, using: &generator)])
        assertThrows(try model(try Tensor.zeros([1, 3])), mentions: ["Linear(4 → 2)", "[1, 5]"])
    }

    func testLossesWithMismatchedTargetsThrow() throws {
        let logits = try Tensor.zeros([3, 2])
        assertThrows(try crossEntropy(logits, [0, 1]), mentions: ["crossEntropy"])
        assertThrows(try crossEntropy(logits, [0, 1, 2]), mentions: ["crossEntropy", "2"])
        assertThrows(try crossEntropy(logits, [0, -1, 1]), mentions: ["crossEntropy", "-1"])
        assertThrows(try crossEntropy(logits, Tensor([0, 0.5, 1])), mentions: ["crossEntropy", "0.5"])
        assertThrows(try crossEntropy(logits, Tensor([0, .nan, 1])), mentions: ["crossEntropy"])
        assertThrows(try meanSquaredError(Tensor([1, 2, 3]), Tensor([1, 2])), mentions: ["[3]", "[2]"])
        // NaN targets propagate as IEEE 754 says (no trap, no silent zero).
        XCTAssertTrue(try meanSquaredError(Tensor([1, 2]), Tensor([1, .nan])).item.isNaN)
    }

    func testEmbeddingRejectsIndicesFromData() throws {
        var generator = SeededGenerator(seed: 3)
        let embedding = try Embedding(count: 4, dimension: 2, using: &generator)
        assertThrows(try embedding(Tensor([0, 4])), mentions: ["Embedding", "4", "position 1"])
        assertThrows(try embedding(Tensor([.nan])), mentions: ["Embedding", "position 0"])
        assertThrows(try embedding(Tensor([1e30])), mentions: ["Embedding"])
    }

    func testLoadingWrongShapesNamesTheParameterAndKeepsTheOldWeights() throws {
        var generator = SeededGenerator(seed: 4)
        let model = Sequential([try Linear(3, 2, using: &generator)])
        let before = model.stateDictionary
        var state = before
        state["0.weight"] = try Tensor.zeros([3, 2])
        do {
            try model.load(parameters: state)
            XCTFail("expected a StateLoadError")
        } catch let error as StateLoadError {
            XCTAssertEqual(error.shapeMismatches, [.init(name: "0.weight", expected: [2, 3], found: [3, 2])])
            XCTAssertTrue(error.description.contains("0.weight expects [2, 3], got [3, 2]"), error.description)
        }
        // Nothing was half-loaded: the bias (whose shape matched) is unchanged too.
        XCTAssertEqual(model.stateDictionary["0.bias"]?.scalars, before["0.bias"]?.scalars)
        XCTAssertEqual(model.stateDictionary["0.weight"]?.scalars, before["0.weight"]?.scalars)
        // A scalar where a matrix belongs, and a missing name.
        state = before
        state["0.weight"] = Tensor(0)
        state.removeValue(forKey: "0.bias")
        assertThrows(try model.load(parameters: state), mentions: ["missing: 0.bias", "0.weight expects [2, 3], got []"])
    }

    func testPoolingWithBadSettingsThrows() throws {
        let input = try Tensor.zeros([1, 1, 4, 4])
        assertThrows(try MaxPool2D(kernelSize: 0)(input), mentions: [])
        assertThrows(try AvgPool2D(kernelSize: -2)(input), mentions: [])
        assertThrows(try MaxPool2D(kernelSize: 5)(input), mentions: [])
        assertThrows(try MaxPool2D(kernelSize: 2)(try Tensor.zeros([4, 4])), mentions: [])
    }
}
