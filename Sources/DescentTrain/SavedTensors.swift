import DescentTensor
import Foundation

/// Named tensors as they go into a checkpoint: each a shape and its Float32 elements as raw
/// little-endian bytes (base64 in JSON), so a saved and reloaded tensor is bit-identical —
/// decimal text would round-trip too, but at ten times the size and time.
///
/// ```swift
/// let saved = SavedTensors(["w": Tensor([0.1, 0.2])])
/// try saved.tensors()["w"]!.scalars   // [0.1, 0.2], the same bits
/// ```
public struct SavedTensors: Codable, Sendable, Equatable {
    struct Entry: Codable, Sendable, Equatable {
        var shape: [Int]
        var bytes: Data
    }

    var entries: [String: Entry]

    public init(_ tensors: [String: Tensor]) {
        entries = tensors.mapValues { tensor in
            Entry(shape: tensor.shape, bytes: tensor.withUnsafeBufferPointer { Data(buffer: $0) })
        }
    }

    /// The tensors; throws `TrainingError.invalidCheckpoint` when a byte count does not fit its shape.
    public func tensors() throws -> [String: Tensor] {
        try entries.mapValues { entry in
            var count = 1
            for dimension in entry.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard dimension >= 0, !overflow else {
                    throw TrainingError.invalidCheckpoint("a tensor's shape \(Self.shown(entry.shape)) is invalid")
                }
                count = product
            }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Float>.size)
            guard !overflow else { throw TrainingError.invalidCheckpoint("a tensor's shape \(Self.shown(entry.shape)) is invalid") }
            guard entry.bytes.count == bytes else {
                throw TrainingError.invalidCheckpoint(
                    "a tensor of shape \(Self.shown(entry.shape)) holds \(entry.bytes.count) bytes, not \(bytes)")
            }
            let scalars = entry.bytes.withUnsafeBytes { raw in Array(raw.bindMemory(to: Float.self)) }
            return try Tensor(shape: entry.shape, scalars: scalars)
        }
    }

    /// A shape as an error shows it: a damaged checkpoint's million-entry shape is cut.
    static func shown(_ shape: [Int]) -> String {
        shape.count > 8 ? "[" + shape.prefix(8).map(String.init).joined(separator: ", ") + ", … (\(shape.count) dimensions)]" : "\(shape)"
    }
}
