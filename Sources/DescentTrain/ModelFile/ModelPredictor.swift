import DescentData
import DescentNN
import DescentTensor

/// A saved model ready to predict: the network rebuilt from its card with the file's tensors, and
/// the card's standardisation applied to raw feature rows first, exactly as training applied it:
/// z = (x − mean) / standard_deviation per column in Float32, then the network in evaluation mode.
///
/// ```swift
/// let predictor = try ModelPredictor(try ModelFile.load(path: "iris.safetensors"))
/// let outputs = try predictor.outputs(Tensor(shape: [1, 4], scalars: [5.1, 3.5, 1.4, 0.2]))   // [1, 3] logits
/// try predictor.labels(outputs)          // ["setosa"]
/// try predictor.probabilities(outputs)   // [[0.98, 0.02, 0.00]] (softmax of the logits)
/// ```
public struct ModelPredictor {
    public let card: ModelCard
    public let model: Sequential
    /// An ensemble's other models (`SmallTableEnsemble`; empty: one model): `outputs` averages all of them.
    public var members: [Sequential] = []
    /// Rows sent through the network at a time, so memory stays bounded by the model, not the data.
    public var rowsPerPass = evaluationRowsAtATime

    /// - Throws: `ModelFileError` when the file has no card or its tensors do not fit it.
    /// The predictor of a model in memory and its card (a `TrainedRun`'s, before or without a file).
    public init(card: ModelCard, model: Sequential, members: [Sequential] = []) {
        self.card = card
        self.model = model
        self.members = members
    }

    public init(_ file: ModelFile) throws {
        card = try file.requireCard()
        model = try file.makeModel()
        members = try file.makeEnsembleMembers()
    }

    /// The network's outputs `[n, outputSize]` for raw (unstandardised) feature rows `[n, featureCount]`.
    public func outputs(_ features: Tensor) throws -> Tensor {
        let standardized = try card.standardizer.map { try $0.transform(features) } ?? features
        let first = try outputsInChunks(of: model, standardized, rowsAtATime: rowsPerPass).detached
        guard !members.isEmpty else { return first }
        // An ensemble: the mean output (regression) or the log of the mean probabilities (classification).
        let others = try members.map { try outputsInChunks(of: $0, standardized, rowsAtATime: rowsPerPass).detached }
        return try SmallTableEnsemble.average([first] + others, task: card.task)
    }

    /// The predicted class label of each row (classification: the arg-max output).
    public func labels(_ outputs: Tensor) throws -> [String] {
        guard let names = card.classNames else { return [] }
        return try outputs.argmax(alongAxis: 1).map { names[$0] }
    }

    /// The class probabilities of each row, `softmax(outputs)` `[n, classes]`.
    public func probabilities(_ outputs: Tensor) throws -> Tensor {
        try outputs.softmax(alongAxis: 1)
    }

    /// A raw table's rows as the network's inputs through the card's preprocessing (columns by name, missing
    /// cells filled, unseen categories "(unknown)"; rows with a malformed cell skipped and reported).
    /// - Throws: `ModelFileError` when the model has no preprocessing, `DataError` as `TabularPreprocessing.encode`.
    /// `checkingColumnKinds`: as `TabularPreprocessing.encode` (false for a streamed file's later blocks).
    public func encode(_ table: RawTable, checkingColumnKinds: Bool = true) throws -> (features: Tensor, encoding: TabularEncoding) {
        guard let preprocessing = card.preprocessing else {
            throw ModelFileError.invalidMetadata(file: table.file, key: ModelCard.Key.preprocessing, "the model has no preprocessing")
        }
        let encoding = try preprocessing.encode(table, checkingColumnKinds: checkingColumnKinds)
        let features = try Tensor(shape: [encoding.rowsKept.count, preprocessing.inputWidth], scalars: encoding.features)
        return (features, encoding)
    }

    /// A regression model's outputs in the target's own units: a raw table's standardised (and transformed)
    /// target mapped back; the outputs as they are otherwise.
    public func values(_ outputs: Tensor) -> [Float] {
        guard let target = card.preprocessing?.target else { return outputs.scalars }
        return outputs.scalars.map { target.original($0) }
    }

    /// A model's outputs for `features` in evaluation mode, a chunk of rows at a time (the model is back in
    /// training mode after).
    public static func outputs(of model: some Module, _ features: Tensor) throws -> Tensor {
        model.eval()
        defer { model.train() }
        return try outputsInChunks(of: model, features).detached
    }
}
