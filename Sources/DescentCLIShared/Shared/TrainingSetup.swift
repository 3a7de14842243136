import ArgumentParser
import DescentData
import DescentNN
import DescentTensor
import DescentTrain
import Foundation

/// What `descent train`, `descent range-test` and each tune trial share: the data (a bundled set, a CSV
/// file — a raw table through its preprocessing — or IDX files), its training/validation split (features
/// standardised with the training part's statistics unless told not to), the objective it implies, and the
/// model with weights drawn from `seed`: the multilayer perceptron `Linear(d, h₁) → ReLU → … → Linear(hₖ, outputs)`
/// (`model` mlp, the `hidden` widths) or the convolutional network of `channels` (`model` cnn).
///
/// ```swift
/// let setup = try TrainingSetup(RunSpecification(dataset: "iris"))
/// setup.split.train.count     // 120
/// setup.model.parameterCount  // 4·64 + 64 + 64·3 + 3 = 515
/// ```
package struct TrainingSetup {
    /// The whole data set as loaded.
    package let data: Dataset
    /// Training and validation parts (standardised when asked).
    package let split: DatasetSplit
    /// Classification or regression, from the data.
    package let objective: Objective
    /// The freshly initialised model.
    package let model: Sequential
    /// The model's layers in words, printed before training ("64 → 64 → 10, ReLU").
    package let architecture: String
    /// The standardisation fitted on the training part (nil with --no-standardize): saved with the model.
    package private(set) var standardizer: Standardizer?
    /// The model as a value (kind and sizes): saved with the model.
    package let modelArchitecture: ModelArchitecture
    /// A raw table's fitted preprocessing (nil for a bundled set, IDX files or a plain numeric CSV): saved with the model.
    package private(set) var preprocessing: TabularPreprocessing?
    /// The raw table's columns and roles (nil when `preprocessing` is).
    package private(set) var profile: TabularProfile?
    /// Rows dropped because their target was missing.
    package private(set) var droppedRows = 0
    /// Whether the CSV file was not UTF-8 and was read as Windows-1252 (`RunData.readAsWindows1252`).
    package private(set) var readAsWindows1252 = false

    /// The setup of the run `spec` describes (its data, preprocessing and model; `batchSize` sizes the memory
    /// check, as the activations of one minibatch are in memory at a time). `model` `.cnn` builds
    /// `ConvolutionalModel` with `channels` for images: an IDX file's own shape, else square one-channel images
    /// (the digits' 64 features as 1×8×8). `savedCard`, a warm start's model card, decides the standardisation.
    /// `loaded`, when given, is the data the specification's source holds, already read (a tune worker reads it once).
    /// A raw table is read with the specification's raw-table fields (`spec.tabularOptions`; nil: the defaults, a plain
    /// numeric file read as before); `fold`: one fold of `--folds` as the validation part.
    package init(_ spec: RunSpecification, savedCard: ModelCard? = nil, loaded: Dataset? = nil,
         fold: (index: Int, count: Int)? = nil) throws {
        let (dataset, csv) = (spec.dataset, spec.csv)
        let (idxImages, hidden, channels) = (spec.idxImages, spec.hidden, spec.channels)
        let (validationFraction, seed, batchSize, kind) = (spec.validationFraction, spec.seed, spec.batchSize, spec.model)
        guard dataset != nil || csv != nil || (idxImages != nil && spec.idxLabels != nil) || loaded != nil else {
            throw ValidationError("give exactly one of --dataset NAME, --csv FILE or --idx-images FILE --idx-labels FILE")
        }
        // The data as the library's `TrainingRun` loads it (RunData): the raw table's preprocessing, the split, the standardisation.
        let prepared: RunData
        do {
            prepared = try RunData(spec, savedCard: savedCard, loaded: loaded, fold: fold)
        } catch let error as RunSpecificationError where error.field == "init_weights" {
            throw CommandFailure(.input, "--init-weights: \(error.reason)")
        }
        (data, preprocessing, profile, droppedRows, standardizer) = (prepared.data, prepared.preprocessing, prepared.profile,
                                                                     prepared.droppedRows, prepared.standardizer)
        readAsWindows1252 = prepared.readAsWindows1252
        let split = prepared.split
        // --validation-fraction 0 asks for no validation part; any other fraction must leave one.
        guard split.validation.count > 0 || validationFraction == 0 else {
            // round(n × fraction) must be at least 1.
            let smallest = 0.5 / Double(data.count)
            // The data is too small for the split: a failure of the input (status 1), with the way out.
            guard data.count >= 2 else {
                throw CommandFailure(.input, "\(csv ?? dataset ?? "the data set") has \(data.count) row\(data.count == 1 ? "" : "s"); "
                    + "training needs at least 2 (one to train on, one to validate)")
            }
            throw CommandFailure(.input, "\(csv ?? dataset ?? "the data set"): --validation-fraction \(validationFraction) of "
                + "\(data.count) rows leaves no validation rows; use at least \(String(format: "%.3g", smallest * 1.001))")
        }
        self.split = split
        objective = Objective(for: data)
        if kind == .cnn {
            let image = try idxImages.map(IDXImageShape.read) ?? Self.squareImage(features: data.featureCount)
            // Rows in flight: one minibatch in training, one chunk of the validation part when evaluating.
            let rows = Swift.max(Swift.min(batchSize, split.train.count), Swift.min(split.validation.count, evaluationRowsAtATime))
            let needed = ConvolutionalModel.estimatedBytes(image: image, channels: channels, outputs: objective.outputSize, rows: rows)
            guard needed <= Self.memoryBudget else {
                throw ValidationError("--channels \(channels.map(String.init).joined(separator: ",")): the network needs about "
                    + "\(String(format: "%.3g", needed / 1_073_741_824)) GiB for \(rows) images at a time, more than the "
                    + "\(String(format: "%.3g", Self.memoryBudget / 1_073_741_824)) GiB allowed (half this machine's)")
            }
            var generator = SeededGenerator(seed: seed)
            model = try ConvolutionalModel.make(image: image, channels: channels, outputs: objective.outputSize, using: &generator)
            architecture = ConvolutionalModel.describe(image: image, channels: channels, outputs: objective.outputSize)
            modelArchitecture = ModelArchitecture(kind: .cnn, inputSize: data.featureCount, hiddenSizes: [],
                                                  outputSize: objective.outputSize, imageShape: image, channels: channels,
                                                  kernelSize: 3)
            return
        }
        let tables = preprocessing?.embeddingTables ?? []
        modelArchitecture = prepared.multilayerPerceptron(hidden: hidden)
        let widths = [modelArchitecture.linearInputSize] + hidden + [objective.outputSize]
        // Rows in flight: one minibatch in training, one chunk of the validation part when evaluating.
        let rows = Swift.max(Swift.min(batchSize, split.train.count), Swift.min(split.validation.count, evaluationRowsAtATime))
        let needed = Self.estimatedBytes(widths: widths, rows: rows)
        guard needed <= Self.memoryBudget else {
            throw ValidationError("--hidden \(hidden.map(String.init).joined(separator: ",")): a model with layer widths \(widths) "
                + "needs about \(String(format: "%.3g", needed / 1_073_741_824)) GiB for \(rows) rows at a time, more memory than "
                + "the \(String(format: "%.3g", Self.memoryBudget / 1_073_741_824)) GiB allowed (half this machine's)")
        }
        var generator = SeededGenerator(seed: seed)
        model = try modelArchitecture.makeModel(using: &generator)
        architecture = "MLP " + widths.map(String.init).joined(separator: " → ") + (hidden.isEmpty ? "" : ", ReLU")
            + (tables.isEmpty ? "" : " (after \(tables.count) embedding\(tables.count == 1 ? "" : "s") " + tables.map { "\($0.count)×\($0.dimension)" }.joined(separator: ", ") + ")")
    }

    /// The model in words for reports: "MLP 64 → 32 → 10, ReLU; 2,410 parameters" or
    /// "CNN 1×8×8 → conv 3×3 16, … → linear 128 → 10; 6,090 parameters".
    package var modelSummary: String { "\(architecture); \(model.parameterCount) parameters" }

    /// The one-channel square image of `features` pixels (64 → [1, 8, 8]).
    /// - Throws: `ValidationError` if `features` is not a square.
    static func squareImage(features: Int) throws -> [Int] {
        let side = Int(Double(features).squareRoot().rounded())
        guard side * side == features, side >= 2 else {
            throw ValidationError("--model cnn needs square images: \(features) features are not side × side pixels "
                + "(the digits' 64 are 8 × 8); give IDX files (--idx-images) for other shapes")
        }
        return [1, side, side]
    }

    /// The most bytes a run may need: half the machine's memory, so `--hidden 4000000000` is an
    /// error naming the flag, not a failed allocation (SIGABRT) part-way through.
    package static var memoryBudget: Double { Double(ProcessInfo.processInfo.physicalMemory) / 2 }

    /// A rough upper estimate of the bytes an MLP with these layer widths needs (in Double, so it
    /// cannot overflow): 16 bytes a parameter (weights, gradients, two optimizer moments) and
    /// 16 bytes a unit for each of `rows` examples in flight (outputs, activations and their gradients).
    /// Example: widths [4, 100_000_000, 3] with 32 rows: 16 × 8e8 + 16 × 32 × 1e8 = 6.4e10 bytes ≈ 59.6 GiB.
    static func estimatedBytes(widths: [Int], rows: Int) -> Double {
        let parameters = zip(widths, widths.dropFirst()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) + Double($1.1) }
        let units = widths.dropFirst().reduce(0.0) { $0 + Double($1) }
        return 16 * parameters + 16 * Double(rows) * units
    }

    /// One line on the data: source, sizes and the task.
    package var dataSummary: String { "\(data.source): \(dataShape)" }

    /// The data's sizes and task without its name: "120 training and 30 validation examples, 4 features, 3 classes".
    package var dataShape: String {
        "\(split.train.count) training and \(split.validation.count) validation examples, "
            + "\(data.featureCount) features, \(objective.metricName == "accuracy" ? "\(objective.outputSize) classes" : "regression")"
    }

    /// Checks the data-source options: exactly one of `--dataset` and `--csv`, `--target` only with `--csv`.
    static func validateSource(dataset: String?, csv: String?, target: String?, task: PredictionTask? = nil) throws {
        if (dataset == nil) == (csv == nil) { throw ValidationError("give exactly one of --dataset NAME or --csv FILE") }
        if target != nil && csv == nil { throw ValidationError("--target goes with --csv") }
        if task != nil && csv == nil { throw ValidationError("--task goes with --csv (a bundled data set's task is known)") }
        if let dataset, !Datasets.availableNames.contains(dataset) {
            throw ValidationError("--dataset: unknown data set '\(CaretExcerpt.cut(dataset))'; "
                                  + "available: \(Datasets.availableNames.joined(separator: ", "))")
        }
    }

    /// The layer sizes of `--hidden` ("64", "128,64", "" for a linear model).
    package static func hiddenSizes(_ text: String) throws -> [Int] {
        // "" (or only spaces) is a linear model; otherwise every comma separates a size: "64,,32" and ",64"
        // are refused rather than read as 64,32 and 64.
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return try parts.enumerated().map { index, part in
            guard !part.isEmpty else {
                throw ValidationError("--hidden: an empty layer size (item \(index + 1) of '\(text.count > 80 ? String(text.prefix(60)) + "…" : text)'); "
                                      + "give sizes like 64,32, or \"\" for a linear model")
            }
            guard let size = Int(part), size > 0 else { throw ValidationError("--hidden: '\(part)' is not a positive layer size") }
            return size
        }
    }
}
