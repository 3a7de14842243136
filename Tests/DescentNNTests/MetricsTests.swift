import XCTest
import DescentTensor
import DescentNN

final class MetricsTests: XCTestCase {
    func testDocumentedValues() throws {
        let predictions: [Float] = [1, 2, 4], targets: [Float] = [1, 3, 3]
        XCTAssertEqual(try meanAbsoluteError(predictions: predictions, targets: targets), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try rootMeanSquaredError(predictions: predictions, targets: targets), (2.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(try rSquared(predictions: predictions, targets: targets), 0.25, accuracy: 1e-12)
        XCTAssertEqual(try rSquared(predictions: Tensor(targets), targets: Tensor(targets)), 1)
        XCTAssertEqual(try rSquared(predictions: [7 / 3, 7 / 3, 7 / 3], targets: targets), 0, accuracy: 1e-6)
        XCTAssertEqual(try accuracy(logits: try Tensor(rows: [[2, 1], [0, 3]]), labels: [0, 0]), 0.5)
        XCTAssertEqual(try accuracy(predictions: [1, 2, 3, 4], labels: [1, 2, 0, 4]), 0.75)
        XCTAssertEqual(try meanAbsoluteError(predictions: Tensor([1, 2]), targets: Tensor([2, 0])), 1.5)
    }

    func testInvalidInputsThrow() {
        XCTAssertThrowsError(try accuracy(predictions: [1], labels: [1, 2])) { XCTAssertTrue("\($0)".contains("1 predictions for 2 labels")) }
        XCTAssertThrowsError(try accuracy(predictions: [], labels: []))
        XCTAssertThrowsError(try rSquared(predictions: [1, 2], targets: [3, 3])) { XCTAssertTrue("\($0)".contains("equal")) }
        XCTAssertThrowsError(try rootMeanSquaredError(predictions: Tensor([1, 2]), targets: try Tensor.zeros([2, 1])))
        XCTAssertThrowsError(try accuracy(logits: Tensor([1, 2]), labels: [0]))
    }
}
