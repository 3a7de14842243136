import DescentFiles
import DescentOptim
import DescentTensor
import Foundation

/// Everything a run needs to go on exactly where it stopped: the model's tensors, the optimizer's
/// state (its step counter included, so schedule(step) is where it was), the rate controllers, the
/// position in the data order, the divergence guard's curve and rollback points, early stopping's
/// best epoch and weights, and the history so far.
///
/// The shuffling of epoch e is seeded by `seed + e`, so the position is the epoch and the number
/// of minibatches already taken in it; a resumed run on the same data with the same seed and
/// thread count ends bit-identical to the run left alone. `run` describes the run the checkpoint
/// belongs to (data shape, model, optimizer, schedule, seed ...); `Trainer` refuses a checkpoint
/// whose description differs from the resuming run's, naming the first difference.
///
/// ```swift
/// let trainer = Trainer(configuration: TrainingConfiguration(epochs: 10, batchSize: 16))
/// _ = try trainer.run(model, optimizer: &optimizer, training: train,
///                     saveCheckpoint: { try write($0.encoded(), to: "run/checkpoint.json") })
/// // ... killed; later, with a fresh model and optimizer of the same shape:
/// let checkpoint = try TrainingCheckpoint<Adam>.decode(read("run/checkpoint.json"), source: "run/checkpoint.json")
/// let outcome = try trainer.run(model, optimizer: &optimizer, training: train, resumingFrom: checkpoint)
/// outcome.resumedFromEpoch   // the epochs the checkpoint had completed
/// ```
public struct TrainingCheckpoint<Rule: OptimizerRule>: Codable, Sendable {
    /// The version of this layout; another version is refused.
    public static var currentFormatVersion: Int { 1 }

    public var formatVersion: Int
    /// What run this is (compared on resume).
    public var run: [String: String]
    public var model: SavedTensors
    public var optimizer: OptimizerState<Rule.State, Rule.SharedState>
    public var controllers: [SavedController]
    /// The text form of the optimizer's schedule (nil: a constant rate or a closure-built one); the rate at
    /// the saved step is schedule(step) × the controllers' scale, so a resume with another schedule is refused.
    public var schedule: String?
    public var progress: TrainingProgress
    public var rollbackPoints: [SavedRollbackPoint<Rule>]
    /// Early stopping's best weights so far.
    public var bestWeights: SavedTensors?
    /// The run's specification (nil in checkpoints written without one): a resume compares it field by field.
    public var specification: RunSpecification?

