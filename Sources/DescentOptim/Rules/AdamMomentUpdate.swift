import DescentTensor

/// The part of an element's step that NAdam and RAdam share, as PyTorch's `torch.optim.NAdam` and
/// `torch.optim.RAdam` compute it in float32: the weight decay λ — added to the gradient, g ← g + λ·θ,
/// or with decoupled decay a shrink θ ← θ·(1 − lr·λ) — then both moments,
///
///     m ← m + (1 − β₁)·(g − m),   v ← β₂·v + (1 − β₂)·g²
///
/// and then the rule's own use of them (an `AdamMomentUse`). Papers: Dozat (2016), Liu et al. (2020).
/// E.g. β₁ 0.9, β₂ 0.999, no decay, g = 2 on fresh moments: m = 0.2, v = 0.004.
struct AdamMomentUpdate {
    /// 1 − β₁, β₂ and 1 − β₂.
    let oneMinusBeta1, beta2, oneMinusBeta2: Float
    /// λ, and 1 − lr·λ, the decoupled decay's factor.
    let weightDecay, shrink: Float
    /// Whether the decay shrinks θ (NAdamW, RAdamW) instead of adding λ·θ to the gradient.
    let decoupled: Bool

    /// `beta1` is the rule's β₁ or the scheduled momentum that replaces it; the constants are computed
    /// in double and rounded once, as PyTorch does.
    init(beta1: Double, beta2: Double, context: UpdateContext, decoupled: Bool) {
        oneMinusBeta1 = Float(1 - beta1)
        self.beta2 = Float(beta2)
        oneMinusBeta2 = Float(1 - beta2)
        weightDecay = Float(context.weightDecay)
        shrink = Float(1 - context.learningRate * context.weightDecay)
        self.decoupled = decoupled
    }

    /// Decays θ or g and updates m and v for every element (split across cores), then lets `use` move θᵢ
    /// with the gradient after the decay and the new moments. Generic, not a closure: specialised for each
    /// rule's use, whose step is inlined into the loop (a closure here cost NAdam 23% and RAdam 50% a step).
    func run<Use: AdamMomentUse>(_ parameter: inout Tensor, gradient: Tensor, exponentialAverage: inout [Float],
                                 exponentialAverageOfSquares: inout [Float], then use: Use) {
        let b1 = oneMinusBeta1, b2 = beta2, ob2 = oneMinusBeta2, wd = weightDecay, shrink = shrink
        let decoupled = decoupled
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeMutableBufferPointer { p in
        exponentialAverage.withUnsafeMutableBufferPointer { m in
        exponentialAverageOfSquares.withUnsafeMutableBufferPointer { v in
            FusedLoop.run(count: p.count) { range in
                for i in range {
                    var grad = g[i]
                    if wd != 0 { if decoupled { p[i] *= shrink } else { grad += wd * p[i] } }
                    m[i] += b1 * (grad - m[i])
                    v[i] = v[i] * b2 + ob2 * grad * grad
                    use.apply(to: &p[i], gradient: grad, average: m[i], averageOfSquares: v[i])
                }
            }
        }}}}
    }
}

/// What NAdam or RAdam does with an element's moments once `AdamMomentUpdate` has updated them.
protocol AdamMomentUse {
    /// Moves θ given the gradient (after the decay), m and v.
    func apply(to parameter: inout Float, gradient: Float, average: Float, averageOfSquares: Float)
}
