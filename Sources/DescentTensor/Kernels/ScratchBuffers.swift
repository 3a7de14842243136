import Foundation

/// Reusable 64-byte aligned Float buffers for the temporaries of one operation (the im2col
/// columns of a convolution, its product before the scatter into NCHW), so that the thousands
/// of steps of a training loop do not allocate and zero them each time.
///
/// `with(counts:)` lends one buffer per requested count (uninitialised: the caller writes
/// before it reads) and takes them back afterwards. Up to `cachedLimit` buffers wait between
/// calls; a concurrent caller that finds none free allocates its own.
///
/// ```swift
/// ScratchBuffers.with(counts: [9 * 4096, 16 * 4096]) { buffers in
///     // buffers[0]: columns, buffers[1]: product
/// }
/// ```
enum ScratchBuffers {
    final class Buffer: @unchecked Sendable {
        let capacity: Int
        let pointer: UnsafeMutablePointer<Float>
        init(capacity: Int) {
            self.capacity = capacity
            pointer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(capacity, 1) * MemoryLayout<Float>.stride, alignment: 64)
                .bindMemory(to: Float.self, capacity: Swift.max(capacity, 1))
        }
        deinit { pointer.deallocate() }
    }

    static let cachedLimit = 8
    private static let lock = NSLock()
    nonisolated(unsafe) private static var free: [Buffer] = []

    static func with<R>(counts: [Int], _ body: ([UnsafeMutablePointer<Float>]) throws -> R) rethrows -> R {
        var taken: [Buffer] = []
        taken.reserveCapacity(counts.count)
        lock.lock()
        for count in counts {
            // The smallest free buffer that fits.
            var best: Int?
            for (index, buffer) in free.enumerated() where buffer.capacity >= count {
                if best == nil || buffer.capacity < free[best!].capacity { best = index }
            }
            if let best { taken.append(free.remove(at: best)) } else { taken.append(Buffer(capacity: count)) }
        }
        lock.unlock()
        defer {
            lock.lock()
            free.append(contentsOf: taken)
            if free.count > cachedLimit {
                free.sort { $0.capacity > $1.capacity }
                free.removeLast(free.count - cachedLimit)
            }
            lock.unlock()
        }
        return try body(taken.map(\.pointer))
    }
}
