import DescentData
import DescentDistributed
import DescentNN
import DescentTensor
import Foundation

/// One step of data-parallel training: each process computes the gradient of its shard of the
/// global minibatch, and the gradient sums, the loss sums, the example counts and the stop
/// requests are all-reduced, so every process ends the step with the same averaged gradient
///
///     g = Σ_ranks (W_r · ḡ_r) / Σ_ranks W_r,        loss = Σ_ranks (W_r · ℓ̄_r) / Σ_ranks W_r
///
/// (ḡ_r, ℓ̄_r: the mean gradient and loss of rank r's n_r examples; W_r = n_r, or with class weights
/// w the sum Σᵢ w_{yᵢ} over those examples, the denominator of PyTorch's weighted mean) — the
/// gradient of the whole global batch, as one process would compute it, also for an uneven last
/// batch whose shards differ in size or are empty. The global batch is `batchSize × size` rows of
/// the epoch's seeded order; rank r takes rows ⌊r·n/N⌋ ..< ⌊(r+1)·n/N⌋ of it.
///
/// Each process's share W_r / Σ W is known before anything travels (every process has the data and
/// the epoch's order), so each scales its own gradient by it and the all-reduce's sum is the answer.
///
/// **On one machine, a shared window** (`reduction == .sharedWindow`, the default when every process is on
/// this machine): each process streams its scaled gradients, loss, stop request and |ḡ_r|² into its part of
/// an MPI-3 shared window, all synchronise once, and each adds the parts in rank order into its gradient
/// tensors (`reduceThroughWindow`; its own part read from the tensor, still in cache, and scaled again): the same
/// bits on every process, no messages. The sum also checks every element finite, so the optimizer's finite-gradient
/// check reads nothing again (`Tensor.writeRecordingFiniteness`). The write and the sum are C kernels in AVX-512, AVX2
/// or baseline form, chosen at run time (`SharedMemoryWindow.store`, `.sumInRankOrder`). Measured on 2 cores: the
/// transfer (write + sum) 0.09–0.12 ms a step against 0.2–0.6 ms for the `MPI_Allreduce` way below (which without the
/// single-copy transport, as in Docker, costs 0.63 ms for the sum alone against the window's 0.18–0.20).
///
/// **Across machines, few collectives, few copies.** Gradients of at least `inPlaceElements` floats are all-reduced in
/// their own tensor (scaled in place: no copy in or out); the smaller ones are packed, in the order of
/// the parameters' names (the same on every process), into one buffer whose tail holds the loss, the
/// stop request and |ḡ_r|², all-reduced by one call. The 784-256-10 MLP takes 2 calls a step (its first
/// weight, then the rest). All are blocking `MPI_Allreduce`s (`MPICommunicator.WaitPolicy`).
/// Measured on 2 cores (203,530 floats, `descent bench train --workload mlp-mnist --profile`): packing
/// every gradient into one buffer and back out cost 0.20 ms a step against 0.08 ms in place, and the
/// all-reduce 0.16–0.45 ms either way; one all-reduce of 800 KB alone 0.11–0.17 ms warm, 0.27 ms with
/// cold caches; as `MPI_Iallreduce` tested in a loop 1.2–1.3 ms (Open MPI's non-blocking collectives
/// progress only inside `MPI_Test`). Overlapping the all-reduce with the backward pass does not pay here:
/// this model's largest gradient (the first layer's) is final last, and even the whole all-reduce
/// overlapped with 1.3 ms of compute on both cores took 1.80–1.92 ms a step against 1.61–1.83 ms for
/// compute then `MPI_Allreduce` (the cores that compute are the ones that must move the bytes).
///
/// ```swift
/// // global batch of 10 rows on 4 processes: shards of 2, 3, 2 and 3 rows
/// DataParallelStep.shard(of: 0..<10, rank: 1, size: 4)   // 2..<5
/// ```
final class DataParallelStep {
    let communicator: any Communicator
    /// The trainable parameters by sorted name: those all-reduced in place (`inPlace`), and the others with
    /// their offsets in the packed buffer.
    let layout: [(name: String, shape: [Int], offset: Int, count: Int, inPlace: Bool)]
    /// The floats of the packed gradients; the `Tail` numbers follow them in `buffer`.
    let packedCount: Int
    var buffer: [Float]
    /// With a barrier before the all-reduce, so `StepTimes.wait` holds the wait for the slowest process.
    let separatesWait: Bool
    /// Gradients of at least this many floats (65,536) are all-reduced in their own tensor (no copy in or
    /// out); smaller ones travel together in `buffer`, with the step's loss, stop request and norm. For
    /// measurements, `DESCENT_ALLREDUCE_IN_PLACE=N` (1 ... 2³¹) sets it: a number above the largest
    /// gradient packs everything into one all-reduce.
    static let inPlaceElements: Int = {
        if let text = ProcessInfo.processInfo.environment["DESCENT_ALLREDUCE_IN_PLACE"], let value = Int(text),
           (1...(1 << 31)).contains(value) { return value }
        return 1 << 16
    }()

