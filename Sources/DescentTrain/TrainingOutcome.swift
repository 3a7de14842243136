/// How a run ended.
public enum TrainingStatus: String, Codable, Sendable, Equatable {
    /// Every epoch ran.
    case completed
    /// Early stopping ended the run; the best epoch's weights are in the model.
    case stoppedEarly = "stopped_early"
    /// A `StopRequest` ended the run after a step; the last checkpoint holds where it stood.
    case interrupted
}

/// What `Trainer.run` returns: the records of the epochs, how the run ended, and what the
/// guard did.
///
/// ```swift
/// let outcome = try trainer.run(model, optimizer: &optimizer, training: split.train, validation: split.validation)
/// outcome.status              // .completed
/// outcome.history.count       // the epochs run
/// outcome.rollbacks           // 0 when the rate was never too high
/// ```
public struct TrainingOutcome: Sendable, Equatable {
    /// One record per completed epoch (those before a resume included).
    public var history: [TrainingRecord]
    public var status: TrainingStatus
    /// Rollbacks by the divergence guard over the whole run.
    public var rollbacks: Int
    /// The epochs that were already complete when this run resumed (0 for a fresh run).
    public var resumedFromEpoch: Int
    /// The scale of the rate after every controller (1 when none acted), e.g. 0.125 after the guard backed off.
    public var rateScale: Double
    /// Seconds spent in the all-reduces of data-parallel training (0 for one process).
    public var communicationSeconds: Double = 0
    /// How the gradients were summed across processes (nil for one process).
    public var gradientReduction: GradientReduction?
    /// Where the steps' time went (forward and backward, the all-reduce, the optimizer, …), summed over the steps of this run.
    public var stepTimes = StepTimes()
    /// The gradient noise scale estimated at each epoch's end (`TrainingConfiguration.noiseScaleInterval`).
    public var noiseScaleTrack: [NoiseScaleTrack.Entry] = []
    /// The last estimate of the gradient noise scale.
    public var noiseScale: GradientNoiseScale? { noiseScaleTrack.last?.noiseScale }
    /// The epoch whose weights the model holds when they are not the last epoch's by choice: the best epoch
    /// after early stopping or with `TrainingConfiguration.keepsBestWeights` (nil: the last epoch's weights).
    public var keptEpoch: Int?

    public init(history: [TrainingRecord], status: TrainingStatus, rollbacks: Int, resumedFromEpoch: Int, rateScale: Double,
                keptEpoch: Int? = nil) {
        self.history = history
        self.status = status
        self.rollbacks = rollbacks
        self.resumedFromEpoch = resumedFromEpoch
        self.rateScale = rateScale
        self.keptEpoch = keptEpoch
    }

    /// The validation loss of the weights the model holds: the kept epoch's, else the last epoch's.
    public var keptValidationLoss: Double? {
        let epoch = keptEpoch ?? history.last?.epoch
        return history.last { $0.epoch == epoch }?.validationLoss
    }

    /// The lowest finite validation loss of any epoch.
    public var bestValidationLoss: Double? {
        history.compactMap(\.validationLoss).filter(\.isFinite).min()
    }
}
