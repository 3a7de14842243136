import DescentData
import DescentDistributed
import DescentNN
import DescentTensor
import Foundation

/// One step of data-parallel training: each process computes the gradient of its shard of the
/// global minibatch, and the gradient sums, the loss sums, the example counts and the stop
/// requests are all-reduced, so every process ends the step with the same averaged gradient
///
///     g = Σ_ranks (n_r · ḡ_r) / Σ_ranks n_r,        loss = Σ_ranks (n_r · ℓ̄_r) / Σ_ranks n_r
///
/// (ḡ_r, ℓ̄_r: the mean gradient and loss of rank r's n_r examples) — the gradient of the whole
/// global batch, as one process would compute it, also for an uneven last batch whose shards
/// differ in size or are empty. The global batch is `batchSize × size` rows of the epoch's seeded
/// order; rank r takes rows ⌊r·n/N⌋ ..< ⌊(r+1)·n/N⌋ of it.
///
/// The gradients travel in buckets of at most `bucketElements` floats, packed in the order of
/// the parameters' names (the same on every process), so a model of many small tensors costs a
/// few all-reduces, not one per tensor (PyTorch DDP's gradient buckets, Li et al. 2020).
///
/// ```swift
/// // global batch of 10 rows on 4 processes: shards of 2, 3, 2 and 3 rows
/// DataParallelStep.shard(of: 0..<10, rank: 1, size: 4)   // 2..<5
/// ```
struct DataParallelStep {
    let communicator: any Communicator
    /// The trainable parameters by sorted name, with their offsets in the packed gradient.
    let layout: [(name: String, shape: [Int], offset: Int, count: Int)]
    let totalCount: Int
    var buffer: [Float]
    static let bucketElements = 1 << 20
    /// Seconds spent in the all-reduces (the communication's share of a step).
    var communicationSeconds = 0.0

    init(communicator: any Communicator, trainable: [(name: String, parameter: Parameter)]) {
        self.communicator = communicator
        var layout: [(name: String, shape: [Int], offset: Int, count: Int)] = []
        var offset = 0
        for (name, parameter) in trainable.sorted(by: { $0.name < $1.name }) {
            let count = parameter.value.count
            layout.append((name, parameter.value.shape, offset, count))
            offset += count
        }
        self.layout = layout
        totalCount = offset
        buffer = [Float](repeating: 0, count: offset)
    }

    /// Rows `⌊rank·n/size⌋ ..< ⌊(rank+1)·n/size⌋` of a batch's `rows`.
    static func shard(of rows: Range<Int>, rank: Int, size: Int) -> Range<Int> {
        let count = rows.count
        return (rows.lowerBound + rank * count / size)..<(rows.lowerBound + (rank + 1) * count / size)
    }

    /// The global batch's loss and averaged gradient, and whether any process asked to stop.
    /// - Parameters:
    ///   - shard: this process's rows of the global batch (possibly none).
    ///   - localGradientNormSquared: set to |ḡ_r|², the squared norm of this process's own mean gradient
    ///     (0 for an empty shard), for the gradient noise scale.
    mutating func run(model: some Module, trainable: [(name: String, parameter: Parameter)], objective: Objective,
                      shard: Dataset?, stopRequested: Bool) throws
        -> (loss: Double, gradients: [String: Tensor], stop: Bool, meanLocalNormSquared: Double, globalNormSquared: Double,
            globalCount: Int) {
        var lossSum = 0.0
        var localCount = 0
        var localNormSquared = 0.0
        if let shard, shard.count > 0 {
            localCount = shard.count
            let (loss, gradients) = try valueWithGradient(at: model, parameters: trainable) { model in
                try objective.loss(model(shard.features), shard.targets)
            }
            lossSum = Double(loss.item) * Double(localCount)
            let weight = Float(localCount)
            buffer.withUnsafeMutableBufferPointer { packed in
                for entry in layout {
                    guard let gradient = gradients[entry.name] else {
                        for index in entry.offset..<(entry.offset + entry.count) { packed[index] = 0 }
                        continue
                    }
                    gradient.withUnsafeBufferPointer { values in
                        for index in 0..<entry.count {
                            let value = values[index]
                            localNormSquared += Double(value) * Double(value)
                            packed[entry.offset + index] = value * weight
                        }
                    }
                }
            }
        } else {
            for index in buffer.indices { buffer[index] = 0 }
        }
        let started = DispatchTime.now().uptimeNanoseconds
        var scalars = [lossSum, Double(localCount), stopRequested ? 1 : 0, localNormSquared]
        try communicator.allReduce(&scalars, .sum)
        let size = buffer.count
        try buffer.withUnsafeMutableBufferPointer { packed in
            var start = 0
            while start < size {
                let end = Swift.min(size, start + Self.bucketElements)
                try communicator.allReduce(UnsafeMutableBufferPointer(rebasing: packed[start..<end]), .sum)
                start = end
            }
        }
        communicationSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let globalCount = Int(scalars[1].rounded())
        let scale = 1 / Float(Swift.max(globalCount, 1))
        var gradients: [String: Tensor] = [:]
        gradients.reserveCapacity(layout.count)
        var globalNormSquared = 0.0
        for entry in layout {
            var tensor = try Tensor.zeros(entry.shape)
            buffer.withUnsafeBufferPointer { packed in
                tensor.withUnsafeMutableBufferPointer { values in
                    for index in 0..<entry.count {
                        let value = packed[entry.offset + index] * scale
                        values[index] = value
                        globalNormSquared += Double(value) * Double(value)
                    }
                }
            }
            gradients[entry.name] = tensor
        }
        return (scalars[0] / Double(Swift.max(globalCount, 1)), gradients, scalars[2] > 0,
                scalars[3] / Double(communicator.size), globalNormSquared, globalCount)
    }
}

extension Communicator {
    /// Makes every process's copy of `tensors` equal to rank 0's (in the order of their names).
    func broadcastTensors(_ tensors: [String: Tensor]) throws -> [String: Tensor] {
        guard size > 1 else { return tensors }
        let names = tensors.keys.sorted()
        var packed: [Float] = []
        packed.reserveCapacity(names.reduce(0) { $0 + (tensors[$1]?.count ?? 0) })
        for name in names { tensors[name]?.withUnsafeBufferPointer { packed.append(contentsOf: $0) } }
        try packed.withUnsafeMutableBytes { try broadcast($0, from: 0) }
        var result: [String: Tensor] = [:]
        var offset = 0
        for name in names {
            guard let tensor = tensors[name] else { continue }
            result[name] = try Tensor(shape: tensor.shape, scalars: Array(packed[offset..<(offset + tensor.count)]))
            offset += tensor.count
        }
        return result
    }
}
