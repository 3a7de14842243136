import DescentTrain
/// Everything a training run showed, collected from the trainer's events: the loss and
/// rate of every step, the record of every epoch, the rollbacks of the divergence guard,
/// the early stop, and a run that ended in divergence. It is the input of `diagnose(_:)`.
///
/// ```swift
/// var curves = TrainingCurves(baseline: TrivialBaseline(for: split.validation))
/// do {
///     _ = try trainer.fit(model, optimizer: &optimizer, training: split.train,
///                         validation: split.validation) { curves.record($0) }
/// } catch let error as TrainingError {
///     curves.record(error)            // a run the guard could not save
/// }
/// curves.steps.count                  // 450 for 10 epochs of 45 steps
/// diagnose(curves).verdict            // .goodFit
/// ```
public struct TrainingCurves: Codable, Sendable, Equatable {
    /// One optimizer step: the minibatch loss before it and the rate it used.
    public struct Step: Codable, Sendable, Equatable {
        public var step: Int
        public var loss: Double
        public var learningRate: Double
        public init(step: Int, loss: Double, learningRate: Double) {
            self.step = step
            self.loss = loss
            self.learningRate = learningRate
        }
    }

    /// A divergence: where it happened, the loss there, and the rate scale after backing off
    /// (nil for the divergence that ended the run).
    public struct Divergence: Codable, Sendable, Equatable {
        public var step: Int
        public var loss: Double
        public var rateScale: Double?
        public init(step: Int, loss: Double, rateScale: Double? = nil) {
            self.step = step
            self.loss = loss
            self.rateScale = rateScale
        }
    }

    /// Early stopping: the epoch training stopped after and the epoch whose weights were kept.
    public struct EarlyStop: Codable, Sendable, Equatable {
        public var epoch: Int
        public var bestEpoch: Int
        public init(epoch: Int, bestEpoch: Int) {
            self.epoch = epoch
            self.bestEpoch = bestEpoch
        }
    }

    /// Every step, in the order reported (steps discarded by a rollback included).
    public var steps: [Step] = []
    /// One record per completed epoch.
    public var epochs: [TrainingRecord] = []
    /// The guard's rollbacks.
    public var rollbacks: [Divergence] = []
    /// The early stop, if training stopped early.
    public var earlyStop: EarlyStop?
    /// The divergence that ended the run (`TrainingError.diverged`), if it ended so.
    public var finalDivergence: Divergence?
    /// What a model that learned nothing scores, to tell a high plateau from a low one (nil: unknown).
    public var baseline: TrivialBaseline?
    /// The run's settings, so the advice can name values that fit it (nil: unknown, the advice speaks in factors).
    public var settings: RunSettings?
    /// The sharpness measurements of `--track-sharpness` (`TrainingConfiguration.sharpnessTracking`), in order.
    public var sharpness: [SharpnessMeasurement] = []

    public init(baseline: TrivialBaseline? = nil, settings: RunSettings? = nil) {
        self.baseline = baseline
        self.settings = settings
    }

    private enum CodingKeys: String, CodingKey {
        case steps, epochs, rollbacks, earlyStop, finalDivergence, baseline, settings, sharpness
    }

    /// Decodes curves saved before `settings` and `sharpness` existed, too.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        steps = try container.decodeIfPresent([Step].self, forKey: .steps) ?? []
        epochs = try container.decodeIfPresent([TrainingRecord].self, forKey: .epochs) ?? []
        rollbacks = try container.decodeIfPresent([Divergence].self, forKey: .rollbacks) ?? []
        earlyStop = try container.decodeIfPresent(EarlyStop.self, forKey: .earlyStop)
        finalDivergence = try container.decodeIfPresent(Divergence.self, forKey: .finalDivergence)
        baseline = try container.decodeIfPresent(TrivialBaseline.self, forKey: .baseline)
        settings = try container.decodeIfPresent(RunSettings.self, forKey: .settings)
        sharpness = try container.decodeIfPresent([SharpnessMeasurement].self, forKey: .sharpness) ?? []
    }

    /// Adds one event of `Trainer.fit`.
    public mutating func record(_ event: TrainingEvent) {
        switch event {
        case let .stepEnded(step, loss, learningRate, _):
            steps.append(Step(step: step, loss: loss, learningRate: learningRate))
        case let .epochEnded(record):
            epochs.append(record)
        case let .rolledBack(step, loss, rateScale):
            rollbacks.append(Divergence(step: step, loss: loss, rateScale: rateScale))
        case let .stoppedEarly(epoch, bestEpoch):
            earlyStop = EarlyStop(epoch: epoch, bestEpoch: bestEpoch)
        case let .sharpnessMeasured(measurement):
            sharpness.append(measurement)
        }
    }

    /// Notes the error that ended `Trainer.fit`; only `TrainingError.diverged` changes the curves.
    public mutating func record(_ error: TrainingError) {
        if case let .diverged(step, loss, _) = error { finalDivergence = Divergence(step: step, loss: loss) }
    }
}
