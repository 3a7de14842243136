import DescentTensor
import XCTest

final class ElementwiseGradientTests: XCTestCase {
    func testBinaryArithmeticWithBroadcasting() throws {
        let a = try sample([3, 4], seed: 1), b = try sample([4], seed: 2), c = try sample([3, 1], seed: 3)
        try checkGradients([a, b]) { try $0[0] + $0[1] }
        try checkGradients([a, c]) { try $0[0] - $0[1] }
        try checkGradients([a, b]) { try $0[0] * $0[1] }
        try checkGradients([a, c]) { try $0[0] / $0[1] }
        try checkGradients([c, b]) { try $0[0] * $0[1] }   // [3,1] × [4] → [3,4]
        try checkGradients([a]) { -$0[0] }
    }

    func testScalarArithmetic() throws {
        let a = try sample([2, 3], seed: 4)
        try checkGradients([a]) { $0[0] * 3 + 1 }
        try checkGradients([a]) { 2 - $0[0] / 4 }
        try checkGradients([a]) { 1 / $0[0] }
    }

    func testUnaryFunctions() throws {
        let x = try sample([2, 5], seed: 5), positive = try sample([2, 5], seed: 6, positive: true)
        try checkGradients([x]) { $0[0].exp() }
        try checkGradients([positive]) { $0[0].log() }
        try checkGradients([positive]) { $0[0].sqrt() }
        try checkGradients([positive]) { $0[0].pow(2.5) }
        try checkGradients([x]) { $0[0].pow(3) }
        try checkGradients([x]) { $0[0].squared() }
        try checkGradients([x]) { $0[0].abs() }
        try checkGradients([x]) { $0[0].tanh() }
        try checkGradients([x]) { $0[0].sigmoid() }
        try checkGradients([x]) { $0[0].relu() }
        try checkGradients([x]) { $0[0].leakyRelu(negativeSlope: 0.1) }
        try checkGradients([x]) { $0[0].gelu() }
        try checkGradients([x]) { $0[0].softplus() }
        try checkGradients([x]) { $0[0].clamped(to: -0.5...0.7) }
    }

    func testWhereSendsGradientToTheChosenSide() throws {
        let a = try sample([2, 3], seed: 7), b = try sample([3], seed: 8)
        let condition = try Tensor(shape: [2, 3], scalars: [1, 0, 1, 0, 0, 1])
        try checkGradients([a, b]) { try Tensor.where(condition, $0[0], $0[1]) }
    }

    func testTensorUsedSeveralTimesAccumulates() throws {
        let x = try sample([4], seed: 9)
        // f(x) = x·x + 3x − x  ⇒  f'(x) = 2x + 2
        let (_, gradient) = try valueWithGradient(at: x) { x in try (x * x + x * 3 - x).sum() }
        XCTAssertEqual(gradient.scalars, x.scalars.map { 2 * $0 + 2 })
    }

    func testUnusedParameterGetsZeros() throws {
        let (value, gradients) = try valueWithGradient(at: [Tensor([1, 2]), Tensor([5])]) { p in p[0].sum() }
        XCTAssertEqual(value.item, 3)
        XCTAssertEqual(gradients[1].scalars, [0])
    }

    func testNonScalarLossIsAnError() {
        XCTAssertThrowsError(try valueWithGradient(at: Tensor([1, 2])) { $0 * 2 }) { error in
            XCTAssertTrue("\(error)".contains("one value"), "\(error)")
        }
    }
}
