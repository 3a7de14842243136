import DescentOptim
import DescentTensor

/// Test objectives with closed-form gradients.
enum Problems {
    /// f(x) = ½ Σ aᵢ (xᵢ − cᵢ)², minimum 0 at c; badly conditioned (a from 1 to 10).
    static let curvature: [Float] = [1, 2, 5, 10]
    static let center: [Float] = [1, -2, 0.5, 3]
    static let quadraticStart: [Float] = [0, 0, 0, 0]

    static func quadratic(_ x: [Float]) -> (value: Double, gradient: [Float]) {
        var value = 0.0
        var gradient = [Float](repeating: 0, count: x.count)
        for i in x.indices {
            let d = x[i] - center[i]
            value += 0.5 * Double(curvature[i] * d * d)
            gradient[i] = curvature[i] * d
        }
        return (value, gradient)
    }

    /// Rosenbrock f(x, y) = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1).
    static let rosenbrockStart: [Float] = [-1.2, 1]

    static func rosenbrock(_ p: [Float]) -> (value: Double, gradient: [Float]) {
        let x = Double(p[0]), y = Double(p[1])
        let value = (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
        let dx = -2 * (1 - x) - 400 * x * (y - x * x)
        let dy = 200 * (y - x * x)
        return (value, [Float(dx), Float(dy)])
    }

    /// Runs `steps` updates on `problem` from `start`; returns the objective at the end
    /// (at the evaluation point for schedule-free rules).
    static func minimize(_ optimizer: inout any ParameterOptimizer, start: [Float], steps: Int,
                         problem: ([Float]) -> (value: Double, gradient: [Float])) throws -> Double {
        var parameters = ["x": Tensor(start)]
        for _ in 0..<steps {
            let gradient = problem(parameters["x"]!.scalars).gradient
            try optimizer.update(&parameters, along: ["x": Tensor(gradient)])
        }
        optimizer.setEvaluationMode(true, parameters: &parameters)
        return problem(parameters["x"]!.scalars).value
    }
}