    /// The checkpoint as JSON, sealed with the SHA-256 of its bytes as its first member (``ContentChecksum``,
    /// `contentSHA256`), so that a bit flip anywhere in it is refused on resume.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.outputFormatting = [.sortedKeys]
        return Data(ContentChecksum.seal([UInt8](try encoder.encode(self))))
    }

    /// Decodes a checkpoint written by `encoded()`; `source` names the file in errors. Every number is
    /// range-checked (``checkRanges(source:)``). `optimizer`, the name of the resuming run's rule
    /// (`rule.name`, e.g. "Adam"), turns a checkpoint of another optimizer into an error that says so
    /// rather than one about a missing field of the other optimizer's state.
    public static func decode(_ data: Data, source: String, optimizer: String? = nil) throws -> TrainingCheckpoint {
        try read(data, source: source, optimizer: optimizer).checkpoint
    }

    /// ``decode(_:source:optimizer:)``, and whether the checkpoint carried its content checksum (`contentSHA256`)
    /// and matched it; false for a checkpoint written before checkpoints were sealed, which was not verified.
    /// - Throws: `TrainingError.invalidCheckpoint` — for a checksum that does not match: "`source` is damaged: its
    ///   contents do not match the checksum saved with it (contentSHA256); it cannot be resumed".
    public static func read(_ data: Data, source: String, optimizer: String? = nil)
        throws -> (checkpoint: TrainingCheckpoint, contentVerified: Bool) {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let version = try? decoder.decode(CheckpointVersion.self, from: data) else {
            throw TrainingError.invalidCheckpoint("\(source) is not a checkpoint (truncated or not JSON)")
        }
        // The seal before any field: a flipped digit of a loss or a character of a tensor decodes without a word.
        let verdict = ContentChecksum.open([UInt8](data))
        if verdict == .damaged { throw TrainingError.invalidCheckpoint(damaged(source)) }
        guard version.formatVersion == currentFormatVersion else {
            throw TrainingError.invalidCheckpoint(
                "\(source) has format version \(version.formatVersion.map(String.init) ?? "none"), this build reads \(currentFormatVersion)")
        }
        if let optimizer, let saved = (try? decoder.decode(CheckpointOptimizerName.self, from: data))?.optimizer.optimizer,
           saved != optimizer {
            throw TrainingError.invalidCheckpoint("\(source) was written with the optimizer \(cut(saved)), this run uses \(optimizer): "
                + "resume with the optimizer it was written with")
        }
        let checkpoint: TrainingCheckpoint
        do {
            checkpoint = try decoder.decode(TrainingCheckpoint.self, from: data)
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.invalidCheckpoint("\(source) could not be read: \(Self.describe(error))")
        }
        try checkpoint.checkRanges(source: source)
        return (checkpoint, verdict != .unsealed)
    }

    /// What a checkpoint file whose checksum does not match is: "`file` is damaged: …".
    static func damaged(_ file: String) -> String {
        "\(file) is damaged: its contents do not match the checksum saved with it (\(ContentChecksum.key)); "
            + "it cannot be resumed (nothing was overwritten): resume from a copy, or train afresh"
    }

    /// `text` as an error message echoes it: whole up to 80 characters, else its first 60, "…" and its
    /// length, so a damaged checkpoint's 100 MB field is not printed back.
    static func cut(_ text: String) -> String {
        text.count > 80 ? String(text.prefix(60)) + "… (\(text.count) characters)" : text
    }

    /// Two texts that differ, as an error shows them: whole when both are short, else each cut to about
    /// 60 characters starting a little before the first character where they differ (with "…"), so the
    /// difference is what is shown. Example: two 500-character tensor lists that differ at character
    /// 300 show as "…0.weight [5, 4], …" and "…0.weight [3, 4], …".
    static func aroundDifference(_ first: String, _ second: String) -> (String, String) {
        guard first.count > 80 || second.count > 80 else { return (first, second) }
        let common = zip(first, second).prefix { $0 == $1 }.count
        let start = Swift.max(0, common - 20)
        func excerpt(_ text: String) -> String {
            let characters = Array(text)
            let from = Swift.min(start, characters.count), to = Swift.min(characters.count, from + 60)
            return (from > 0 ? "…" : "") + String(characters[from..<to]) + (to < characters.count ? "…" : "")
        }
        return (excerpt(first), excerpt(second))
    }

    /// A decoding error in words: which key, what was wrong.
    static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case let .keyNotFound(key, context): return cut("missing \(path(context)).\(key.stringValue)")
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return cut("\(path(context)): \(context.debugDescription)")
        @unknown default: return "\(error)"
        }
    }
}

/// The one field read before the rest of a checkpoint.
struct CheckpointVersion: Decodable { var formatVersion: Int? }

/// The name of the optimizer that wrote a checkpoint, read before its state.
struct CheckpointOptimizerName: Decodable {
    struct Saved: Decodable { var optimizer: String }
    var optimizer: Saved
}

/// Where a run stands: epochs completed, minibatches taken in the current epoch and their loss
/// so far, the history, the guard's state and early stopping's.
public struct TrainingProgress: Codable, Sendable, Equatable {
    /// Epochs completed.
    public var epoch = 0
    /// Minibatches already taken in the current epoch (0 at an epoch's end).
    public var batchIndex = 0
    /// Sum of loss × examples over those minibatches, and the examples.
    public var lossTotal = 0.0
    public var exampleCount = 0
    public var history: [TrainingRecord] = []
    public var guardState = DivergenceGuardState()
    public var earlyStopping: EarlyStopping?
    /// Set when early stopping ended the run: a resume of it is the same run and trains no further.
    public var stoppedEarly: Bool?
    /// The gradient noise scale's measurements and estimates so far (absent in older checkpoints).
    public var noiseScaleTrack: NoiseScaleTrack?

    public init() {}
}

/// A state the divergence guard can roll back to, as saved.
public struct SavedRollbackPoint<Rule: OptimizerRule>: Codable, Sendable {
    public var model: SavedTensors
    public var optimizer: OptimizerState<Rule.State, Rule.SharedState>
    public var guardState: DivergenceGuardState
}

