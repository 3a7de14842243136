import DescentData
import DescentNN
import DescentOptim
import Foundation

/// Everything that decides a training run, as one value: where the data come from and how they are
/// prepared, the model, the optimizer, the rate and its schedule, the controllers and the guard, the
/// run's length, its seed, and where its outputs go.
///
/// `descent train`, `range-test`, each `tune` trial, `bench train` and `demo` build their run from
/// one of these; `--save-config` writes it (TOML, YAML or JSON) and `--config` reads it back; a
/// checkpoint and a model file store it, so a resumed run is compared with its checkpoint field by
/// field and a model file says how it was made.
///
/// Its keys are the long flag names of `descent train` with `_` for `-`, so a file of it is a file of
/// flags: `learning_rate`, `batch_size`, `no_standardize`, `checkpoint_dir`, … Unset optional fields
/// are left out. A rate chosen automatically is written as `learning_rate = "auto"` with the rate
/// it chose beside it (`chosen_learning_rate`); replaying the file runs auto again (the range test,
/// then the race), which on the same build of Descent chooses the same rate. Every field has a role
/// (`fields`): what shapes the run is compared on resume and identifies a tuning study; the outputs and
/// the execution details (threads, the sharpness and noise-scale trackers) are not.
///
/// ```swift
/// var run = RunSpecification(dataset: "iris")
/// run.hidden = [32, 16]
/// run.optimizer = .sgd
/// run.learningRate = .fixed(0.05)
/// run.schedule = "warmup(10) >> cosine"
/// try run.validate()                       // throws RunSpecificationError naming the field
/// run.fieldValues()["hidden"]              // "32,16"
/// ```
public struct RunSpecification: Codable, Sendable, Equatable {
    // MARK: Data and preprocessing

    /// A bundled data set by name (`iris`, `digits`, …); exactly one of `dataset`, `csv` and `idxImages`.
    public var dataset: String?
    /// A CSV file with a header row.
    public var csv: String?
    /// The target column of `csv` (nil: the last).
    public var target: String?
    /// The task of `csv`'s target (nil: inferred).
    public var task: PredictionTask?
    /// An IDX images file (MNIST's format), with `idxLabels`.
    public var idxImages: String?
    /// The IDX labels file that goes with `idxImages`.
    public var idxLabels: String?
    /// Whether features are standardised with the training part's mean and standard deviation.
    public var standardize: Bool = true
    /// The fraction of the rows held out for validation, in (0, 1).
    public var validationFraction: Double = 0.2

    // MARK: A raw table's columns (with `csv`; `TabularOptions`)

    /// Columns of `csv` read as categories, comma-separated (nil: by the column-role rules).
    public var categorical: String?
    /// Columns of `csv` read as numbers, comma-separated.
    public var numeric: String?
    /// Columns of `csv` left out, comma-separated.
    public var ignore: String?
    /// Cell texts that mean missing, comma-separated, compared without case (nil: `TabularOptions.defaultMissingValues`).
    public var missingValues: String?
    /// Categories seen fewer times in the training part share one level, (other); in 1...1,000,000.
    public var minCategoryCount: Int = 5
    /// A regression target's transform (`log` for positive, skewed values).
    public var targetTransform: TargetTransform = .none
    /// How each class weighs in the training loss (`balanced`: n / (classes × count)).
    public var classWeights: ClassWeighting = .none
    /// Cross-validate on this many folds first and train at the median of their rates (nil: no folds); 2...100.
    public var folds: Int?
    /// How many models to train and average at prediction (`SmallTableEnsemble`): nil lets the rule decide (5 for a raw
    /// table of fewer than 1,000 training rows, else 1); 1 turns it off; 1...20.
    public var ensemble: Int?

    // MARK: The model

    /// `mlp` (the `hidden` widths) or `cnn` (the `channels` widths).
    public var model: ModelArchitecture.Kind = .mlp
    /// The hidden layer widths of the MLP (empty: a linear model).
    public var hidden: [Int] = [64]
    /// The convolution widths of the CNN: each is conv 3×3 → ReLU → max-pool 2.
    public var channels: [Int] = [16, 32]

    // MARK: The optimizer and the rate

