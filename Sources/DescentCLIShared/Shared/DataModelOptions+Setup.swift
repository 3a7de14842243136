import ArgumentParser
import DescentData
import DescentNN
import DescentTrain
import Foundation

/// The kind of model `--model` builds: `mlp` (the `--hidden` layer sizes) or `cnn` (the `--channels` widths,
/// `ConvolutionalModel`), as a run specification and a model card name it.
typealias ModelKind = ModelArchitecture.Kind

extension ModelArchitecture.Kind: ExpressibleByArgument {}

extension DataModelOptions {
    /// Checks the data-source and model options: exactly one of `--dataset`, `--csv` and `--idx-images`
    /// (which needs `--idx-labels`), `--target` only with `--csv`, and `--channels` a list of positive widths.
    package func validateSourceAndModel() throws {
        if tabular.isGiven && csv == nil {
            throw ValidationError("--categorical, --numeric, --ignore, --missing-values, --min-category-count and --target-transform go with --csv")
        }
        if idxImages == nil && idxLabels == nil {
            try TrainingSetup.validateSource(dataset: dataset, csv: csv, target: target, task: task)
        } else {
            guard dataset == nil, csv == nil else {
                throw ValidationError("give exactly one of --dataset NAME, --csv FILE or --idx-images FILE --idx-labels FILE")
            }
            if idxImages == nil || idxLabels == nil { throw ValidationError("--idx-images and --idx-labels go together") }
            if target != nil { throw ValidationError("--target goes with --csv") }
            if task != nil { throw ValidationError("--task goes with --csv (IDX labels are classes)") }
        }
        _ = try Self.channelWidths(channels)
    }

    /// The data files these options read, by flag (nil: not given), for the check that no output replaces one.
    package var inputFiles: [(flag: String, path: String?)] {
        [("--csv", csv), ("--idx-images", idxImages), ("--idx-labels", idxLabels)]
    }

    /// These options on `spec`: the data source, the preprocessing, the model, the batch size and the seed.
    /// - Throws: `ValidationError` naming the flag for `--hidden` or `--channels` that is not a list of widths.
    package func apply(to spec: inout RunSpecification) throws {
        spec.dataset = dataset
        spec.csv = csv
        spec.target = target
        spec.task = task
        spec.idxImages = idxImages
        spec.idxLabels = idxLabels
        spec.standardize = !noStandardize
        spec.validationFraction = validationFraction
        spec.model = model
        spec.hidden = try TrainingSetup.hiddenSizes(hidden)
        spec.channels = try Self.channelWidths(channels)
        spec.batchSize = batchSize
        spec.seed = seed
        spec.categorical = tabular.categorical
        spec.numeric = tabular.numeric
        spec.ignore = tabular.ignore
        spec.missingValues = tabular.missingValues
        spec.minCategoryCount = tabular.minCategoryCount
        spec.targetTransform = tabular.targetTransform
        spec.classWeights = classWeights
    }

    /// `spec`'s data, preprocessing and model fields on these options (the inverse of `apply(to:)`): how a `--config`
    /// file's run becomes the command's settings.
    package mutating func take(_ spec: RunSpecification) {
        (dataset, csv, target, task, idxImages, idxLabels) = (spec.dataset, spec.csv, spec.target, spec.task, spec.idxImages, spec.idxLabels)
        noStandardize = !spec.standardize
        validationFraction = spec.validationFraction
        model = spec.model
        hidden = spec.hidden.map(String.init).joined(separator: ",")
        channels = spec.channels.map(String.init).joined(separator: ",")
        (batchSize, seed) = (spec.batchSize, spec.seed)
        (tabular.categorical, tabular.numeric, tabular.ignore) = (spec.categorical, spec.numeric, spec.ignore)
        tabular.missingValues = spec.missingValues
        tabular.minCategoryCount = spec.minCategoryCount
        tabular.targetTransform = spec.targetTransform
        classWeights = spec.classWeights
    }

    /// The training loss's class weights of `spec` for `setup` (nil: unweighted, or a regression).
    package static func classWeights(_ spec: RunSpecification, for setup: TrainingSetup) -> [Float]? {
        guard let labels = setup.split.train.targets.classIndices else { return nil }
        return spec.classWeights.weights(labels: labels, classes: setup.objective.outputSize)
    }

    /// The widths of `--channels` ("16,32").
    static func channelWidths(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty else { throw ValidationError("--channels needs at least one width, e.g. 16,32") }
        return try parts.map { part in
            guard let width = Int(part), (1...4096).contains(width) else {
                throw ValidationError("--channels: '\(part)' is not a width in 1...4096")
            }
            return width
        }
    }
}

/// The shape of one image in an IDX images file, from its header: [n, h, w] → [1, h, w], [n, c, h, w] → [c, h, w].
///
/// ```swift
/// try IDXImageShape.read(path: "train-images-idx3-ubyte")   // [1, 28, 28]
/// ```
enum IDXImageShape {
    /// - Throws: `ValidationError` naming the file if it cannot be read or does not hold 2-D or 3-D images.
    static func read(path: String) throws -> [Int] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ValidationError("--idx-images: cannot read '\(path)'")
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 4 + 4 * 4)) ?? Data())
        guard header.count >= 4, header[0] == 0, header[1] == 0 else {
            throw ValidationError("--idx-images: '\(path)' is not an IDX file")
        }
        let rank = Int(header[3])
        guard rank == 3 || rank == 4, header.count >= 4 + 4 * rank else {
            throw ValidationError("--idx-images: '\(path)' holds \(rank)-D data; --model cnn needs images [n, h, w] or [n, c, h, w]")
        }
        let dimensions = (0..<rank).map { axis in
            (0..<4).reduce(0) { $0 << 8 | Int(header[4 + 4 * axis + $1]) }
        }
        return rank == 3 ? [1] + dimensions.dropFirst() : Array(dimensions.dropFirst())
    }
}