    /// The numbers after the packed gradients in the all-reduced buffer, by offset from `packedCount`.
    enum Tail: Int, CaseIterable {
        case loss, stop, localNormSquared
    }

    /// How this step sums the gradients: through a shared-memory window when every process is on this machine
    /// (unless `DESCENT_MPI_REDUCE=allreduce` or `reduction` says otherwise), else with `MPI_Allreduce`.
    let reduction: GradientReduction
    /// The shared window, the floats of each of its two halves (generations) in a process's part, and the next
    /// step's generation (0 or 1: a process writes one half while a slower one may still read the other, so one
    /// synchronisation a step is enough). The halves and the generation are the window's, not this object's: the
    /// window outlives a run (MPI keeps it), and a process that starts the next run (an automatic rate's race) may
    /// be ahead of one still reading the last step of the previous, with only a broadcast, which does not wait,
    /// in between.
    private var window: SharedMemoryWindow?
    private let windowStride: Int
    nonisolated(unsafe) private static var generation = 0

    init(communicator: any Communicator, trainable: [(name: String, parameter: Parameter)], separatesWait: Bool = false,
         reduction requested: GradientReduction = .requested()) throws {
        self.communicator = communicator
        self.separatesWait = separatesWait
        let sorted = trainable.sorted(by: { $0.name < $1.name })
        // Packed floats of every gradient and the tail, rounded up to 64 bytes, twice (two generations).
        let total = sorted.reduce(0) { $0 + $1.parameter.value.count }
        let needed = (total + Tail.allCases.count + 15) / 16 * 16
        if requested == .sharedWindow, communicator.size > 1,
           let window = try communicator.sharedMemoryWindow(bytesPerProcess: 2 * needed * MemoryLayout<Float>.stride) {
            self.window = window
            windowStride = window.bytesPerProcess / (2 * MemoryLayout<Float>.stride) / 16 * 16   // ≥ needed
            reduction = .sharedWindow
        } else {
            windowStride = needed
            reduction = .allReduce
        }
        var layout: [(name: String, shape: [Int], offset: Int, count: Int, inPlace: Bool)] = []
        var offset = 0
        for (name, parameter) in sorted {
            let count = parameter.value.count
            // Through the window every gradient is packed (it must be copied into the window anyway).
            let inPlace = window == nil && count >= Self.inPlaceElements
            layout.append((name, parameter.value.shape, inPlace ? 0 : offset, count, inPlace))
            if !inPlace { offset += count }
        }
        self.layout = layout
        packedCount = offset
        buffer = [Float](repeating: 0, count: window == nil ? offset + Tail.allCases.count : 0)
    }

    /// Rows `⌊rank·n/size⌋ ..< ⌊(rank+1)·n/size⌋` of a batch's `rows`.
    static func shard(of rows: Range<Int>, rank: Int, size: Int) -> Range<Int> {
        let count = rows.count
        return (rows.lowerBound + rank * count / size)..<(rows.lowerBound + (rank + 1) * count / size)
    }

    /// The denominator of each process's mean loss over its shard of `rows`: the shard's example count, or with
    /// class weights w the sum Σᵢ w_{yᵢ} over it. Every process has the data and the order, so each computes
    /// them all, and nothing but the gradients and the loss has to travel.
    static func shardWeights(of rows: ArraySlice<Int>, in training: Dataset, classWeights: Tensor?, size: Int) -> [Double] {
        (0..<size).map { rank in
            let shard = Self.shard(of: 0..<rows.count, rank: rank, size: size)
            guard let classWeights, case let .classes(labels, _) = training.targets else { return Double(shard.count) }
            return classWeights.withUnsafeBufferPointer { weights in
                shard.reduce(0.0) { $0 + Double(weights[labels[rows[rows.startIndex + $1]]]) }
            }
        }
    }

