/// How long and in what pieces to train, and which safeguards to use.
///
/// ```swift
/// var configuration = TrainingConfiguration(epochs: 20, batchSize: 32, seed: 7)
/// configuration.earlyStoppingPatience = 5          // stop after 5 epochs without a better validation loss
/// configuration.divergenceGuard = DivergenceGuard() // roll back and halve the rate when the loss blows up
/// ```
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// Passes over the training data.
    public var epochs: Int
    /// Examples per minibatch (the last batch may be smaller).
    public var batchSize: Int
    /// Seed of the shuffling; the same seed gives the same run.
    public var seed: UInt64
    /// Epochs without a lower validation loss before stopping (nil: never stop early).
    public var earlyStoppingPatience: Int?
    /// The divergence guard (nil: none).
    public var divergenceGuard: DivergenceGuard?
    /// Measure each step's global gradient norm for `TrainingEvent.stepEnded` (one more pass over
    /// the gradients; off unless a log asks for it).
    public var measuresGradientNorm = false
    /// Per-class weights of the training loss (classification; nil: every class weighs 1), e.g.
    /// `Objective.balancedClassWeights`. The validation loss stays unweighted.
    public var classWeights: [Float]?
    /// Measure the gradient noise scale every this many steps (`GradientNoiseScale`; nil: not in one
    /// process, every step in a data-parallel job, where the pair of norms comes free), estimated at each epoch's end.
    /// In one process a measurement costs one more backward pass, on half the batch.
    public var noiseScaleInterval: Int?
    /// Measure the sharpness of the training loss every so many steps (`SharpnessTracking`; nil: never).
    public var sharpnessTracking: SharpnessTracking?
    /// Keep the best epoch's weights: at the end of the run the model holds the weights of the epoch with
    /// the lowest validation loss (early stopping's restore without the stop), so late overfitting does not
    /// decide what is kept. Implied by `earlyStoppingPatience`; off by default (the last epoch's weights).
    ///
    /// ```swift
    /// var configuration = TrainingConfiguration(epochs: 30, batchSize: 32)
    /// configuration.keepsBestWeights = true   // outcome.keptEpoch names the epoch whose weights are kept
    /// ```
    public var keepsBestWeights = false
    /// Hand `saveCheckpoint` a checkpoint at every epoch's end (true, for resuming after a crash) or only when the
    /// run ends (false: a race that only goes on from where each stage ended, and pays for one checkpoint).
    public var checkpointsEachEpoch = true

    public init(epochs: Int, batchSize: Int, seed: UInt64 = 0, earlyStoppingPatience: Int? = nil,
                divergenceGuard: DivergenceGuard? = DivergenceGuard()) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.earlyStoppingPatience = earlyStoppingPatience
        self.divergenceGuard = divergenceGuard
    }

    /// Checks every setting, naming the one that is wrong.
    public func validate() throws {
        guard epochs > 0 else { throw TrainingError.invalidConfiguration("epochs must be positive, got \(epochs)") }
        guard batchSize > 0 else { throw TrainingError.invalidConfiguration("batchSize must be positive, got \(batchSize)") }
        if let patience = earlyStoppingPatience, patience < 1 {
            throw TrainingError.invalidConfiguration("earlyStoppingPatience must be at least 1, got \(patience)")
        }
        if let interval = noiseScaleInterval, interval < 1 {
            throw TrainingError.invalidConfiguration("noiseScaleInterval must be at least 1, got \(interval)")
        }
        try divergenceGuard?.validate()
        try sharpnessTracking?.validate()
    }
}
