import DescentData
import DescentNN
import Foundation

/// Everything a saved model needs besides its tensors to be used on new data: what network it is,
/// what it predicts, which columns it reads in which order, how they are standardised, the class
/// labels, and how it was trained. Stored in a safetensors file's `__metadata__` (a map of strings,
/// per the safetensors spec), structured values as JSON text:
///
/// | key | value (example: iris, `--hidden 64`) |
/// | --- | --- |
/// | `format` | `pt` (the tensors are PyTorch's `state_dict` names and layouts) |
/// | `descent.format_version` | `2`, or `3` for a file of several models (`descent.ensemble`); files of version 1, without `descent.run`, still load |
/// | `descent.model` | `{"activation":"relu","hidden_sizes":[64],"input_size":4,"kind":"mlp","output_size":3}` |
/// | `descent.task` | `classification` or `regression` |
/// | `descent.features` | `["sepal_length","sepal_width","petal_length","petal_width"]` |
/// | `descent.standardizer` | `{"mean":[5.84,3.05,3.76,1.2],"standard_deviation":[0.83,0.43,1.76,0.76]}` (absent with `--no-standardize`) |
/// | `descent.classes` | `["setosa","versicolor","virginica"]`: class i is output i (classification only) |
/// | `descent.target` | `species`: the target column's name |
/// | `descent.training` | `{"data":"iris: 120 training …","epochs_run":20,"learning_rate":0.003,…}` |
/// | `descent.run` | the `RunSpecification` that trained it: `{"dataset":"iris","epochs":20,"hidden":[64],…}` (version 2 on) |
/// | `descent.tensor_sha256` | `{"0.bias":"5f0c…","0.weight":"a3e1…",…}`: the SHA-256 of each tensor's bytes, written and checked by ``ModelFile`` (optional) |
/// | `descent.metadata_sha256` | the SHA-256 of every other metadata entry (``ModelFile/metadataSHA256(_:)``), written and checked by ``ModelFile``: a changed standardisation, class label or key is refused (optional) |
/// | `descent.preprocessing` | a raw table's fitted `TabularPreprocessing` (absent for a plain numeric file): `{"columns":[{"kind":"numeric","median":44.45,…},{"kind":"categorical","levels":["(unknown)","Biscoe",…]}],"ignored_columns":["rownames"],"missing_values":["","NA",…],"target":{…}}` |
/// | `descent.ensemble` | `5`: the file holds that many models (`SmallTableEnsemble`, a small table's rule), member k's tensors named `ensemble.k.0.weight`, …; prediction averages them (absent: one model) |
///
/// With a preprocessing, `descent.features` names the network's inputs (`island=Biscoe`, `bill_length_mm_missing`, …)
/// and prediction reads the raw columns through the preprocessing; `descent.standardizer` is then absent.
///
/// A prediction standardises row x as z = (x − mean) / standard_deviation (per column, Float32, exactly
/// as training did) and applies the network; a class is the arg-max of the outputs, its probability
/// the softmax.
public struct ModelCard: Codable, Sendable, Equatable {
    /// The newest version of this layout this build reads; a file of a later version is refused with a message.
    public static let currentFormatVersion = 3
    /// The version a file of one model is written with: builds that read version 2 load it.
    public static let singleModelFormatVersion = 2
    /// The version a file of several models (`descent.ensemble`) is written with: a build that reads only version 2
    /// refuses it with "version 3 is newer than this build of Descent reads; update Descent" instead of loading the
    /// first model's tensors and failing on the `ensemble.k.` ones it does not know.
    public static let ensembleFormatVersion = 3

    public var formatVersion: Int
    public var architecture: ModelArchitecture
    public var task: PredictionTask
    /// The feature columns, in the order the network reads them.
    public var featureNames: [String]
    /// The standardisation fitted on the training part (nil: features were used as they are).
    public var standardizer: Standardizer?
    /// Class labels in output order (nil for regression).
    public var classNames: [String]?
    /// The target column's name.
    public var targetName: String
    /// How the model was trained (nil when not recorded).
    public var training: TrainingDescription?
    /// The run that trained the model (format version 2 on; nil in files of version 1 or written without one).
    public var specification: RunSpecification?
    /// The fitted preprocessing of a raw table (nil: the features are the file's numeric columns).
    public var preprocessing: TabularPreprocessing?
    /// How many models the file holds and prediction averages (`SmallTableEnsemble`; nil: one). Member 0's tensors
    /// carry the plain names (`0.weight`, …), member k's `ensemble.k.0.weight`, … (`descent.ensemble`).
    public var ensembleMembers: Int?

