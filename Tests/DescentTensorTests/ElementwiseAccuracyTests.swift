import DescentTensor
import Foundation
import XCTest

/// The vectorised exp, log, tanh and sigmoid kernels against libm in Double,
/// measured in units in the last place (ulp) of the Float32 result.
final class ElementwiseAccuracyTests: XCTestCase {
    private func maximumError(_ input: [Float], _ function: (Tensor) -> Tensor, _ reference: (Double) -> Double) -> Double {
        let output = function(Tensor(input)).scalars
        var worst = 0.0
        for (x, y) in zip(input, output) {
            let exact = reference(Double(x))
            if Float(exact).isInfinite {
                XCTAssertEqual(y, Float(exact), "at \(x): the result overflows Float32")
                continue
            }
            if !exact.isFinite || Swift.abs(exact) < Double(Float.leastNormalMagnitude) {
                XCTAssertEqual(Double(y), exact, accuracy: 1e-37, "at \(x)")
                continue
            }
            let ulp = Double(Float(exact).ulp)
            worst = Swift.max(worst, Swift.abs(Double(y) - exact) / ulp)
        }
        return worst
    }

    private var grid: [Float] { stride(from: -90.0, through: 90.0, by: 0.0137).map { Float($0) } }

    func testExpWithinTwoUlp() {
        XCTAssertLessThanOrEqual(maximumError(grid, { $0.exp() }, Foundation.exp), 2)
    }

    func testLogWithinTwoUlp() {
        let positive = grid.map { Swift.abs($0) + 1e-6 } + [Float.leastNormalMagnitude / 128, 1e-30, 1, 2, 1e30, Float.greatestFiniteMagnitude]
        XCTAssertLessThanOrEqual(maximumError(positive, { $0.log() }, Foundation.log), 2)
    }

    func testTanhAndSigmoidWithinFourUlp() {
        XCTAssertLessThanOrEqual(maximumError(grid.map { $0 / 8 }, { $0.tanh() }, Foundation.tanh), 4)
        XCTAssertLessThanOrEqual(maximumError(grid, { $0.sigmoid() }, { 1 / (1 + Foundation.exp(-$0)) }), 4)
    }

    func testSpecialValuesFollowIEEE754() {
        let exp = Tensor([.infinity, -.infinity, .nan, 0, 89, -104]).exp().scalars
        XCTAssertEqual(exp[0], .infinity); XCTAssertEqual(exp[1], 0); XCTAssertTrue(exp[2].isNaN)
        XCTAssertEqual(exp[3], 1); XCTAssertEqual(exp[4], .infinity); XCTAssertEqual(exp[5], 0)
        let log = Tensor([0, -1, .infinity, .nan, 1]).log().scalars
        XCTAssertEqual(log[0], -.infinity); XCTAssertTrue(log[1].isNaN); XCTAssertEqual(log[2], .infinity)
        XCTAssertTrue(log[3].isNaN); XCTAssertEqual(log[4], 0)
        let tanh = Tensor([.infinity, -.infinity, .nan, 50]).tanh().scalars
        XCTAssertEqual(tanh[0], 1); XCTAssertEqual(tanh[1], -1); XCTAssertTrue(tanh[2].isNaN); XCTAssertEqual(tanh[3], 1)
        XCTAssertTrue(Tensor([.nan]).relu().scalars[0].isNaN)
        XCTAssertTrue(Tensor([.nan]).sigmoid().scalars[0].isNaN)
    }
}