    /// The global batch's loss and averaged gradient, and whether any process asked to stop.
    /// - Parameters:
    ///   - rows: the global batch, rows of `training` (this process takes its shard of them).
    ///   - classWeights: per-class weights of the loss (`TrainingConfiguration.classWeights`), or nil.
    ///   - times: where the phases' seconds are added.
    /// - Returns: also |ḡ_r|² averaged over the processes (`meanLocalNormSquared`) and |g|² of the averaged
    ///   gradient (`globalNormSquared`), for the gradient noise scale.
    func run(model: some Module, trainable: [(name: String, parameter: Parameter)], objective: Objective,
             classWeights: Tensor?, training: Dataset, rows: ArraySlice<Int>, stopRequested: Bool, times: inout StepTimes) throws
        -> (loss: Double, gradients: [String: Tensor], stop: Bool, meanLocalNormSquared: Double, globalNormSquared: Double,
            globalCount: Int) {
        var clock = monotonicNanoseconds()
        let range = Self.shard(of: 0..<rows.count, rank: communicator.rank, size: communicator.size)
        let shard = range.isEmpty ? nil : training.subset(Array(rows[(rows.startIndex + range.lowerBound)..<(rows.startIndex + range.upperBound)]))
        let weights = Self.shardWeights(of: rows, in: training, classWeights: classWeights, size: communicator.size)
        let totalWeight = weights.reduce(0, +)
        // This process's share of the global mean: W_r / Σ W.
        let share = totalWeight > 0 ? weights[communicator.rank] / totalWeight : 0
        var now = monotonicNanoseconds()
        times.batch += seconds(from: clock, to: now)
        clock = now

        var lossShare = 0.0
        var gradients: [String: Tensor] = [:]
        if let shard {
            var forwardEnd = clock
            let (loss, computed) = try valueWithGradient(at: model, parameters: trainable) { model in
                defer { forwardEnd = monotonicNanoseconds() }
                return try objective.loss(model(shard.features), shard.targets, classWeights: classWeights)
            }
            lossShare = Double(loss.item) * share
            gradients = computed
            now = monotonicNanoseconds()
            times.forward += seconds(from: clock, to: forwardEnd)
            times.backward += seconds(from: forwardEnd, to: now)
            clock = now
        }
        if let window {
            // The dictionary handed over (inout), so that each gradient tensor has one owner and the sum writes into it in
            // place (a second reference would make that write copy 800 KB first, copy-on-write).
            return try reduceThroughWindow(window, gradients: &gradients, share: share, lossShare: lossShare,
                                           stopRequested: stopRequested, globalCount: rows.count, clock: clock, times: &times)
        }
        // Scale each gradient by the share (in place, or into the packed buffer), measuring |ḡ_r|² on the way.
        var localNormSquared = 0.0
        let factor = Float(share)
        var result: [String: Tensor] = [:]
        result.reserveCapacity(layout.count)
        try buffer.withUnsafeMutableBufferPointer { packed in
            guard let base = packed.baseAddress else { return }
            for entry in layout {
                guard var gradient = gradients.removeValue(forKey: entry.name) else {
                    if entry.inPlace { result[entry.name] = try Tensor.zeros(entry.shape) }
                    else { (base + entry.offset).update(repeating: 0, count: entry.count) }
                    continue
                }
                if entry.inPlace {
                    gradient.withUnsafeMutableBufferPointer { values in
                        guard let pointer = values.baseAddress else { return }
                        localNormSquared += scaledCopy(UnsafeBufferPointer(values), into: pointer, factor: factor)
                    }
                    result[entry.name] = gradient
                } else {
                    gradient.withUnsafeBufferPointer { values in
                        localNormSquared += scaledCopy(values, into: base + entry.offset, factor: factor)
                    }
                }
            }
        }
        let tail = packedCount
        buffer[tail + Tail.loss.rawValue] = Float(lossShare)
        buffer[tail + Tail.stop.rawValue] = stopRequested ? 1 : 0
        buffer[tail + Tail.localNormSquared.rawValue] = Float(localNormSquared)
        now = monotonicNanoseconds()
        times.pack += seconds(from: clock, to: now)
        clock = now

        if separatesWait {
            try communicator.barrier()
            now = monotonicNanoseconds()
            times.wait += seconds(from: clock, to: now)
            clock = now
        }
        // One all-reduce for the packed buffer (small gradients, loss, stop, norm), one per large gradient.
        try buffer.withUnsafeMutableBufferPointer { try communicator.allReduce($0, .sum) }
        for entry in layout where entry.inPlace {
            try result[entry.name]?.withUnsafeMutableBufferPointer { try communicator.allReduce($0, .sum) }
        }
        now = monotonicNanoseconds()
        times.allReduce += seconds(from: clock, to: now)
        clock = now

        var globalNormSquared = 0.0
        try buffer.withUnsafeBufferPointer { packed in
            guard let base = packed.baseAddress else { return }
            for entry in layout {
                if entry.inPlace {
                    globalNormSquared += result[entry.name]?.withUnsafeBufferPointer { squaredSum($0) } ?? 0
                    continue
                }
                var tensor = try Tensor.zeros(entry.shape)
                tensor.withUnsafeMutableBufferPointer { values in
                    guard let target = values.baseAddress else { return }
                    globalNormSquared += scaledCopy(UnsafeBufferPointer(start: base + entry.offset, count: entry.count),
                                                    into: target, factor: 1)
                }
                result[entry.name] = tensor
            }
        }
        now = monotonicNanoseconds()
        times.unpack += seconds(from: clock, to: now)
        return (Double(buffer[tail + Tail.loss.rawValue]), result, buffer[tail + Tail.stop.rawValue] > 0,
                Double(buffer[tail + Tail.localNormSquared.rawValue]) / Double(communicator.size), globalNormSquared, rows.count)
    }

