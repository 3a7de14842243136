/// What one epoch of training measured.
///
/// `learningRate` is the rate in force at the end of the epoch: schedule × controllers at the next
/// step, after the controllers observed this epoch's loss (so a plateau's reduction shows in the
/// epoch that triggered it). The steps' own rates are in `TrainingEvent.stepEnded`.
public struct TrainingRecord: Codable, Sendable, Equatable {
    public var epoch: Int
    public var step: Int
    public var learningRate: Double
    public var trainingLoss: Double
    public var validationLoss: Double?
    public var validationMetric: Double?

    public init(epoch: Int, step: Int, learningRate: Double, trainingLoss: Double,
                validationLoss: Double? = nil, validationMetric: Double? = nil) {
        self.epoch = epoch
        self.step = step
        self.learningRate = learningRate
        self.trainingLoss = trainingLoss
        self.validationLoss = validationLoss
        self.validationMetric = validationMetric
    }
}

/// Something the training loop reports as it happens.
public enum TrainingEvent: Sendable, Equatable {
    /// One optimizer step was taken: `step` steps so far, the minibatch `loss` before
    /// the step and the `learningRate` the step used.
    /// `gradientNorm` is the global L2 norm of the step's gradients before clipping, when
    /// `TrainingConfiguration.measuresGradientNorm` asks for it (nil otherwise).
    case stepEnded(step: Int, loss: Double, learningRate: Double, gradientNorm: Double? = nil)
    /// An epoch ended.
    case epochEnded(TrainingRecord)
    /// The loss blew up: parameters and optimizer state went back to the last
    /// good epoch and the rate scale was multiplied by the guard's back-off.
    case rolledBack(step: Int, loss: Double, rateScale: Double)
    /// Validation stopped improving for `patience` epochs; the best weights were restored.
    case stoppedEarly(epoch: Int, bestEpoch: Int)
    /// The sharpness of the training loss was measured (`TrainingConfiguration.sharpnessTracking`).
    case sharpnessMeasured(SharpnessMeasurement)
}
