import CDescentOptimKernels
import DescentTensor

/// The moments of Adam and AdamW for one tensor.
public struct AdamState: OptimizerTensorState {
    /// m, the running average of gradients.
    public var exponentialAverage: [Float]
    /// v, the running average of squared gradients.
    public var exponentialAverageOfSquares: [Float]
    /// The running maximum of v (AMSGrad only; empty otherwise).
    public var maxExponentialAverageOfSquares: [Float]

    public var bufferCounts: [Int] {
        [exponentialAverage.count, exponentialAverageOfSquares.count]
            + (maxExponentialAverageOfSquares.isEmpty ? [] : [maxExponentialAverageOfSquares.count])
    }

    init(count: Int, amsgrad: Bool) {
        exponentialAverage = [Float](repeating: 0, count: count)
        exponentialAverageOfSquares = [Float](repeating: 0, count: count)
        maxExponentialAverageOfSquares = amsgrad ? [Float](repeating: 0, count: count) : []
    }

    /// One Adam (`decoupled` false) or AdamW (`decoupled` true) step; a scheduled momentum replaces β₁.
    static func step(_ parameter: inout Tensor, gradient: Tensor, state: inout AdamState,
                     configuration: AdamConfiguration, decoupled: Bool, context: UpdateContext) {
        let hyperparameters = configuration.hyperparameters, amsgrad = configuration.amsgrad
        let beta1 = context.momentum ?? hyperparameters.beta1
        let beta2 = hyperparameters.beta2, epsilon = hyperparameters.epsilon
        let t = Double(context.step)
        let biasCorrection1 = AdamHyperparameters.biasCorrection(beta1, step: t)
        let biasCorrection2 = AdamHyperparameters.biasCorrection(beta2, step: t)
        let settings = descent_adam_parameters(
            learning_rate: Float(context.learningRate), beta1: Float(beta1), beta2: Float(beta2),
            epsilon: Float(epsilon), weight_decay: Float(context.weightDecay),
            step_size: Float(context.learningRate / biasCorrection1),
            bias_correction2_sqrt: Float(biasCorrection2.squareRoot()),
            decoupled: decoupled ? 1 : 0, amsgrad: amsgrad ? 1 : 0,
            // In double, rounded once, as PyTorch computes them (not 1.0f - beta2f).
            one_minus_beta1: Float(1 - beta1), one_minus_beta2: Float(1 - beta2),
            decay: Float(1 - context.learningRate * context.weightDecay))
        if amsgrad && state.maxExponentialAverageOfSquares.count != parameter.count {
            state.maxExponentialAverageOfSquares = [Float](repeating: 0, count: parameter.count)
        }
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeMutableBufferPointer { p in
        state.exponentialAverage.withUnsafeMutableBufferPointer { m in
        state.exponentialAverageOfSquares.withUnsafeMutableBufferPointer { v in
        state.maxExponentialAverageOfSquares.withUnsafeMutableBufferPointer { vmax in
            let pp = SendablePointer(p), gp = SendablePointer(g)
            let mp = SendablePointer(m), vp = SendablePointer(v)
            let xp = SendablePointer(vmax)
            FusedLoop.run(count: p.count) { range in
                let o = range.lowerBound
                withUnsafePointer(to: settings) {
                    descent_adam_step(pp?.advanced(by: o), gp?.advanced(by: o), mp?.advanced(by: o), vp?.advanced(by: o),
                                      amsgrad ? xp?.advanced(by: o) : nil, range.count, $0)
                }
            }
        }}}}}
    }
}
