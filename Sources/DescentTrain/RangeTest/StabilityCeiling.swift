import DescentData
import DescentNN
import DescentTensor
import Foundation

/// The stability ceiling: the largest eigenvalue λmax of the training loss's Hessian at the
/// current weights, and 2/λmax, the largest step of plain gradient descent that does not
/// blow up along the sharpest direction.
///
/// On a quadratic L(w) = ½·wᵀHw, gradient descent w ← w − η·Hw multiplies the component along
/// an eigenvector of eigenvalue λ by (1 − ηλ) each step, which shrinks only while η < 2/λ; the
/// sharpest direction sets the limit, 2/λmax. Near a minimum every loss is such a quadratic.
/// Cohen et al., "Gradient Descent on Neural Networks Typically Occurs at the Edge of Stability"
/// (ICLR 2021), show that full-batch training drives λmax up to 2/η and hovers there. With heavy-ball
/// momentum β (PyTorch's SGD: v ← βv + g, w ← w − ηv) the limit is 2(1 + β)/λmax; adaptive
/// optimizers (Adam) divide the gradient by its running scale, so the ceiling does not bound their rate.
///
/// **How λmax is found.** Power iteration on Hessian-vector products, each from two gradients
/// by central finite differences (no second-order autodiff needed):
///
///     Hv ≈ (g(w + εv) − g(w − εv)) / (2ε),   ‖v‖ = 1,   ε = 1e-3 · max(1, ‖w‖ / √n)
///
/// with n the number of parameters, so ε is a thousandth of a typical weight (relative to ‖w‖,
/// never below 1e-3 so Float32 gradients still differ). For a quadratic the difference is exact
/// up to rounding; otherwise its error is O(ε²·‖∇³L‖). Then λ ← vᵀHv, v ← Hv/‖Hv‖, from a seeded
/// random unit v, until λ changes by less than `tolerance` (relative) or after `maximumIterations`.
/// Power iteration finds the eigenvalue of largest magnitude; when that one is negative (at a saddle,
/// common at the random starting weights of a network) or the iteration does not settle, a second pass
/// runs on H + ρI (ρ the spectral radius from the first), whose largest eigenvalue is λmax + ρ. A λmax
/// that is still ≤ 0 (a concave point) has no ceiling: no step is unstable along negative curvature.
///
/// Worked example — a quadratic with eigenvalues 4, 1 and 0.25:
///
/// ```swift
/// let ceiling = try StabilityCeiling.estimate(at: [1, 1, 1]) { w in [4 * w[0], w[1], 0.25 * w[2]] }
/// ceiling.lambdaMax      // 4.0
/// ceiling.learningRate   // 0.5 = 2 / 4
/// ```
public struct StabilityCeiling: Codable, Sendable, Equatable {
    /// The largest eigenvalue (in magnitude) of the Hessian found by power iteration.
    public var lambdaMax: Double
    /// 2/λmax, the largest stable step of plain gradient descent; nil when λmax ≤ 0.
    public var learningRate: Double?
    /// Power iterations run.
    public var iterations: Int
    /// Whether λ changed by less than the tolerance on the last iteration.
    public var converged: Bool

    public init(lambdaMax: Double, iterations: Int, converged: Bool) {
        self.lambdaMax = lambdaMax
        learningRate = lambdaMax > 0 && lambdaMax.isFinite ? 2 / lambdaMax : nil
        self.iterations = iterations
        self.converged = converged
    }

    /// The largest stable rate of SGD with heavy-ball momentum β: 2(1 + β)/λmax (nil when λmax ≤ 0).
    public func learningRate(momentum: Double) -> Double? { learningRate.map { $0 * (1 + momentum) } }

