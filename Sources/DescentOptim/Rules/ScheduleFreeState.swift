import DescentTensor
import Foundation

/// The state of the schedule-free rules: the base sequence z, Adam's second moment (AdamW only),
/// and the running averaging weights.
public struct ScheduleFreeState: OptimizerTensorState {
    /// z, the SGD/Adam sequence the averages are taken of.
    public var z: [Float]
    /// The second moment (schedule-free AdamW; empty for SGD).
    public var exponentialAverageOfSquares: [Float]
    /// Σ of the averaging weights so far.
    public var weightSum: Double
    /// The largest warmed-up rate so far (−1 before the first step, as the reference).
    public var learningRateMax: Double

    public var bufferCounts: [Int] { [z.count] + (exponentialAverageOfSquares.isEmpty ? [] : [exponentialAverageOfSquares.count]) }

    init(parameter: Tensor, squares: Bool) {
        z = parameter.scalars
        exponentialAverageOfSquares = squares ? .init(repeating: 0, count: parameter.count) : []
        weightSum = 0
        learningRateMax = -1
    }

    /// The scalars of one step, in float32 as the reference's kernels use them.
    struct Step {
        /// c = w/Σw, the weight of z in y ← lerp(y, z, c) + ….
        let averageWeight: Float
        /// lrₖ·(β·(1 − c) − 1), the gradient's coefficient in y's update.
        let yScale: Float
        /// lrₖ, the gradient's coefficient in z ← z − lrₖ·g.
        let zScale: Float

        /// One element's move: y ← lerp(y, z, c) + lrₖ·(β·(1 − c) − 1)·g, then z ← z − lrₖ·g
        /// (g: SGD's gradient with L2 decay, AdamW's normalised gradient).
        @inline(__always)
        func move(_ y: inout Float, _ z: inout Float, along gradient: Float) {
            y = TorchArithmetic.lerp(y, z, averageWeight) + yScale * gradient
            z -= zScale * gradient
        }
    }

    /// Advances the averaging weights of a step with interpolation momentum β (SGD's momentum, AdamW's β₁):
    /// lrₖ = lr·min(1, (k+1)/warmup), w = (k+1)^r·(max lrₖ so far)^power, Σw += w, c = w/Σw.
    mutating func advance(context: UpdateContext, averaging: ScheduleFreeAveraging, momentum beta: Double) -> Step {
        let k = Double(context.step - 1)
        let warmup = context.step - 1 < averaging.warmupSteps ? (k + 1) / Double(averaging.warmupSteps) : 1
        let lr = context.learningRate * warmup
        learningRateMax = max(lr, learningRateMax)
        let weight = pow(k + 1, averaging.r) * pow(learningRateMax, averaging.weightLearningRatePower)
        weightSum += weight
        let c = weightSum == 0 ? 0 : weight / weightSum
        return Step(averageWeight: Float(c), yScale: Float(lr * (beta * (1 - c) - 1)), zScale: Float(lr))
    }

    func switchMode(_ parameter: inout Tensor, toEvaluation: Bool, beta: Double) {
        let weight = Float(toEvaluation ? 1 - 1 / beta : 1 - beta)
        parameter.withUnsafeMutableBufferPointer { p in
            z.withUnsafeBufferPointer { z in
                for i in 0..<p.count { p[i] = TorchArithmetic.lerp(p[i], z[i], weight) }
            }
        }
    }
}
