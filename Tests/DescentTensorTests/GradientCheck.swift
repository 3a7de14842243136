import DescentTensor
import XCTest

/// Central finite differences against the tape's gradients.
///
/// Every op is checked through a scalar probe `Σ f(x) ⊙ r` with a fixed random
/// `r`, so every output element contributes. The derivative is estimated as
/// (L(x + h) − L(x − h)) / 2h with h = 1e-2 in Float32, accumulated in Double:
/// truncation error is O(h²) ≈ 1e-4 relative for these smooth inputs, and Float32
/// rounding of L adds about 1e-7·|L| / h ≈ 1e-5·|L|. A tolerance of 2e-3 relative
/// plus 2e-3 absolute leaves room for both while still catching any wrong rule
/// (a wrong derivative is off by O(1)).
func checkGradients(_ inputs: [Tensor], step: Float = 1e-2, tolerance: Double = 2e-3,
                    file: StaticString = #filePath, line: UInt = #line,
                    _ function: ([Tensor]) throws -> Tensor) throws {
    var generator = SeededGenerator(seed: 99)
    let output = try function(inputs)
    let probe = try Tensor.randomNormal(output.shape, using: &generator)
    func loss(_ inputs: [Tensor]) throws -> Tensor { try (function(inputs) * probe).sum() }
    let (_, gradients) = try valueWithGradient(at: inputs) { try loss($0) }
    for (index, input) in inputs.enumerated() {
        XCTAssertEqual(gradients[index].shape, input.shape, "gradient shape of input \(index)", file: file, line: line)
        for element in 0..<input.count {
            var plus = inputs, minus = inputs
            plus[index].withUnsafeMutableBufferPointer { $0[element] += step }
            minus[index].withUnsafeMutableBufferPointer { $0[element] -= step }
            let numeric = (Double(try loss(plus).item) - Double(try loss(minus).item)) / (2 * Double(step))
            let analytic = Double(gradients[index].scalars[element])
            XCTAssertEqual(analytic, numeric, accuracy: tolerance * (1 + Swift.abs(numeric)),
                           "input \(index) element \(element)", file: file, line: line)
        }
    }
}

/// Random test input away from kinks: values in ±[0.2, 1.5] (or positive only).
func sample(_ shape: [Int], seed: UInt64, positive: Bool = false) throws -> Tensor {
    var generator = SeededGenerator(seed: seed)
    let count = shape.reduce(1, *)
    let values: [Float] = (0..<count).map { _ in
        let magnitude = Float(0.2 + 1.3 * generator.nextUniform())
        return positive || generator.nextUniform() < 0.5 ? magnitude : -magnitude
    }
    return try Tensor(shape: shape, scalars: values)
}