    /// λmax of the Hessian of a function given by its gradient, at `point`.
    /// - Parameters:
    ///   - gradient: the gradient at a point (same length as `point`).
    ///   - maximumIterations: most power iterations (each costs two gradients).
    ///   - tolerance: stop when |λₖ − λₖ₋₁| ≤ tolerance · |λₖ|.
    /// - Throws: `RangeTestError.invalidSetting` for an empty point or a gradient of the wrong length
    ///   or not finite; what `gradient` throws.
    public static func estimate(at point: [Double], maximumIterations: Int = 50, tolerance: Double = 1e-4, seed: UInt64 = 0,
                                gradient: ([Double]) throws -> [Double]) throws -> StabilityCeiling {
        let count = point.count
        guard count > 0 else { throw RangeTestError.invalidSetting(name: "parameters", message: "are empty: there is no Hessian") }
        guard maximumIterations > 0 else {
            throw RangeTestError.invalidSetting(name: "maximumIterations", message: "must be positive, got \(maximumIterations)")
        }
        return try withoutActuallyEscaping(gradient) { gradient in
            let product = try hessianVectorProduct(at: point, gradient: gradient)
            return try largestEigenvalue(dimension: count, maximumIterations: maximumIterations, tolerance: tolerance, seed: seed,
                                         product: product).ceiling
        }
    }

    /// The step ε of the central differences at `point`: 1e-3 · max(1, ‖w‖/√n).
    public static func finiteDifferenceStep(at point: [Double]) -> Double {
        let norm = Foundation.sqrt(point.reduce(0) { $0 + $1 * $1 })
        return 1e-3 * Swift.max(1, norm / Foundation.sqrt(Double(Swift.max(point.count, 1))))
    }

    /// v ↦ Hv at `point` by central differences of `gradient`: (g(w + εv) − g(w − εv)) / (2ε) for a unit v
    /// (a vector of another length is scaled to unit length first and the product scaled back, so ε stays a
    /// thousandth of a typical weight whatever the vector).
    /// - Throws: `RangeTestError.invalidSetting` when a gradient has the wrong length or the product is not finite.
    public static func hessianVectorProduct(at point: [Double], gradient: @escaping ([Double]) throws -> [Double])
        throws -> ([Double]) throws -> [Double] {
        let count = point.count
        let epsilon = finiteDifferenceStep(at: point)
        return { vector in
            let length = Foundation.sqrt(vector.reduce(0) { $0 + $1 * $1 })
            guard length > 0 else { return [Double](repeating: 0, count: count) }
            let plus = try gradient(zip(point, vector).map { $0 + epsilon * $1 / length })
            let minus = try gradient(zip(point, vector).map { $0 - epsilon * $1 / length })
            guard plus.count == count, minus.count == count else {
                throw RangeTestError.invalidSetting(name: "gradient", message: "has \(plus.count) values for \(count) parameters")
            }
            let product = zip(plus, minus).map { ($0 - $1) / (2 * epsilon) * length }
            guard product.allSatisfy(\.isFinite) else {
                throw RangeTestError.invalidSetting(name: "gradient", message: "is not finite near the current weights")
            }
            return product
        }
    }

    /// The largest eigenvalue of the symmetric operator `product` on vectors of `dimension` values, by power
    /// iteration (and a second pass on A + ρI when a negative eigenvalue dominates, as `estimate` describes),
    /// from `start` when given (a warm start: the vector of an earlier call, which a slowly changing operator
    /// leaves close to its top eigenvector, so a few iterations suffice) or from a seeded random unit vector.
    /// Returns the ceiling and the last vector, the warm start of the next call.
    public static func largestEigenvalue(dimension: Int, start: [Double]? = nil, maximumIterations: Int = 50, tolerance: Double = 1e-4,
                                         seed: UInt64 = 0, product: ([Double]) throws -> [Double])
        throws -> (ceiling: StabilityCeiling, vector: [Double]) {
        guard dimension > 0 else { throw RangeTestError.invalidSetting(name: "parameters", message: "are empty: there is no Hessian") }
        guard maximumIterations > 0 else {
            throw RangeTestError.invalidSetting(name: "maximumIterations", message: "must be positive, got \(maximumIterations)")
        }
        var initial: [Double]
        if let start, start.count == dimension, start.contains(where: { $0 != 0 }), start.allSatisfy(\.isFinite) {
            initial = start
        } else {
            var generator = SeededGenerator(seed: seed)
            initial = (0..<dimension).map { _ in Double.random(in: -1...1, using: &generator) }
        }
        normalize(&initial)
        // Pass 1 on H: the eigenvalue of largest magnitude, and ρ ≈ the spectral radius (‖Hv‖ ≤ ρ).
        let first = try powerIteration(initial, shift: 0, maximumIterations: maximumIterations, tolerance: tolerance,
                                       product: product)
        if first.converged && first.lambda >= 0 {
            return (StabilityCeiling(lambdaMax: first.lambda, iterations: first.iterations, converged: true), first.vector)
        }
        // A negative eigenvalue dominates (or ± pairs kept it from settling): pass 2 on H + ρI, whose
        // eigenvalues λ + ρ are ≥ 0, so its largest is λmax + ρ.
        let shift = Swift.max(abs(first.lambda), first.radius)
        let second = try powerIteration(first.vector, shift: shift, maximumIterations: maximumIterations, tolerance: tolerance,
                                        product: product)
        return (StabilityCeiling(lambdaMax: second.lambda - shift, iterations: first.iterations + second.iterations,
                                 converged: second.converged), second.vector)
    }

