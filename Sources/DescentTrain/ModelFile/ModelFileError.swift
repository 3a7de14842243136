/// Why a saved model file cannot be used, in words a user can act on.
///
/// ```swift
/// // "w.safetensors holds weights only: no model description, feature names, standardisation or
/// //  class labels (it was saved before Descent 0.x wrote them, or by another tool). Train again with
/// //  `descent train … --save-weights FILE.safetensors` to get a self-describing model file."
/// ```
public enum ModelFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file has tensors but no model card in its metadata.
    case weightsOnly(file: String)
    /// A metadata key is missing or does not hold what it should.
    case invalidMetadata(file: String, key: String, String)
    /// The tensors do not fit the model the card describes (names and shapes listed).
    case tensorsDoNotFit(file: String, String)
    /// A tensor's bytes differ from the checksum recorded when the file was saved.
    case damagedTensor(file: String, tensor: String)
    /// The metadata (the card: standardisation, classes, features, …) differs from the checksum recorded when the file was saved.
    case damagedMetadata(file: String)
    /// A weight is NaN or infinite (`element` counts in C order from 0).
    case nonFiniteWeight(file: String, tensor: String, element: Int, value: Double)

    public var description: String {
        switch self {
        case let .weightsOnly(file):
            return "\(file) holds weights only: no model description, feature names, standardisation or class labels "
                + "(it was saved by an older Descent or another tool). Train again with `descent train … --save-weights "
                + "FILE.safetensors` to get a self-describing model file (`descent inspect FILE.safetensors` shows what a file holds)"
        case let .invalidMetadata(file, key, detail):
            return "\(file): metadata \"\(key)\": \(detail)"
        case let .tensorsDoNotFit(file, detail):
            return "\(file): the tensors do not fit the model: \(detail)"
        case let .damagedTensor(file, tensor):
            return "\(file): tensor \(tensor) does not match the checksum saved with it: the file was changed or damaged "
                + "after it was written; train again or use a good copy"
        case let .damagedMetadata(file):
            return "\(file): its metadata (the model card: standardisation, features, classes) does not match the checksum saved "
                + "with it: the file was changed or damaged after it was written; train again or use a good copy"
        case let .nonFiniteWeight(file, tensor, element, value):
            return "\(file): tensor \(tensor) holds \(value.isNaN ? "NaN" : value > 0 ? "+infinity" : "-infinity") at element "
                + "\(element); a model with a non-finite weight predicts only NaN: train it again"
        }
    }
}