    /// The reduction through the shared window: this process writes W_r/ΣW · ḡ_r (and its loss, stop request and
    /// |ḡ_r|²) into its part, all synchronise once, and each adds every part in rank order into its own gradient
    /// tensors (the same additions in the same order on every process: the same bits), |g|² on the way.
    /// Phases: `pack` the write, `wait` the synchronisation (mostly the wait for the slowest process), `allReduce`
    /// the sum.
    private func reduceThroughWindow(_ window: SharedMemoryWindow, gradients: inout [String: Tensor], share: Double, lossShare: Double,
                                     stopRequested: Bool, globalCount: Int, clock start: UInt64, times: inout StepTimes) throws
        -> (loss: Double, gradients: [String: Tensor], stop: Bool, meanLocalNormSquared: Double, globalNormSquared: Double,
            globalCount: Int) {
        var clock = start
        let parts = window.parts.map { $0.assumingMemoryBound(to: Float.self) + Self.generation * windowStride }
        Self.generation ^= 1
        let own = parts[communicator.rank]
        let factor = Float(share)
        var localNormSquared = 0.0
        // Each gradient scaled and streamed into this process's part (zeros for an empty shard).
        for entry in layout {
            if let gradient = gradients[entry.name] {
                gradient.withUnsafeBufferPointer { values in
                    localNormSquared += SharedMemoryWindow.store(values, scaledBy: factor, into: own + entry.offset)
                }
            } else {
                (own + entry.offset).update(repeating: 0, count: entry.count)
            }
        }
        let tail = packedCount
        own[tail + Tail.loss.rawValue] = Float(lossShare)
        own[tail + Tail.stop.rawValue] = stopRequested ? 1 : 0
        own[tail + Tail.localNormSquared.rawValue] = Float(localNormSquared)
        var now = monotonicNanoseconds()
        times.pack += seconds(from: clock, to: now)
        clock = now

        try window.synchronize()
        now = monotonicNanoseconds()
        times.wait += seconds(from: clock, to: now)
        clock = now

        var globalNormSquared = 0.0
        var result: [String: Tensor] = [:]
        result.reserveCapacity(layout.count)
        let rank = communicator.rank
        var sources = parts.map { UnsafePointer($0) }
        var scales = [Float](repeating: 1, count: parts.count)
        for entry in layout {
            // Into the tensor the backward pass made. Its own part is read from that tensor (still in this core's
            // cache from the write) and scaled again, the same product as the one written: the same bits, and half
            // the reads from memory (the sum 0.10–0.15 ms a step against 0.13–0.22 reading it from the window, 2 cores).
            // With a second reference to the tensor (the caller's dictionary, or a binding kept for later) the write
            // below copied its 800 KB first (copy-on-write): the sum 0.10–0.17 ms a step with the copy, 0.053–0.069
            // without, in the same runs.
            // Moved out of the dictionary and bound to nothing else: the tensor's only reference, written in place.
            let ownComputed = gradients[entry.name] != nil
            var tensor = try gradients.removeValue(forKey: entry.name) ?? Tensor.zeros(entry.shape)
            // The sum's pass also checks every element finite, so the optimizer's check reads nothing again.
            tensor.writeRecordingFiniteness({ values in
                guard let target = values.baseAddress else { return true }
                for part in parts.indices { sources[part] = UnsafePointer(parts[part] + entry.offset) }
                if ownComputed {
                    sources[rank] = UnsafePointer(target)
                    scales[rank] = factor
                } else {
                    scales[rank] = 1
                }
                let (normSquared, finite) = sumInRankOrder(sources, scaledBy: scales, count: entry.count, into: target)
                globalNormSquared += normSquared
                return finite
            })
            result[entry.name] = tensor
        }
        func tailSum(_ item: Tail) -> Float { parts.reduce(Float(0)) { $0 + $1[tail + item.rawValue] } }
        let loss = tailSum(.loss), stop = tailSum(.stop), normSquared = tailSum(.localNormSquared)
        now = monotonicNanoseconds()
        times.allReduce += seconds(from: clock, to: now)
        return (Double(loss), result, stop > 0, Double(normSquared) / Double(communicator.size), globalNormSquared, globalCount)
    }
}

