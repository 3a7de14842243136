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
        let norm = Foundation.sqrt(point.reduce(0) { $0 + $1 * $1 })
        let epsilon = 1e-3 * Swift.max(1, norm / Foundation.sqrt(Double(count)))
        func hessianTimes(_ vector: [Double]) throws -> [Double] {
            let plus = try gradient(zip(point, vector).map { $0 + epsilon * $1 })
            let minus = try gradient(zip(point, vector).map { $0 - epsilon * $1 })
            guard plus.count == count, minus.count == count else {
                throw RangeTestError.invalidSetting(name: "gradient", message: "has \(plus.count) values for \(count) parameters")
            }
            let product = zip(plus, minus).map { ($0 - $1) / (2 * epsilon) }
            guard product.allSatisfy(\.isFinite) else {
                throw RangeTestError.invalidSetting(name: "gradient", message: "is not finite near the current weights")
            }
            return product
        }
        var generator = SeededGenerator(seed: seed)
        var start = (0..<count).map { _ in Double.random(in: -1...1, using: &generator) }
        normalize(&start)
        // Pass 1 on H: the eigenvalue of largest magnitude, and ρ ≈ the spectral radius (‖Hv‖ ≤ ρ).
        let first = try powerIteration(start, shift: 0, maximumIterations: maximumIterations, tolerance: tolerance,
                                       product: hessianTimes)
        if first.converged && first.lambda >= 0 {
            return StabilityCeiling(lambdaMax: first.lambda, iterations: first.iterations, converged: true)
        }
        // A negative eigenvalue dominates (or ± pairs kept it from settling): pass 2 on H + ρI, whose
        // eigenvalues λ + ρ are ≥ 0, so its largest is λmax + ρ.
        let shift = Swift.max(abs(first.lambda), first.radius)
        let second = try powerIteration(first.vector, shift: shift, maximumIterations: maximumIterations, tolerance: tolerance,
                                        product: hessianTimes)
        return StabilityCeiling(lambdaMax: second.lambda - shift, iterations: first.iterations + second.iterations,
                                converged: second.converged)
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
    /// - Throws: `RangeTestError.invalidSetting` when the model has no trainable parameters or the
    ///   data set is empty; model errors (shape mismatches).
    public static func estimate<Model: Module>(model: Model, data: Dataset, maximumRows: Int = 2048, maximumIterations: Int = 50,
                                               tolerance: Double = 1e-3, seed: UInt64 = 0) throws -> StabilityCeiling {
        let parameters = model.trainableParameters
        guard !parameters.isEmpty, parameters.contains(where: { $0.parameter.value.count > 0 }) else {
            throw RangeTestError.invalidSetting(name: "model", message: "has no trainable parameters: there is no Hessian")
        }
        guard data.count > 0 else { throw RangeTestError.invalidSetting(name: "data", message: "is empty") }
        let rows = Swift.min(data.count, Swift.max(1, maximumRows))
        let batch = try MiniBatches(dataset: data, batchSize: rows, shuffle: false, dropLast: false, seed: 0).batch(at: 0)
        let objective = Objective(for: data)
        let saved = parameters.map(\.parameter.value)
        let savedModes = model.namedModules.map(\.module.isTraining)
        defer {
            for ((_, parameter), value) in zip(parameters, saved) { parameter.value = value }
            for ((_, module), isTraining) in zip(model.namedModules, savedModes) { module.isTraining = isTraining }
        }
        model.eval()   // no dropout noise in the Hessian
        let point = saved.flatMap { $0.scalars.map(Double.init) }
        return try estimate(at: point, maximumIterations: maximumIterations, tolerance: tolerance, seed: seed) { weights in
            var offset = 0
            for ((_, parameter), value) in zip(parameters, saved) {
                let slice = weights[offset..<(offset + value.count)].map { Float($0) }
                parameter.value = try Tensor(shape: value.shape, scalars: slice)
                offset += value.count
            }
            let (_, gradients) = try valueWithGradient(at: model) { model in
                try objective.loss(model(batch.features), batch.targets)
            }
            return try parameters.flatMap { name, parameter -> [Double] in
                guard let gradient = gradients[name] else {
                    return Array(repeating: 0, count: parameter.value.count)
                }
                guard gradient.count == parameter.value.count else {
                    throw RangeTestError.invalidSetting(name: "gradient", message: "of \(name) has the wrong size")
                }
                return gradient.scalars.map(Double.init)
            }
        }
    }

    private static func normalize(_ vector: inout [Double]) {
        let length = Foundation.sqrt(vector.reduce(0) { $0 + $1 * $1 })
        if length > 0 { vector = vector.map { $0 / length } }
    }
}
