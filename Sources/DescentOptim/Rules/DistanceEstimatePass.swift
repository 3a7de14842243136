import DescentTensor

/// The global pass D-Adaptation Adam and Prodigy make over each tensor before any tensor moves,
/// as their references compute it in float32, element by element in order:
///
///     g ← g + λ·θ                              (coupled weight decay only)
///     dot += g · direction                     (from the old state: D-Adaptation s/(√v + ε), Prodigy x₀ − θ)
///     m ← β₁·m + a·g,   v ← β₂·v + b·g²,   s ← βₛ·s + c·g,   ‖s‖₁ += |s|
///
/// The rules differ in the coefficients a, b, βₛ, c and the direction (see `DAdaptationAdam`, `Prodigy`).
/// E.g. β₁ 0.9, a 0.1, β₂ 0.999, b 0.001, βₛ 0.9995, c 0.0005, g = 2 on fresh state with direction 0:
/// m = 0.2, v = 0.004, s = 0.001, dot 0, ‖s‖₁ = 0.001.
struct DistanceEstimatePass {
    /// β₁ and a, the decay and the gradient's coefficient of m.
    let beta1, averageScale: Float
    /// β₂ and b, the decay and the squared gradient's coefficient of v.
    let beta2, squareScale: Float
    /// βₛ and c, the decay and the gradient's coefficient of s.
    let sumDecay, sumScale: Float
    /// λ when the weight decay is added to the gradient, else 0.
    let weightDecay: Float

    /// Runs the pass over one tensor; `direction(i, θᵢ, vᵢ, sᵢ)` sees the state before this step.
    /// Returns Σ g·direction and ‖s‖₁ of this tensor.
    /// Inlined into each rule, so the per-element closure is too (no call per element).
    @inline(__always)
    func run(_ parameter: Tensor, gradient: Tensor, exponentialAverage: inout [Float],
             exponentialAverageOfSquares: inout [Float], sum: inout [Float],
             direction: (_ index: Int, _ parameter: Float, _ averageOfSquares: Float, _ sum: Float) -> Float)
        -> (dot: Float, l1: Float) {
        let b1 = beta1, mScale = averageScale, b2 = beta2, vScale = squareScale
        let sDecay = sumDecay, sScale = sumScale, wd = weightDecay
        var dot: Float = 0, l1: Float = 0
        gradient.withUnsafeBufferPointer { g in
        parameter.withUnsafeBufferPointer { p in
        exponentialAverage.withUnsafeMutableBufferPointer { m in
        exponentialAverageOfSquares.withUnsafeMutableBufferPointer { v in
        sum.withUnsafeMutableBufferPointer { s in
            for i in 0..<p.count {
                let grad = g[i] + wd * p[i]
                dot += grad * direction(i, p[i], v[i], s[i])
                m[i] = m[i] * b1 + mScale * grad
                v[i] = v[i] * b2 + vScale * grad * grad
                s[i] = s[i] * sDecay + sScale * grad
                l1 += abs(s[i])
            }
        }}}}}
        return (dot, l1)
    }
}