    /// The optimizer, from the one registry.
    public var optimizer: OptimizerRegistry = .adamw
    /// The base (peak) rate: a number, or chosen automatically (the default, as `descent train` without `--learning-rate`).
    public var learningRate: LearningRateSetting = .automatic(chosen: nil)
    /// Weight decay (decoupled for AdamW), ≥ 0.
    public var weightDecay: Double = 0
    /// SGD's momentum in [0, 1) (the other optimizers keep their defaults).
    public var momentum: Double = 0.9
    /// The schedule as text (`ScheduleParser`), nil for the default: constant, or cosine with an automatic rate.
    public var schedule: String?

    // MARK: Controllers and the guard

    /// Whether ReduceLROnPlateau multiplies the rate by `plateauFactor` after `plateauPatience` epochs without improvement.
    public var reduceOnPlateau: Bool = false
    /// Epochs without improvement before the plateau controller reduces the rate, ≥ 0.
    public var plateauPatience: Int = 10
    /// What the plateau controller multiplies the rate by, in (0, 1).
    public var plateauFactor: Double = 0.1
    /// Whether the divergence guard rolls back and backs the rate off when the loss blows up.
    public var divergenceGuard: Bool = true

    // MARK: Data parallelism and what is measured alongside

    /// Under mpirun, how the rate follows the global batch (nil: the optimizer family's standard, `RateScaling.standard`).
    public var scaleRate: RateScaling?
    /// Threads of this process (nil: the cores, shared among the processes on the machine); an execution
    /// detail: the thread pool splits work by fixed blocks, so the weights do not depend on it.
    public var threads: Int?
    /// Estimate the gradient noise scale every N steps (measured on the gradients the step computes anyway).
    public var trackNoiseScale: Int?
    /// Measure λmax of the loss's Hessian every N steps (on its own copy: the weights are not touched).
    public var trackSharpness: Int?

    // MARK: Length, batches, seed

    /// Passes over the training data, ≥ 1.
    public var epochs: Int = 20
    /// Examples per minibatch, ≥ 1.
    public var batchSize: Int = 32
    /// The seed of the split, the initial weights and the shuffling.
    public var seed: UInt64 = 0
    /// Stop after this many epochs without a lower validation loss (nil: never).
    public var patience: Int?

    // MARK: Inputs and outputs

    /// Start from the tensors of this model file instead of random weights.
    public var initWeights: String?
    /// Save the whole run to this directory at each epoch's end.
    public var checkpointDirectory: String?
    /// Write the trained model here (.safetensors).
    public var saveWeights: String?
    /// Write an HTML report here.
    public var report: String?
    /// Write a JSON Lines log here.
    public var log: String?
    /// Write TensorBoard event files to this directory.
    public var tensorboard: String?

    /// A specification with every field at its default (the data source still to be given).
    public init() {}

    /// A specification of a bundled data set with every other field at its default.
    public init(dataset: String) { self.dataset = dataset }

    // MARK: What follows from the fields

    /// The schedule's text in force: `schedule`, else cosine for an automatic rate of an optimizer that
    /// is not rate-free, else constant.
    public var scheduleText: String {
        schedule ?? (learningRate.isAutomatic && !optimizer.isLearningRateFree ? "cosine" : "constant")
    }

    /// The trainer's settings: epochs, batch size, seed, patience, the guard (at its defaults) unless off, the noise-scale interval.
    public var trainingConfiguration: TrainingConfiguration {
        var configuration = TrainingConfiguration(epochs: epochs, batchSize: batchSize, seed: seed, earlyStoppingPatience: patience,
                                                  divergenceGuard: divergenceGuard ? DivergenceGuard() : nil)
        configuration.noiseScaleInterval = trackNoiseScale
        return configuration
    }

    /// This run without its outputs (checkpoint directory, saved weights, report, log, TensorBoard) and its execution
    /// details (threads, the trackers): how a model was made, the same wherever its files went and however many
    /// threads made it (as a model card stores it).
    public var withoutOutputs: RunSpecification {
        var copy = self
        (copy.checkpointDirectory, copy.saveWeights, copy.report, copy.log, copy.tensorboard) = (nil, nil, nil, nil, nil)
        (copy.threads, copy.trackNoiseScale, copy.trackSharpness) = (nil, nil, nil)
        return copy
    }

    /// The data file paths, by key (nil: not given).
    public var inputFiles: [(key: String, path: String?)] {
        [("csv", csv), ("idx_images", idxImages), ("idx_labels", idxLabels), ("init_weights", initWeights)]
    }
}
