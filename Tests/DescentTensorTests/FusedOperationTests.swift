import XCTest
import DescentTensor

/// The fused operations of a training step: `affine` (x·Wᵀ + b in one node) against the
/// unfused composition and finite differences; `softmaxCrossEntropy` against the closed form
/// and finite differences; max pooling's 2×2 path against hand-worked windows.
final class FusedOperationTests: XCTestCase {
    func testAffineMatchesMatmulOfTheTransposePlusBias() throws {
        var generator = SeededGenerator(seed: 3)
        // Shapes of minibatch layers, including k beyond one depth block (784) and an empty batch.
        for (m, inputs, outputs) in [(5, 3, 4), (32, 64, 32), (128, 784, 10), (0, 6, 2), (7, 1, 1)] {
            let x = try Tensor.randomNormal([m, inputs], using: &generator)
            let w = try Tensor.randomNormal([outputs, inputs], using: &generator)
            let b = try Tensor.randomNormal([outputs], using: &generator)
            let fused = try x.affine(weight: w, bias: b)
            let reference = try x.matmul(w.transposed()) + b
            XCTAssertEqual(fused.shape, [m, outputs])
            for (a, e) in zip(fused.scalars, reference.scalars) { XCTAssertEqual(a, e, accuracy: 1e-4 * (1 + Swift.abs(e))) }
            XCTAssertEqual(try x.affine(weight: w).scalars.count, m * outputs)
        }
        let x = try Tensor(rows: [[1, 2]])
        let w = try Tensor(rows: [[1, 0], [1, 1], [0, -1]])
        XCTAssertEqual(try x.affine(weight: w, bias: Tensor([0.5, 0, 0])).scalars, [1.5, 3, -2])
    }

    func testAffineGradientsMatchFiniteDifferences() throws {
        try checkGradients([try sample([4, 3], seed: 1), try sample([5, 3], seed: 2), try sample([5], seed: 3)]) { p in
            try p[0].affine(weight: p[1], bias: p[2])
        }
        try checkGradients([try sample([3, 2], seed: 4), try sample([2, 2], seed: 5)]) { p in try p[0].affine(weight: p[1]) }
    }

    func testAffineShapeErrorsNameTheShapes() throws {
        let x = try Tensor.zeros([2, 3])
        XCTAssertThrowsError(try x.affine(weight: try Tensor.zeros([4, 2]))) { error in
            XCTAssertTrue("\(error)".contains("[4, 2]"), "\(error)")
        }
        XCTAssertThrowsError(try x.affine(weight: try Tensor.zeros([4, 3]), bias: try Tensor.zeros([3]))) { error in
            XCTAssertTrue("\(error)".contains("[4]"), "\(error)")
        }
    }

    func testSoftmaxCrossEntropyClosedForm() throws {
        // Row 0: log softmax [2, 0, 0] at 0 = 2 − log(e² + 2) = −0.23954; row 1 at 2: −log 3 = −1.09861.
        let logits = try Tensor(rows: [[2, 0, 0], [0, 0, 0]])
        let targets = try Tensor(rows: [[1, 0, 0], [0, 0, 1]])
        let loss = try logits.softmaxCrossEntropy(targets: targets, divisor: 2)
        XCTAssertEqual(Double(loss.item), (0.23954 + 1.09861) / 2, accuracy: 1e-5)
        // Gradient (softmax − T) / 2: row 1 is [1/3, 1/3, −2/3] / 2.
        let (_, gradient) = try valueWithGradient(at: logits) { try $0.softmaxCrossEntropy(targets: targets, divisor: 2) }
        XCTAssertEqual(gradient.scalars[3], 1.0 / 6, accuracy: 1e-6)
        XCTAssertEqual(gradient.scalars[5], -1.0 / 3, accuracy: 1e-6)
        XCTAssertThrowsError(try logits.softmaxCrossEntropy(targets: Tensor([1, 0, 0]), divisor: 1))
    }

    func testSoftmaxCrossEntropyGradientsMatchFiniteDifferences() throws {
        // Smoothed, weighted targets: every entry nonzero, rows summing to different totals.
        let targets = try Tensor(rows: [[0.1, 0.7, 0.2, 0.05], [0.3, 0.3, 0.1, 1.2], [0.9, 0.05, 0.05, 0.05]])
        try checkGradients([try sample([3, 4], seed: 8)]) { p in
            try p[0].softmaxCrossEntropy(targets: targets, divisor: 2.5)
        }
    }

    func testTwoByTwoMaxPoolKeepsFirstMaximumAndNaN() throws {
        // The 2×2, stride 2 windows take a branch-free path: ties (the first maximum wins), all −∞,
        // NaN in several positions (the first NaN wins), against values worked out by hand.
        let values: [Float] = [1, 1, 2, -.infinity, 5, .nan, 3, 3,
                               0, 1, 2, 2, .nan, 4, 3, 3,
                               -1, -1, -.infinity, -.infinity, 7, 6, 6, 7,
                               -1, -2, -.infinity, -.infinity, 7, 7, .nan, .nan]
        let x = try Tensor(shape: [1, 1, 4, 8], scalars: values)
        let pooled = try x.maxPool2d(kernelSize: 2)
        let expected: [Float] = [1, 2, .nan, 3, -1, -.infinity, 7, .nan]
        for (a, e) in zip(pooled.scalars, expected) {
            if e.isNaN { XCTAssertTrue(a.isNaN) } else { XCTAssertEqual(a, e) }
        }
        let (_, gradient) = try valueWithGradient(at: x) { try $0.maxPool2d(kernelSize: 2).sum() }
        // The winners: first maximum of each window (NaN first), one per window.
        let winners = gradient.scalars.enumerated().filter { $0.element == 1 }.map(\.offset)
        XCTAssertEqual(winners, [0, 2, 5, 6, 16, 18, 20, 30])
    }
}
