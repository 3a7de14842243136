import DescentSchedules

/// The divergence guard's controller: each rollback multiplies its `scale` by the
/// guard's back-off, and the optimizer's rate is schedule(step) × this scale (× any
/// other controller's), so a guarded run keeps its schedule's shape at a lower level.
///
/// ```swift
/// var backoff = DivergenceBackoff()
/// backoff.backOff(by: 0.5)          // scale 0.5
/// backoff.apply(to: 0.1)            // 0.05
/// ```
public struct DivergenceBackoff: LearningRateController, Equatable {
    public private(set) var scale: Double
    /// Number of rollbacks so far.
    public private(set) var rollbacks: Int

    public init(scale: Double = 1, rollbacks: Int = 0) {
        self.scale = scale
        self.rollbacks = rollbacks
    }

    /// Metrics do not move this controller; only rollbacks do.
    public mutating func observe(metric: Double, learningRate: Double) {}

    /// Records a rollback: the scale is multiplied by `factor`.
    public mutating func backOff(by factor: Double) {
        scale *= factor
        rollbacks += 1
    }
}
