import ArgumentParser
import DescentData
import DescentNN
import DescentTrain

/// The help texts that differ between the commands that share `DataModelOptions`.
package protocol DataModelOptionsWording {
    /// Help for `--csv`.
    static var csvHelp: String { get }
    /// Help for `--validation-fraction`.
    static var validationFractionHelp: String { get }
}

/// The data and model options shared by `descent train` and `descent range-test` (used with `@OptionGroup`):
/// where the data come from (`--dataset` or `--csv` with `--target`), the hidden layers, the minibatch size, the seed,
/// the held-out fraction and whether features are standardised. Each command keeps its own checks in `validate()`.
///
/// ```
/// $ descent train --dataset iris --hidden 32,16 --batch-size 16 --seed 7 --validation-fraction 0.25
/// $ descent range-test --csv data.csv --target price --hidden "" --no-standardize
/// $ descent train --dataset digits --model cnn --channels 16,32
/// $ descent train --idx-images train-images-idx3-ubyte --idx-labels train-labels-idx1-ubyte --model cnn
/// ```
package struct DataModelOptions<Wording: DataModelOptionsWording>: ParsableArguments {
    @Option(help: "A bundled data set: \(BundledDataset.allCases.map(\.rawValue).joined(separator: ", ")).")
    package var dataset: String?
    @Option(help: ArgumentHelp(Wording.csvHelp))
    package var csv: String?
    @Option(help: "The target column of --csv (default: the last column).")
    package var target: String?
    @Option(help: "The task of --csv's target: classification or regression (default: inferred, as `descent inspect` does).")
    package var task: PredictionTask?
    @Option(help: "Hidden layer sizes, comma-separated (empty for a linear model).")
    package var hidden: String = "64"
    @Option(name: .customLong("batch-size"), help: "Examples per minibatch.")
    package var batchSize: Int = 32
    @Option(help: "Seed for the split, the initial weights and the shuffling.")
    package var seed: UInt64 = 0
    @Option(name: .customLong("validation-fraction"), help: ArgumentHelp(Wording.validationFractionHelp))
    package var validationFraction: Double = 0.2
    @Flag(name: .customLong("no-standardize"), help: "Keep the features as they are in the file.")
    package var noStandardize = false
    @Option(name: .customLong("idx-images"), help: "An IDX images file (MNIST's format) to train on, with --idx-labels.")
    var idxImages: String?
    @Option(name: .customLong("idx-labels"), help: "The IDX labels file that goes with --idx-images.")
    var idxLabels: String?
    @Option(help: "The model: mlp (--hidden) or cnn (--channels; for square images: the digits as 1×8×8, IDX images).")
    var model: ModelKind = .mlp
    @Option(help: "Convolution widths of --model cnn, comma-separated: each is conv 3×3 → ReLU → max-pool 2.")
    var channels: String = "16,32"
    /// How a raw --csv file's columns are read (roles, missing values, rare categories, target transform).
    @OptionGroup var tabular: TabularArguments
    @Option(name: .customLong("class-weights"),
            help: "Weigh the training loss per class: none, or balanced (n / (classes × count), scikit-learn's rule; the validation loss stays unweighted).")
    var classWeights: ClassWeighting = .none

    package init() {}
}

extension ClassWeighting: ExpressibleByArgument {}
extension PredictionTask: ExpressibleByArgument {}
