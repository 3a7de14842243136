import DescentTensor
import Foundation
import XCTest

/// Forward values against closed forms and NumPy's documented results.
final class TensorForwardTests: XCTestCase {
    func testBroadcastingFollowsNumPy() throws {
        let a = try Tensor(shape: [2, 1, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = try Tensor(shape: [2, 1], scalars: [10, 20])
        let sum = try a + b
        XCTAssertEqual(sum.shape, [2, 2, 3])
        XCTAssertEqual(sum.scalars, [11, 12, 13, 21, 22, 23, 14, 15, 16, 24, 25, 26])
    }

    func testIncompatibleShapesThrowNamingBoth() {
        XCTAssertThrowsError(try Tensor(shape: [2, 3], scalars: Array(repeating: 1, count: 6)) + Tensor([1, 2])) { error in
            XCTAssertEqual("\(error)", "add: shape mismatch: cannot broadcast [2, 3] with [2]")
        }
        XCTAssertThrowsError(try Tensor(shape: [2, 3], scalars: [1])) { error in
            XCTAssertTrue("\(error)".contains("holds 6 elements but 1"))
        }
        XCTAssertThrowsError(try Tensor.zeros([2, 3]).matmul(Tensor.zeros([2, 3])))
        XCTAssertThrowsError(try Tensor.zeros([2, 3]).sum(alongAxis: 2))
        XCTAssertThrowsError(try Tensor.zeros([2, 3]).reshaped(to: [4, 2]))
        XCTAssertThrowsError(try Tensor.zeros([3, 2]).gatherRows([3]))
        XCTAssertThrowsError(try Tensor.oneHot([0, 3], classes: 3))
    }

    func testMatmulClosedForm() throws {
        let a = try Tensor(rows: [[1, 2], [3, 4]]), b = try Tensor(rows: [[5, 6], [7, 8]])
        XCTAssertEqual(try a.matmul(b).scalars, [19, 22, 43, 50])
    }

    func testReductionsAndArgmax() throws {
        let x = try Tensor(rows: [[1, 5, 2], [7, 0, 7]])
        XCTAssertEqual(try x.sum(alongAxis: 0).scalars, [8, 5, 9])
        XCTAssertEqual(try x.max(alongAxis: 1).scalars, [5, 7])
        XCTAssertEqual(try x.min(alongAxis: 1, keepingDimensions: true).shape, [2, 1])
        XCTAssertEqual(try x.argmax(alongAxis: 1), [1, 0])   // first on ties
        XCTAssertEqual(x.mean().item, 22.0 / 6.0, accuracy: 1e-6)
        let lse = try x.logSumExp(alongAxis: 1).scalars
        XCTAssertEqual(lse[0], Float(Foundation.log(exp(1.0) + exp(5.0) + exp(2.0))), accuracy: 1e-5)
    }

    func testSoftmaxIsStableForLargeInputs() throws {
        let x = try Tensor(rows: [[1000, 1001, 1002]])
        let y = try x.softmax()
        XCTAssertEqual(y.scalars[2], 0.66524096, accuracy: 1e-6)
        let logY = try x.logSoftmax()
        XCTAssertEqual(logY.scalars[0], -2.40760596, accuracy: 1e-5)
    }

    func testNaNAndInfinityPropagate() throws {
        let x = Tensor([.nan, .infinity, -1])
        let y = (x * 2).scalars
        XCTAssertTrue(y[0].isNaN)
        XCTAssertEqual(y[1], .infinity)
        XCTAssertTrue(x.log().scalars[2].isNaN)
        XCTAssertFalse(x.isFinite)
        XCTAssertTrue(try x.argmax(alongAxis: 0) == [0])
    }

    func testPermuteSliceConcatenateOneHot() throws {
        let x = try Tensor.arange(0, 6).reshaped(to: [2, 3])
        XCTAssertEqual(try x.transposed().scalars, [0, 3, 1, 4, 2, 5])
        XCTAssertEqual(try x.slice(alongAxis: 1, 1..<3).scalars, [1, 2, 4, 5])
        XCTAssertEqual(try Tensor.concatenate([x, x], alongAxis: 1).scalars, [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5])
        XCTAssertEqual(try Tensor.oneHot([2, 0], classes: 3).scalars, [0, 0, 1, 1, 0, 0])
        XCTAssertEqual(try x.gatherRows([1, 1]).scalars, [3, 4, 5, 3, 4, 5])
    }

    func testCopyOnWrite() throws {
        let a = Tensor([1, 2, 3])
        var b = a
        b.withUnsafeMutableBufferPointer { $0[0] = 9 }
        XCTAssertEqual(a.scalars, [1, 2, 3])
        XCTAssertEqual(b.scalars, [9, 2, 3])
    }

    func testSeededRandomIsReproducibleAndHasTheRightMoments() throws {
        var first = SeededGenerator(seed: 7), second = SeededGenerator(seed: 7)
        let a = try Tensor.randomNormal([10_000], using: &first)
        let b = try Tensor.randomNormal([10_000], using: &second)
        XCTAssertEqual(a.scalars, b.scalars)
        XCTAssertEqual(a.mean().item, 0, accuracy: 0.03)          // 3σ of the mean is 0.03
        XCTAssertEqual(try (a * a).mean().item, 1, accuracy: 0.05)
        var uniformGenerator = SeededGenerator(seed: 3)
        let u = try Tensor.randomUniform([10_000], low: -2, high: 2, using: &uniformGenerator)
        XCTAssertTrue(u.scalars.allSatisfy { $0 >= -2 && $0 < 2 })
        XCTAssertEqual(u.mean().item, 0, accuracy: 0.04)
    }
}


final class TensorLimitTests: XCTestCase {
    func testArangeWithTooManyElementsIsAnErrorNotACrash() {
        XCTAssertThrowsError(try Tensor.arange(0, 1e30, step: 1e-30)) { error in
            XCTAssertTrue("\(error)".contains("too many elements"), "\(error)")
        }
        XCTAssertThrowsError(try Tensor.arange(0, .infinity))
        XCTAssertEqual(try Tensor.arange(0, 1, step: 0.25).scalars, [0, 0.25, 0.5, 0.75])
        XCTAssertEqual(try Tensor.arange(3, 0, step: -1).scalars, [3, 2, 1])
    }
}
