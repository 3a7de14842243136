import CDescentOptimKernels
import DescentTensor

/// A limit put on gradients before the optimizer uses them.
///
/// * `.globalNorm(max)`: with ‖g‖ the L2 norm of all gradients together,
///   every gradient is multiplied by `min(1, max / (‖g‖ + 1e-6))`
///   (PyTorch `clip_grad_norm_`). Gradients [3, 4] with max 1 become ≈ [0.6, 0.8].
/// * `.value(max)`: every element is clamped to [-max, max] (PyTorch `clip_grad_value_`).
///   [3, -0.5] with max 1 becomes [1, -0.5].
public enum GradientClipping: Sendable, Equatable, Codable {
    case globalNorm(Double)
    case value(Double)

    func validate() throws {
        switch self {
        case let .globalNorm(limit): try HyperparameterCheck.positive(limit, "clipping.globalNorm")
        case let .value(limit): try HyperparameterCheck.positive(limit, "clipping.value")
        }
    }

    /// The L2 norm of all the gradients together, in double precision.
    public static func globalNorm(of gradients: [String: Tensor]) -> Double {
        var total = 0.0
        for name in gradients.keys.sorted() { total += sumOfSquares(gradients[name]!) }
        return total.squareRoot()
    }

    /// Σx² of a tensor in double precision (infinite or NaN iff an element is), split across cores.
    static func sumOfSquares(_ tensor: Tensor) -> Double {
        tensor.withUnsafeBufferPointer { buffer in
            let base = SendablePointer(buffer)
            let partials = PartialSums(count: Parallel.threadCount)
            let chunk = max(1, (buffer.count + Parallel.threadCount - 1) / Parallel.threadCount)
            Parallel.forEachChunk(count: buffer.count, threshold: 1 << 18) { range in
                partials.add(descent_sum_of_squares(base?.advanced(by: range.lowerBound), range.count),
                             at: range.lowerBound / chunk)
            }
            return partials.total
        }
    }

    /// Applies the clipping to `gradients` in place.
    public func apply(to gradients: inout [String: Tensor]) { apply(to: &gradients, knownNorm: nil) }

    func apply(to gradients: inout [String: Tensor], knownNorm: Double?) {
        switch self {
        case let .globalNorm(limit):
            let norm = Float(knownNorm ?? GradientClipping.globalNorm(of: gradients))
            let coefficient = min(Float(limit) / (norm + 1e-6), 1)
            guard coefficient < 1 else { return }
            for name in gradients.keys { gradients[name] = gradients[name]! * coefficient }
        case let .value(limit):
            let bound = Float(limit)
            for name in gradients.keys {
                var gradient = gradients.removeValue(forKey: name)!
                gradient.withUnsafeMutableBufferPointer { buffer in
                    for index in buffer.indices { buffer[index] = min(max(buffer[index], -bound), bound) }
                }
                gradients[name] = gradient
            }
        }
    }
}