    /// Power iteration on H + shift·I from the unit vector `start`: λ ← vᵀ(H + shift)v, v ← (H + shift)v / ‖…‖.
    private static func powerIteration(_ start: [Double], shift: Double, maximumIterations: Int, tolerance: Double,
                                       product: ([Double]) throws -> [Double])
        throws -> (lambda: Double, radius: Double, vector: [Double], iterations: Int, converged: Bool) {
        var vector = start, lambda = 0.0, previous = Double.nan, radius = 0.0
        for iteration in 1...maximumIterations {
            let image = zip(try product(vector), vector).map { $0 + shift * $1 }
            lambda = zip(vector, image).reduce(0) { $0 + $1.0 * $1.1 }
            let length = Foundation.sqrt(image.reduce(0) { $0 + $1 * $1 })
            radius = Swift.max(radius, length)
            if length == 0 { return (lambda, radius, vector, iteration, true) }
            vector = image.map { $0 / length }
            if abs(lambda - previous) <= tolerance * abs(lambda) { return (lambda, radius, vector, iteration, true) }
            previous = lambda
        }
        return (lambda, radius, vector, maximumIterations, false)
    }

    /// λmax of the Hessian of the training loss (the objective `data` implies, averaged over
    /// up to `maximumRows` of its rows, in order) with respect to `model`'s trainable parameters
    /// at their current values. The model is left exactly as it was. The tolerance is looser than for an
    /// exact gradient (1e-3): the finite differences of Float32 gradients carry noise of about that size.
    /// - Parameter stopRequest: checked before each gradient; once set the estimate ends (the model restored).
    /// - Throws: `RangeTestError.invalidSetting` when the model has no trainable parameters or the
    ///   data set is empty; `StopRequest.Stopped` when `stopRequest` was set part-way; model errors (shape mismatches).
    public static func estimate<Model: Module>(model: Model, data: Dataset, maximumRows: Int = 2048, maximumIterations: Int = 50,
                                               tolerance: Double = 1e-3, seed: UInt64 = 0,
                                               stopRequest: StopRequest? = nil) throws -> StabilityCeiling {
        let parameters = model.trainableParameters
        guard !parameters.isEmpty, parameters.contains(where: { $0.parameter.value.count > 0 }) else {
            throw RangeTestError.invalidSetting(name: "model", message: "has no trainable parameters: there is no Hessian")
        }
        guard data.count > 0 else { throw RangeTestError.invalidSetting(name: "data", message: "is empty") }
        let rows = Swift.min(data.count, Swift.max(1, maximumRows))
        let batch = try MiniBatches(dataset: data, batchSize: rows, shuffle: false, dropLast: false, seed: 0).batch(at: 0)
        let loss = try LossGradient(model: model, features: batch.features, targets: batch.targets, objective: Objective(for: data))
        defer { loss.restore() }
        return try estimate(at: loss.point, maximumIterations: maximumIterations, tolerance: tolerance, seed: seed) { point in
            try stopRequest?.check()
            return try loss.gradient(point)
        }
    }

    private static func normalize(_ vector: inout [Double]) {
        let length = Foundation.sqrt(vector.reduce(0) { $0 + $1 * $1 })
        if length > 0 { vector = vector.map { $0 / length } }
    }
}
