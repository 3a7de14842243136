/// One measurement of the sharpness of the training loss during a run (`TrainingConfiguration.sharpnessTracking`):
/// λmax of its Hessian at the weights after `step` steps, for the Adam family also the preconditioned
/// sharpness λmax(P⁻¹H), and the edges of stability they are compared with at that step's rate η(t).
///
/// | optimizer | measured | edge (largest stable) |
/// | --- | --- | --- |
/// | SGD, momentum β (0 for plain) | λmax(H) | 2(1 + β)/η(t) |
/// | Adam family, β₁ | λmax(P⁻¹H), P = diag(√v̂ + ε) | (2 + 2β₁)/(η(t)(1 − β₁)) |
///
/// Full-batch gradient descent drives λmax up to its edge and hovers there (progressive sharpening and
/// the edge of stability: Cohen, Kaur, Li, Kolter & Talwalkar, ICLR 2021); Adam's preconditioned
/// sharpness settles at its edge the same way (Cohen et al., "Adaptive gradient methods at the edge of
/// stability", 2022). Minibatch noise keeps SGD below the edge, by more the smaller the batch.
///
/// ```swift
/// // SGD with momentum 0.9 at η = 0.05: the edge is 2 · 1.9 / 0.05 = 76
/// let measurement = SharpnessMeasurement(step: 40, lambdaMax: 71.2, learningRate: 0.05, momentum: 0.9)
/// measurement.edge             // 76
/// measurement.fractionOfEdge   // 0.937: at the edge of stability
/// ```
public struct SharpnessMeasurement: Codable, Sendable, Equatable {
    /// Optimizer steps taken when it was measured.
    public var step: Int
    /// λmax of the training loss's Hessian (on the tracked rows).
    public var lambdaMax: Double
    /// 2(1 + β)/η(t): the edge for λmax with heavy-ball momentum β (2/η(t) without). For the Adam family
    /// it is 2/η(t) too, for reference only: Adam's step is not η times the gradient.
    public var edge: Double
    /// λmax(P⁻¹H) for the Adam family (nil for the others).
    public var preconditionedLambdaMax: Double?
    /// (2 + 2β₁)/(η(t)(1 − β₁)), the edge for the preconditioned sharpness (nil for the others).
    public var preconditionedEdge: Double?
    /// η(t): the rate of the step that follows, schedule × controllers.
    public var learningRate: Double
    /// Power iterations spent (each two gradients on the tracked rows), for both measures together.
    public var iterations: Int
    /// Wall-clock seconds the measurement took.
    public var seconds: Double
    /// Training rows it was measured on.
    public var rows: Int

    public init(step: Int, lambdaMax: Double, learningRate: Double, momentum: Double = 0, preconditionedLambdaMax: Double? = nil,
                beta1: Double? = nil, iterations: Int = 0, seconds: Double = 0, rows: Int = 0) {
        self.step = step
        self.lambdaMax = lambdaMax
        self.learningRate = learningRate
        edge = learningRate > 0 ? 2 * (1 + momentum) / learningRate : .infinity
        self.preconditionedLambdaMax = preconditionedLambdaMax
        if preconditionedLambdaMax != nil, let beta1 {
            preconditionedEdge = learningRate > 0 && beta1 < 1 ? (2 + 2 * beta1) / (learningRate * (1 - beta1)) : .infinity
        } else {
            preconditionedEdge = nil
        }
        self.iterations = iterations
        self.seconds = seconds
        self.rows = rows
    }

    private enum CodingKeys: String, CodingKey {
        case step, edge, iterations, seconds, rows
        case lambdaMax = "lambda_max"
        case preconditionedLambdaMax = "preconditioned_lambda_max"
        case preconditionedEdge = "preconditioned_edge"
        case learningRate = "learning_rate"
    }

    /// Decodes what `encode(to:)` writes: a null edge is an infinite one (a rate of 0, the last step of a cosine), a null
    /// λmax is not a number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        step = try container.decode(Int.self, forKey: .step)
        lambdaMax = try container.decodeIfPresent(Double.self, forKey: .lambdaMax) ?? .nan
        edge = try container.decodeIfPresent(Double.self, forKey: .edge) ?? .infinity
        preconditionedLambdaMax = try container.decodeIfPresent(Double.self, forKey: .preconditionedLambdaMax)
        preconditionedEdge = try container.decodeIfPresent(Double.self, forKey: .preconditionedEdge)
            ?? (container.contains(.preconditionedEdge) ? .infinity : nil)
        learningRate = try container.decode(Double.self, forKey: .learningRate)
        iterations = try container.decode(Int.self, forKey: .iterations)
        seconds = try container.decode(Double.self, forKey: .seconds)
        rows = try container.decode(Int.self, forKey: .rows)
    }

    /// Writes every number as JSON can hold it: a non-finite one (the edge at a rate of 0, which a cosine schedule reaches
    /// at its last step) as null, so that a run's JSON summary, checkpoint curves and report never fail to encode.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        func finite(_ value: Double?) -> Double? { value.flatMap { $0.isFinite ? $0 : nil } }
        try container.encode(step, forKey: .step)
        try container.encode(finite(lambdaMax), forKey: .lambdaMax)
        try container.encode(finite(edge), forKey: .edge)
        if let preconditionedLambdaMax {
            try container.encode(finite(preconditionedLambdaMax), forKey: .preconditionedLambdaMax)
            try container.encode(finite(preconditionedEdge), forKey: .preconditionedEdge)
        }
        try container.encode(learningRate, forKey: .learningRate)
        try container.encode(iterations, forKey: .iterations)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(rows, forKey: .rows)
    }

    /// The measure that bounds this optimizer's rate over its edge: the preconditioned one for the Adam
    /// family, λmax otherwise. About 1 at the edge of stability; above 1 the sharpest direction is unstable.
    public var fractionOfEdge: Double {
        if let preconditionedLambdaMax, let preconditionedEdge, preconditionedEdge.isFinite, preconditionedEdge > 0 {
            return preconditionedLambdaMax / preconditionedEdge
        }
        return edge.isFinite && edge > 0 ? lambdaMax / edge : 0
    }
}
