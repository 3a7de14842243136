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

    /// The checkpoint as JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Decodes a checkpoint written by `encoded()`; `source` names the file in errors.
    public static func decode(_ data: Data, source: String) throws -> TrainingCheckpoint {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let version = try? decoder.decode(CheckpointVersion.self, from: data) else {
            throw TrainingError.invalidCheckpoint("\(source) is not a checkpoint (truncated or not JSON)")
        }
        guard version.formatVersion == currentFormatVersion else {
            throw TrainingError.invalidCheckpoint(
                "\(source) has format version \(version.formatVersion.map(String.init) ?? "none"), this build reads \(currentFormatVersion)")
        }
        do {
            return try decoder.decode(TrainingCheckpoint.self, from: data)
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.invalidCheckpoint("\(source) could not be read: \(Self.describe(error))")
        }
    }

    /// A decoding error in words: which key, what was wrong.
    static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case let .keyNotFound(key, context): return "missing \(path(context)).\(key.stringValue)"
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// The one field read before the rest of a checkpoint.
struct CheckpointVersion: Decodable { var formatVersion: Int? }

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

