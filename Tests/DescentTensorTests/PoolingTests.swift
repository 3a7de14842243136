import XCTest
import DescentTensor

/// maxPool2d / avgPool2d: hand-computed values, gradients against central
/// finite differences, argument errors by message.
final class PoolingTests: XCTestCase {
    private let grid = try! Tensor(shape: [1, 1, 2, 4], scalars: [1, 5, 2, 0,
                                                                   3, 4, 8, 6])

    func testHandComputedValues() throws {
        XCTAssertEqual(try grid.maxPool2d(kernelSize: 2).scalars, [5, 8])
        XCTAssertEqual(try grid.avgPool2d(kernelSize: 2).scalars, [3.25, 4])
        // Stride 1 overlaps the windows: [1 5 / 3 4], [5 2 / 4 8], [2 0 / 8 6].
        XCTAssertEqual(try grid.maxPool2d(kernelSize: 2, stride: 1).scalars, [5, 8, 8])
        XCTAssertEqual(try grid.avgPool2d(kernelSize: 2, stride: 1).scalars, [3.25, 4.75, 4])
        // Padding 1, kernel 2, stride 2: windows over rows {-1,0},{1,2} and columns {-1,0},{1,2},{3,4}.
        let padded = try grid.maxPool2d(kernelSize: 2, stride: 2, padding: 1)
        XCTAssertEqual(padded.shape, [1, 1, 2, 3])
        XCTAssertEqual(padded.scalars, [1, 5, 0, 3, 8, 6])
        // Average with padding: PyTorch divides by 4 (count_include_pad=True) or by the real count.
        XCTAssertEqual(try grid.avgPool2d(kernelSize: 2, stride: 2, padding: 1).scalars, [0.25, 1.75, 0, 0.75, 3, 1.5])
        XCTAssertEqual(try grid.avgPool2d(kernelSize: 2, stride: 2, padding: 1, countingPadding: false).scalars, [1, 3.5, 0, 3, 6, 6])
    }

    func testMaxPoolPropagatesNaNAndRoutesGradientToTheMaximum() throws {
        let withNaN = try Tensor(shape: [1, 1, 2, 2], scalars: [1, .nan, 3, 2])
        XCTAssertTrue(try withNaN.maxPool2d(kernelSize: 2).item.isNaN)
        let (_, gradient) = try valueWithGradient(at: grid) { try ($0.maxPool2d(kernelSize: 2) * Tensor([10, 100])).sum() }
        XCTAssertEqual(gradient.scalars, [0, 10, 0, 0, 0, 0, 100, 0])
        // Overlapping windows add their gradients at a shared maximum (the 8 wins two windows).
        let (_, overlapping) = try valueWithGradient(at: grid) { try $0.maxPool2d(kernelSize: 2, stride: 1).sum() }
        XCTAssertEqual(overlapping.scalars, [0, 1, 0, 0, 0, 0, 2, 0])
    }

    /// Both poolings are piecewise linear: with inputs spaced ≥ 0.05 apart and
    /// h = 1e-2 no window changes its maximum, so the central difference has no
    /// truncation error; the Float rounding of outputs ~1 gives ≈ 1e-5. Tolerance 1e-3.
    func testGradientsMatchFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 5)
        let count = 2 * 3 * 7 * 6
        var values = (0..<count).map { Float($0) * 0.05 - 3 }
        values.shuffle(using: &generator)
        let input = try Tensor(shape: [2, 3, 7, 6], scalars: values)
        for (kernel, stride, padding) in [(2, 2, 0), (3, 2, 1), (3, 1, 1), (2, 3, 1)] {
            for isMax in [true, false] {
                let pool: (Tensor) throws -> Tensor = { x in
                    isMax ? try x.maxPool2d(kernelSize: kernel, stride: stride, padding: padding)
                          : try x.avgPool2d(kernelSize: kernel, stride: stride, padding: padding, countingPadding: padding == 1 && kernel == 3)
                }
                let probe = try Tensor.randomNormal(try pool(input).shape, using: &generator)
                let (_, gradient) = try valueWithGradient(at: input) { try (pool($0) * probe).sum() }
                let numeric = try spatialFiniteDifference([input], argument: 0, probe: probe) { try pool($0[0]) }
                for (a, b) in zip(gradient.scalars, numeric) {
                    XCTAssertEqual(Double(a), b, accuracy: 1e-3, "kernel \(kernel) stride \(stride) padding \(padding) max \(isMax)")
                }
            }
        }
    }

    func testArgumentErrorsNameTheProblem() throws {
        XCTAssertThrowsError(try Tensor.zeros([4, 4]).maxPool2d(kernelSize: 2)) { error in
            XCTAssertTrue("\(error)".contains("[4, 4]"), "\(error)")
        }
        XCTAssertThrowsError(try grid.avgPool2d(kernelSize: 2, padding: 2)) { error in
            XCTAssertTrue("\(error)".contains("padding"), "\(error)")
        }
        XCTAssertThrowsError(try grid.maxPool2d(kernelSize: 3)) { error in
            XCTAssertTrue("\(error)".contains("[1, 1, 2, 4]"), "\(error)")
        }
        XCTAssertThrowsError(try grid.maxPool2d(kernelSize: 0))
        XCTAssertThrowsError(try grid.maxPool2d(kernelSize: 2, stride: 0))
    }
}
