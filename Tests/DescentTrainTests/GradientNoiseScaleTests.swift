import DescentData
import DescentNN
import DescentTensor
import DescentTrain
import XCTest

/// The gradient noise scale against closed forms: linear regression, whose per-example gradients
/// (and so their mean G and covariance Σ over the data) are known exactly.
final class GradientNoiseScaleTests: XCTestCase {
    /// Norms whose expectations are exact give B_simple exactly: tr(Σ) = 8, |G|² = 0.5, B = 16.
    func testExactNormsGiveTheClosedForm() throws {
        let scale = try GradientNoiseScale.estimate(smallBatch: 4, bigBatch: 64,
                                                    measurements: [(small: 2.5, big: 0.625), (small: 2.5, big: 0.625)])
        XCTAssertEqual(scale.traceCovariance, 8, accuracy: 1e-12)
        XCTAssertEqual(scale.gradientNormSquared, 0.5, accuracy: 1e-12)
        XCTAssertEqual(scale.value, 16, accuracy: 1e-12)
        XCTAssertEqual(scale.standardError, 0, accuracy: 1e-12)
    }

    /// Per-example gradients g_i = x_i (x_i·w − y_i) of least squares on a fixed set of 300 points; batches
    /// drawn with replacement, so E|G_B|² = |G|² + tr(Σ)/B holds exactly, and the estimate must find
    /// tr(Σ)/|G|² computed from all the g_i, within its own standard error.
    func testLinearRegressionWithKnownCovariance() throws {
        var generator = SeededGenerator(seed: 11)
        let (n, d) = (300, 3)
        let w = [0.8, -0.4, 0.3], truth = [0.5, 0.2, -0.1]
        var gradients: [[Double]] = []
        for _ in 0..<n {
            let x = (0..<d).map { _ in Double.random(in: -1...1, using: &generator) }
            let y = zip(x, truth).reduce(0) { $0 + $1.0 * $1.1 } + Double.random(in: -0.3...0.3, using: &generator)
            let residual = zip(x, w).reduce(0) { $0 + $1.0 * $1.1 } - y
            gradients.append(x.map { $0 * residual })
        }
        let mean = (0..<d).map { j in gradients.reduce(0) { $0 + $1[j] } / Double(n) }
        let normSquared = mean.reduce(0) { $0 + $1 * $1 }
        let trace = gradients.reduce(0) { $0 + zip($1, mean).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } } / Double(n)
        let expected = trace / normSquared

        func batchNorm(_ size: Int) -> Double {
            var sum = [Double](repeating: 0, count: d)
            for _ in 0..<size {
                let g = gradients[Int.random(in: 0..<n, using: &generator)]
                for j in 0..<d { sum[j] += g[j] }
            }
            return sum.reduce(0) { $0 + ($1 / Double(size)) * ($1 / Double(size)) }
        }
        let measurements = (0..<3000).map { _ in (small: batchNorm(4), big: batchNorm(64)) }
        let scale = try GradientNoiseScale.estimate(smallBatch: 4, bigBatch: 64, measurements: measurements)
        XCTAssertEqual(scale.traceCovariance, trace, accuracy: 0.1 * trace)
        XCTAssertEqual(scale.gradientNormSquared, normSquared, accuracy: 0.15 * normSquared)
        XCTAssertTrue(scale.standardError.isFinite && scale.standardError > 0)
        XCTAssertLessThan(abs(scale.value - expected), 4 * scale.standardError,
                          "estimate \(scale.value) ± \(scale.standardError), closed form \(expected)")
        XCTAssertLessThan(abs(scale.value - expected) / expected, 0.15)
    }

    /// `measure` on a real model: Linear(3 → 1) without bias and the mean squared error, whose per-example
    /// gradients are 2·r_i·x_i (r_i the residual): its estimate must find the closed form within 15 % (the
    /// batches are drawn without replacement from 4,096 rows, which moves it by n/(n − 1)).
    func testMeasureOnALinearModel() throws {
        var generator = SeededGenerator(seed: 5)
        let (n, d) = (4096, 3)
        let model = try Linear(d, 1, bias: false, using: &generator)
        let w = model.weight.value.scalars.map(Double.init)
        var features: [Float] = [], targets: [Float] = [], gradients: [[Double]] = []
        for _ in 0..<n {
            let x = (0..<d).map { _ in Float.random(in: -1...1, using: &generator) }
            let y = 0.5 * x[0] - 0.2 * x[1] + Float.random(in: -0.5...0.5, using: &generator)
            features += x
            targets.append(y)
            let residual = zip(x, w).reduce(0) { $0 + Double($1.0) * $1.1 } - Double(y)
            gradients.append(x.map { 2 * residual * Double($0) })
        }
        let data = try Dataset(features: try Tensor(shape: [n, d], scalars: features),
                               targets: .values(try Tensor(shape: [n], scalars: targets)))
        let mean = (0..<d).map { j in gradients.reduce(0) { $0 + $1[j] } / Double(n) }
        let normSquared = mean.reduce(0) { $0 + $1 * $1 }
        let trace = gradients.reduce(0) { $0 + zip($1, mean).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } } / Double(n)
        let scale = try GradientNoiseScale.measure(model: model, data: data, smallBatch: 8, bigBatch: 128, pairs: 400, seed: 3)
        XCTAssertLessThan(abs(scale.value - trace / normSquared) / (trace / normSquared), 0.15,
                          "measured \(scale.value) ± \(scale.standardError), closed form \(trace / normSquared)")
    }

    func testBatchesMustBeOrdered() {
        XCTAssertThrowsError(try GradientNoiseScale.estimate(smallBatch: 8, bigBatch: 8, measurements: [(1, 1)]))
        XCTAssertThrowsError(try GradientNoiseScale.estimate(smallBatch: 0, bigBatch: 8, measurements: [(1, 1)]))
        XCTAssertThrowsError(try GradientNoiseScale.estimate(smallBatch: 2, bigBatch: 8, measurements: []))
    }

    /// A gradient that is all noise (|G|² estimated ≤ 0) has no finite noise scale.
    func testAllNoiseIsInfinite() throws {
        let scale = try GradientNoiseScale.estimate(smallBatch: 2, bigBatch: 8, measurements: [(small: 1, big: 0.2), (small: 1, big: 0.2)])
        XCTAssertEqual(scale.value, .infinity)
    }
}
