import DescentData
import DescentNN
import DescentTensor

/// A trained model on disk: a safetensors file whose tensors carry PyTorch's `state_dict` names
/// (`0.weight`, `0.bias`, `2.weight`, …, Float32, so `torch.nn.Sequential.load_state_dict` takes them)
/// and whose `__metadata__` carries the ``ModelCard``. A file without a card (weights only, as written
/// before, or by another tool) still loads: its ``card`` is nil, and what needs one says so.
///
/// ```swift
/// try ModelFile.save(model, card: card, to: "iris.safetensors")
/// let file = try ModelFile.load(path: "iris.safetensors")
/// file.card?.classNames                      // ["setosa", "versicolor", "virginica"]
/// let predictor = try ModelPredictor(file)   // the network rebuilt, its tensors loaded
/// ```
public struct ModelFile: Sendable {
    public var path: String
    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// The raw metadata (string → string).
    public var metadata: [String: String]
    /// The model card (nil: a weights-only file).
    public var card: ModelCard?

    /// Writes `model`'s state dictionary and `card` to `path` (atomically).
    public static func save(_ model: some Module, card: ModelCard, to path: String) throws {
        try Safetensors.save(model.stateDictionary, metadata: try card.metadata(), to: path)
    }

    /// Reads a model file; the card is read when present.
    /// - Throws: `DataError` for an unreadable or malformed safetensors file, `ModelFileError.invalidMetadata`
    ///   for a card that is there but wrong.
    public static func load(path: String) throws -> ModelFile {
        let (tensors, metadata) = try Safetensors.loadWithMetadata(path: path)
        let card = ModelCard.isPresent(in: metadata) ? try ModelCard(metadata: metadata, source: path) : nil
        return ModelFile(path: path, tensors: tensors, metadata: metadata, card: card)
    }

    /// The card, or an error saying that the file holds weights only and how to get a full model file.
    public func requireCard() throws -> ModelCard {
        guard let card else { throw ModelFileError.weightsOnly(file: path) }
        return card
    }

    /// The network the card describes with this file's tensors loaded, in evaluation mode.
    /// - Throws: `ModelFileError` when there is no card or the tensors do not fit it (naming them).
    public func makeModel() throws -> Sequential {
        let card = try requireCard()
        var generator = SeededGenerator(seed: 0)
        let model: Sequential
        do {
            model = try card.architecture.makeModel(using: &generator)
        } catch {
            throw ModelFileError.invalidMetadata(file: path, key: ModelCard.Key.model, "\(error)")
        }
        do {
            try model.load(parameters: tensors)
        } catch let error as StateLoadError {
            throw ModelFileError.tensorsDoNotFit(file: path, "\(error)")
        }
        model.eval()
        return model
    }
}
