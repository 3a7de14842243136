import CDescentElementwise
import Foundation

/// Elementwise functions and their derivatives (all written in terms of the
/// forward input `x` or output `y`):
///
/// | function | derivative |
/// |---|---|
/// | exp | y |
/// | log | 1/x |
/// | sqrt | 1/(2y) |
/// | pow(x, p) | p·x^(p−1) |
/// | abs | sign(x) (0 at 0, as PyTorch) |
/// | tanh | 1 − y² |
/// | sigmoid | y(1 − y) |
/// | relu | 1 if x > 0 else 0 |
/// | leakyRelu(α) | 1 if x > 0 else α |
/// | gelu (erf form) | Φ(x) + x·φ(x) |
/// | softplus | sigmoid(x) |
/// | clamp(lo, hi) | 1 inside [lo, hi], 0 outside |
extension Tensor {
    /// The tracked result of a unary function with derivative `derivative(x, y)`.
    @inlinable
    func unary(_ function: (Float) -> Float, derivative: @escaping (Float, Float) -> Float) -> Tensor {
        let result = map(function)
        guard isTracked else { return result }
        let x = detached, y = result.detached
        return Tensor.record(result, self) { gradient in
            try! Tensor.zipBroadcast(x, y, operation: "derivative", derivative) * gradient
        }
    }

    /// The tracked result of a vectorised C kernel whose backward kernel takes
    /// (forward output or input, gradient).
    func unary(kernel: UnaryKernel, backward: BinaryKernel, backwardUsesOutput: Bool) -> Tensor {
        let result = apply(kernel)
        guard isTracked else { return result }
        let saved = backwardUsesOutput ? result.detached : detached
        return Tensor.record(result, self) { gradient in Tensor.apply(backward, saved, gradient) }
    }

    public func exp() -> Tensor { unary(kernel: descent_exp, backward: descent_exp_backward, backwardUsesOutput: true) }
    public func log() -> Tensor {
        let result = apply(descent_log)
        let x = detached
        return Tensor.record(result, self) { gradient in Tensor.apply(descent_divide, gradient, x) }
    }
    public func sqrt() -> Tensor { unary({ $0.squareRoot() }, derivative: { _, y in 0.5 / y }) }
    public func squared() -> Tensor { unary({ $0 * $0 }, derivative: { x, _ in 2 * x }) }
    public func pow(_ exponent: Float) -> Tensor {
        unary({ Foundation.pow($0, exponent) }, derivative: { x, _ in exponent * Foundation.pow(x, exponent - 1) })
    }
    public func abs() -> Tensor { unary({ Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }) }
    public func tanh() -> Tensor { unary(kernel: descent_tanh, backward: descent_tanh_backward, backwardUsesOutput: true) }
    public func sigmoid() -> Tensor { unary(kernel: descent_sigmoid, backward: descent_sigmoid_backward, backwardUsesOutput: true) }
    /// max(x, 0); NaN stays NaN as in PyTorch.
    public func relu() -> Tensor { unary(kernel: descent_relu, backward: descent_relu_backward, backwardUsesOutput: false) }
    public func leakyRelu(negativeSlope: Float = 0.01) -> Tensor {
        unary({ $0 > 0 ? $0 : negativeSlope * $0 }, derivative: { x, _ in x > 0 ? 1 : negativeSlope })
    }
    /// GELU, exact form x·Φ(x) (Hendrycks & Gimpel, 2016), as PyTorch's default.
    public func gelu() -> Tensor {
        unary({ 0.5 * $0 * (1 + Foundation.erf($0 / Float(2.0.squareRoot()))) }, derivative: { x, _ in
            let cdf = 0.5 * (1 + Foundation.erf(x / Float(2.0.squareRoot())))
            let density = Foundation.exp(-0.5 * x * x) / Float((2 * Double.pi).squareRoot())
            return cdf + x * density
        })
    }
    /// log(1 + eˣ), computed without overflow.
    public func softplus() -> Tensor {
        unary({ $0 > 20 ? $0 : ($0 < -20 ? Foundation.exp($0) : Foundation.log1p(Foundation.exp($0))) },
              derivative: { x, _ in x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x)) })
    }
    /// Limits every element to [lower, upper]; NaN stays NaN.
    public func clamped(to range: ClosedRange<Float>) -> Tensor {
        let lower = range.lowerBound, upper = range.upperBound
        return unary({ $0.isNaN ? $0 : Swift.min(Swift.max($0, lower), upper) },
                     derivative: { x, _ in x >= lower && x <= upper ? 1 : 0 })
    }
}
