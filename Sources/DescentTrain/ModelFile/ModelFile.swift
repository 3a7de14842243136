import DescentData
import DescentFiles
import DescentNN
import DescentTensor
import Foundation

/// A trained model on disk: a safetensors file whose tensors carry PyTorch's `state_dict` names
/// (`0.weight`, `0.bias`, `2.weight`, …, Float32, so `torch.nn.Sequential.load_state_dict` takes them)
/// and whose `__metadata__` carries the ``ModelCard`` and the SHA-256 of each tensor's bytes
/// (`descent.tensor_sha256`). A file without a card (weights only, as written before, or by another
/// tool) still loads: its ``card`` is nil, and what needs one says so; a file without checksums loads
/// with ``tensorChecksums`` nil (not verified).
///
/// ```swift
/// try ModelFile.save(model, card: card, to: "iris.safetensors")
/// let file = try ModelFile.load(path: "iris.safetensors")
/// file.card?.classNames                      // ["setosa", "versicolor", "virginica"]
/// file.tensorChecksums?["0.bias"]            // "5f0c…": each tensor's SHA-256, verified on loading
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
    /// The SHA-256 of each tensor's bytes, by name, recorded when the file was saved (`descent.tensor_sha256`)
    /// and found equal on loading; nil for a file without them (another tool's or an older Descent's),
    /// whose tensors were not verified.
    public var tensorChecksums: [String: String]?
    /// Whether the metadata carried its checksum (`descent.metadata_sha256`) and matched it; false for a file
    /// without one (another tool's or an older Descent's), whose card was not verified.
    public var metadataVerified = false

    /// Writes `model`'s state dictionary and `card` to `path` (atomically), with the SHA-256 of each
    /// tensor's bytes in the metadata (`descent.tensor_sha256`, a JSON object by tensor name).
    /// `members`: an ensemble's other models (`SmallTableEnsemble`), saved as `ensemble.1.<name>`, `ensemble.2.<name>`, …
    /// with `descent.ensemble` = 1 + their count in the card; `model` keeps the plain names (PyTorch loads it alone).
    public static func save(_ model: some Module, card: ModelCard, members: [Sequential] = [], to path: String) throws {
        var tensors = model.stateDictionary
        var card = card
        card.ensembleMembers = members.isEmpty ? nil : members.count + 1
        if !members.isEmpty { card.formatVersion = max(card.formatVersion, ModelCard.ensembleFormatVersion) }
        for (offset, member) in members.enumerated() {
            for (name, tensor) in member.stateDictionary { tensors[ensemblePrefix(offset + 1) + name] = tensor }
        }
        var metadata = try card.metadata()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        metadata[ModelCard.Key.tensorChecksums] = String(decoding: try encoder.encode(Safetensors.tensorSHA256(tensors)), as: UTF8.self)
        metadata[ModelCard.Key.metadataChecksum] = metadataSHA256(metadata)
        try Safetensors.save(tensors, metadata: metadata, to: path)
    }

    /// Reads a model file; the card is read when present. Recorded tensor checksums are verified
    /// (a file changed after saving, by a bit flip or an editor, is refused naming the tensor), and
    /// every weight must be finite (a NaN or infinite weight makes every prediction NaN).
    /// - Throws: `DataError` for an unreadable or malformed safetensors file, `ModelFileError.damagedTensor`
    ///   for a tensor that does not match its checksum, `.nonFiniteWeight` naming the tensor and element,
    ///   `.invalidMetadata` for a card or checksum list that is there but wrong.
    public static func load(path: String) throws -> ModelFile {
        let bytes = try Safetensors.readFile(path)
        let (tensors, metadata) = try Safetensors.decode(bytes, source: path)
        // The card first: a changed standardisation or class label changes every prediction without a word.
        let metadataVerified = metadata[ModelCard.Key.metadataChecksum] != nil
        if let recorded = metadata[ModelCard.Key.metadataChecksum], recorded != metadataSHA256(metadata) {
            throw ModelFileError.damagedMetadata(file: path)
        }
        var checksums: [String: String]?
        if let text = metadata[ModelCard.Key.tensorChecksums] {
            let recorded = try recordedChecksums(text, path: path)
            let found = try Safetensors.tensorSHA256(fileBytes: bytes, source: path)
            for name in Set(recorded.keys).union(found.keys).sorted() {
                guard let expected = recorded[name] else {
                    throw ModelFileError.invalidMetadata(file: path, key: ModelCard.Key.tensorChecksums, "no checksum for tensor \(name)")
                }
                guard let actual = found[name] else {
                    throw ModelFileError.invalidMetadata(file: path, key: ModelCard.Key.tensorChecksums,
                                                         "a checksum for tensor \(name), which the file does not hold")
                }
                guard expected == actual else { throw ModelFileError.damagedTensor(file: path, tensor: name) }
            }
            checksums = recorded
        }
        for name in tensors.keys.sorted() {
            try tensors[name]?.withUnsafeBufferPointer { values in
                if let index = values.firstIndex(where: { !$0.isFinite }) {
                    throw ModelFileError.nonFiniteWeight(file: path, tensor: name, element: index, value: Double(values[index]))
                }
            }
        }
        let card = ModelCard.isPresent(in: metadata) ? try ModelCard(metadata: metadata, source: path) : nil
        return ModelFile(path: path, tensors: tensors, metadata: metadata, card: card, tensorChecksums: checksums,
                         metadataVerified: metadataVerified)
    }

    /// The SHA-256 of every metadata entry but `descent.metadata_sha256` itself, in key order, each key and
    /// value as its UTF-8 byte count, a colon and the bytes — `5:format2:pt` for `format` = `pt` — so that no
    /// two different maps hash the same text. In Python:
    /// `sha256(b"".join(b"%d:%s%d:%s" % (len(k.encode()), k.encode(), len(v.encode()), v.encode()) for k, v in sorted(m.items()))).hexdigest()`
    /// (keys sorted by their UTF-8 bytes).
    public static func metadataSHA256(_ metadata: [String: String]) -> String {
        var digest = SHA256()
        let entries = metadata.filter { $0.key != ModelCard.Key.metadataChecksum }
            .map { (key: Array($0.key.utf8), value: Array($0.value.utf8)) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
        for entry in entries {
            for bytes in [entry.key, entry.value] {
                digest.update(Array("\(bytes.count):".utf8))
                digest.update(bytes)
            }
        }
        return digest.finalizeHex()
    }

    /// The recorded checksums: a JSON object of 64-hex-digit strings by tensor name.
    private static func recordedChecksums(_ text: String, path: String) throws -> [String: String] {
        func invalid(_ detail: String) -> ModelFileError { .invalidMetadata(file: path, key: ModelCard.Key.tensorChecksums, detail) }
        guard case let .object(members)? = try? JSONValue.parse(Array(text.utf8)[...]) else {
            throw invalid("not a JSON object of SHA-256 digests by tensor name")
        }
        var checksums: [String: String] = [:]
        for (name, value) in members {
            guard case let .string(digest) = value, digest.utf8.count == 64,
                  digest.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
                throw invalid("the checksum of tensor \(name) is not 64 hexadecimal digits")
            }
            checksums[name] = digest
        }
        return checksums
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
            try model.load(parameters: firstModelTensors)
        } catch let error as StateLoadError {
            throw ModelFileError.tensorsDoNotFit(file: path, "\(error)")
        }
        model.eval()
        return model
    }

    /// The tensors of the file's first (or only) model: all but an ensemble's `ensemble.k.` ones.
    public var firstModelTensors: [String: Tensor] { tensors.filter { !$0.key.hasPrefix(Self.ensembleTensorPrefix) } }

    /// The first tensor-name part of an ensemble's other members.
    static let ensembleTensorPrefix = "ensemble."
    static func ensemblePrefix(_ member: Int) -> String { "\(ensembleTensorPrefix)\(member)." }

    /// An ensemble's other models (`card.ensembleMembers − 1` of them, from the `ensemble.k.` tensors), in evaluation
    /// mode; empty for a file of one model.
    /// - Throws: `ModelFileError.tensorsDoNotFit` naming the member whose tensors are missing or do not fit.
    public func makeEnsembleMembers() throws -> [Sequential] {
        let card = try requireCard()
        guard let count = card.ensembleMembers, count > 1 else { return [] }
        return try (1..<count).map { member in
            let prefix = Self.ensemblePrefix(member)
            var parameters: [String: Tensor] = [:]
            for (name, tensor) in tensors where name.hasPrefix(prefix) { parameters[String(name.dropFirst(prefix.count))] = tensor }
            var generator = SeededGenerator(seed: 0)
            let model = try card.architecture.makeModel(using: &generator)
            do {
                try model.load(parameters: parameters)
            } catch let error as StateLoadError {
                throw ModelFileError.tensorsDoNotFit(file: path, "ensemble member \(member) of \(count): \(error)")
            }
            model.eval()
            return model
        }
    }
}