/// Writes Σ_k sources[k][i] × scales[k] (k in rank order: the same additions on every process; a scale of 1 is exact)
/// to `target[i]` (which may be one of the sources) and returns Σ target[i]² and whether every target[i] is finite:
/// `SharedMemoryWindow.sumInRankOrder`, a C kernel in AVX-512, AVX2 or baseline form. Swift's SIMD8 on the default
/// x86-64 target is SSE: this sum in Swift took 0.117–0.139 ms a step in the 784-256-10 MLP, the kernel (AVX-512)
/// 0.085–0.104 ms, in the same runs (2 processes, `bench train --profile`, load 3–5, `chrt`).
func sumInRankOrder(_ sources: [UnsafePointer<Float>], scaledBy scales: [Float], count: Int,
                    into target: UnsafeMutablePointer<Float>, level: Int? = nil) -> (normSquared: Double, finite: Bool) {
    SharedMemoryWindow.sumInRankOrder(sources, scaledBy: scales, count: count, into: target, level: level)
}

/// Σ values[i]², in eight Float lanes within blocks of 1,024 and in Double across blocks.
private func squaredSum(_ values: UnsafeBufferPointer<Float>) -> Double {
    guard let source = values.baseAddress else { return 0 }
    let bytes = UnsafeRawPointer(source)
    let stride = MemoryLayout<Float>.stride
    var total = 0.0
    var start = 0
    while start < values.count {
        let end = Swift.min(values.count, start + 1024)
        var lanes = SIMD8<Float>()
        var index = start
        while index + 8 <= end {
            let value = bytes.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
            lanes += value * value
            index += 8
        }
        var block = lanes.sum()
        while index < end {
            block += source[index] * source[index]
            index += 1
        }
        total += Double(block)
        start = end
    }
    return total
}

/// Writes `factor × values[i]` to `target[i]` (which may be `values` itself) and returns Σ values[i]², summed in
/// eight Float lanes within blocks of 1,024 and in Double across blocks.
@inline(__always)
private func scaledCopy(_ values: UnsafeBufferPointer<Float>, into target: UnsafeMutablePointer<Float>, factor: Float) -> Double {
    guard let source = values.baseAddress else { return 0 }
    let count = values.count
    let sourceBytes = UnsafeRawPointer(source)
    let targetBytes = UnsafeMutableRawPointer(target)
    let stride = MemoryLayout<Float>.stride
    var total = 0.0
    var start = 0
    while start < count {
        let end = Swift.min(count, start + 1024)
        var lanes = SIMD8<Float>()
        var index = start
        while index + 8 <= end {
            let value = sourceBytes.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
            let scaled = value * factor
            targetBytes.storeBytes(of: scaled, toByteOffset: index * stride, as: SIMD8<Float>.self)
            lanes += value * value
            index += 8
        }
        var block = lanes.sum()
        while index < end {
            let value = source[index]
            target[index] = value * factor
            block += value * value
            index += 1
        }
        total += Double(block)
        start = end
    }
    return total
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