    /// How a model was trained, for people: shown by `descent inspect`.
    public struct TrainingDescription: Codable, Sendable, Equatable {
        public var data: String
        public var optimizer: String
        /// The base (peak) rate.
        public var learningRate: Double
        /// The schedule in its text form.
        public var schedule: String
        public var epochsRun: Int
        public var status: String
        public var finalTrainingLoss: Double?
        public var finalValidationLoss: Double?
        /// `accuracy` or `r2`.
        public var metricName: String
        public var finalValidationMetric: Double?

        enum CodingKeys: String, CodingKey {
            case data, optimizer, schedule, status
            case learningRate = "learning_rate", epochsRun = "epochs_run", finalTrainingLoss = "final_training_loss"
            case finalValidationLoss = "final_validation_loss", metricName = "metric"
            case finalValidationMetric = "final_validation_metric"
        }

        public init(data: String, optimizer: String, learningRate: Double, schedule: String, epochsRun: Int, status: String,
                    finalTrainingLoss: Double?, finalValidationLoss: Double?, metricName: String, finalValidationMetric: Double?) {
            self.data = data
            self.optimizer = optimizer
            self.learningRate = learningRate
            self.schedule = schedule
            self.epochsRun = epochsRun
            self.status = status
            // JSON has no NaN: a non-finite number is not recorded.
            self.finalTrainingLoss = finalTrainingLoss.flatMap { $0.isFinite ? $0 : nil }
            self.finalValidationLoss = finalValidationLoss.flatMap { $0.isFinite ? $0 : nil }
            self.metricName = metricName
            self.finalValidationMetric = finalValidationMetric.flatMap { $0.isFinite ? $0 : nil }
        }
    }

    public init(architecture: ModelArchitecture, task: PredictionTask, featureNames: [String], standardizer: Standardizer?,
                classNames: [String]?, targetName: String, training: TrainingDescription? = nil) {
        self.formatVersion = Self.singleModelFormatVersion
        self.architecture = architecture
        self.task = task
        self.featureNames = featureNames
        self.standardizer = standardizer
        self.classNames = classNames
        self.targetName = targetName
        self.training = training
    }

    /// The card of a model trained on `data` (its feature names, task, classes and target).
    public init(architecture: ModelArchitecture, trainedOn data: Dataset, standardizer: Standardizer?,
                training: TrainingDescription? = nil) {
        self.init(architecture: architecture, task: data.task, featureNames: data.featureNames, standardizer: standardizer,
                  classNames: data.targets.classNames, targetName: data.targetName, training: training)
    }

    // MARK: The metadata form

    /// The metadata keys, all under `descent.` but `format`.
    public enum Key {
        public static let format = "format"
        public static let formatVersion = "descent.format_version"
        public static let model = "descent.model"
        public static let task = "descent.task"
        public static let features = "descent.features"
        public static let standardizer = "descent.standardizer"
        public static let classes = "descent.classes"
        public static let target = "descent.target"
        public static let training = "descent.training"
        /// The `RunSpecification` that trained the model (format version 2 on).
        public static let run = "descent.run"
        /// Not part of the card: ``ModelFile`` writes and verifies it (the tensors' checksums).
        public static let tensorChecksums = "descent.tensor_sha256"
        /// Not part of the card: ``ModelFile`` writes and verifies it (the checksum of every other metadata entry).
        public static let metadataChecksum = "descent.metadata_sha256"
        public static let preprocessing = "descent.preprocessing"
        /// The number of models averaged at prediction (absent: one).
        public static let ensemble = "descent.ensemble"
    }

    private struct StandardizerObject: Codable {
        var mean: [Float]
        var standardDeviation: [Float]
        enum CodingKeys: String, CodingKey { case mean, standardDeviation = "standard_deviation" }
    }

    /// The card as safetensors `__metadata__` (string → string).
    public func metadata() throws -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func json<Value: Encodable>(_ value: Value) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        var metadata = [
            Key.format: "pt",
            Key.formatVersion: String(formatVersion),
            Key.model: try json(architecture),
            Key.task: task.rawValue,
            Key.features: try json(featureNames),
            Key.target: targetName,
        ]
        if let standardizer {
            metadata[Key.standardizer] = try json(StandardizerObject(mean: standardizer.mean, standardDeviation: standardizer.standardDeviation))
        }
        if let classNames { metadata[Key.classes] = try json(classNames) }
        if let training { metadata[Key.training] = try json(training) }
        if let specification { metadata[Key.run] = try json(specification) }
        if let preprocessing { metadata[Key.preprocessing] = try json(preprocessing) }
        if let ensembleMembers { metadata[Key.ensemble] = String(ensembleMembers) }
        return metadata
    }

    /// Whether `metadata` holds a card at all (a weights-only file does not).
    public static func isPresent(in metadata: [String: String]) -> Bool { metadata[Key.formatVersion] != nil }

    /// Reads a card from safetensors metadata; `source` names the file in errors.
    /// - Throws: `ModelFileError.weightsOnly` when there is no card, `.invalidMetadata` naming the key otherwise.
    public init(metadata: [String: String], source: String) throws {
        guard let versionText = metadata[Key.formatVersion] else { throw ModelFileError.weightsOnly(file: source) }
        func invalid(_ key: String, _ detail: String) -> ModelFileError { .invalidMetadata(file: source, key: key, detail) }
        guard let version = Int(versionText), version >= 1 else { throw invalid(Key.formatVersion, "'\(versionText)' is not a version number") }
        guard version <= Self.currentFormatVersion else {
            throw invalid(Key.formatVersion, "version \(version) is newer than this build of Descent reads (\(Self.currentFormatVersion)); update Descent")
        }
        func required(_ key: String) throws -> String {
            guard let value = metadata[key] else { throw invalid(key, "missing") }
            return value
        }
        func decode<Value: Decodable>(_ type: Value.Type, _ key: String) throws -> Value {
            do {
                return try JSONDecoder().decode(type, from: Data(try required(key).utf8))
            } catch let error as ModelFileError {
                throw error
            } catch {
                throw invalid(key, "not the JSON expected (\(Self.describe(error)))")
            }
        }
        formatVersion = version
        architecture = try decode(ModelArchitecture.self, Key.model)
        do { try architecture.validate(source: source) } catch { throw invalid(Key.model, "\(error)") }
        guard let task = PredictionTask(rawValue: try required(Key.task)) else {
            throw invalid(Key.task, "'\(metadata[Key.task] ?? "")' is neither classification nor regression")
        }
        self.task = task
        featureNames = try decode([String].self, Key.features)
        guard featureNames.count == architecture.inputSize else {
            throw invalid(Key.features, "\(featureNames.count) names for a model of \(architecture.inputSize) inputs")
        }
        if metadata[Key.standardizer] != nil {
            let object = try decode(StandardizerObject.self, Key.standardizer)
            guard object.mean.count == featureNames.count else {
                throw invalid(Key.standardizer, "\(object.mean.count) means for \(featureNames.count) features")
            }
            do {
                standardizer = try Standardizer(mean: object.mean, standardDeviation: object.standardDeviation)
            } catch {
                throw invalid(Key.standardizer, "\(error)")
            }
        } else {
            standardizer = nil
        }
        if task == .classification {
            let names = try decode([String].self, Key.classes)
            guard names.count == architecture.outputSize else {
                throw invalid(Key.classes, "\(names.count) classes for a model of \(architecture.outputSize) outputs")
            }
            guard Set(names).count == names.count else { throw invalid(Key.classes, "a class label appears twice") }
            classNames = names
        } else {
            guard architecture.outputSize == 1 else {
                throw invalid(Key.model, "a regression model has 1 output, this one \(architecture.outputSize)")
            }
            classNames = nil
        }
        targetName = try required(Key.target)
        training = metadata[Key.training] == nil ? nil : try decode(TrainingDescription.self, Key.training)
        if metadata[Key.run] != nil {
            do {
                specification = try RunSpecification(jsonText: try required(Key.run))
            } catch let error as RunSpecificationError {
                throw invalid(Key.run, "\(error)")
            } catch {
                throw invalid(Key.run, "not the JSON expected (\(Self.describe(error)))")
            }
        } else {
            specification = nil
        }
        preprocessing = metadata[Key.preprocessing] == nil ? nil : try decode(TabularPreprocessing.self, Key.preprocessing)
        if let preprocessing, preprocessing.inputWidth != architecture.inputSize {
            throw invalid(Key.preprocessing, "\(preprocessing.inputWidth) inputs for a model of \(architecture.inputSize)")
        }
        if let text = metadata[Key.ensemble] {
            guard version >= Self.ensembleFormatVersion else {
                throw invalid(Key.ensemble, "a file of several models must have format version \(Self.ensembleFormatVersion) or later, this one says \(version)")
            }
            guard let members = Int(text), (2...SmallTableEnsemble.allowedMembers.upperBound).contains(members) else {
                throw invalid(Key.ensemble, "'\(text.prefix(40))' is not a number of models from 2 to \(SmallTableEnsemble.allowedMembers.upperBound)")
            }
            ensembleMembers = members
        } else {
            ensembleMembers = nil
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): return "no \"\(key.stringValue)\""
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted: return "not valid JSON"
        default: return "\(error)"
        }
    }
}
