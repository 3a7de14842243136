/// A raw pointer that may cross into the worker threads of a parallel loop.
///
/// Swift 6 rejects raw pointers captured by the closures that `Parallel.forEachChunk` runs on
/// other threads. The loops that share one (the tensor kernels, the optimizers' fused loops,
/// gradient clipping's sum of squares) read, or write disjoint ranges, so sharing the address
/// is safe; this type is the one place that says so, for every module.
///
/// A buffer's base address may be nil when the buffer is empty: the initialisers that take a
/// buffer return nil then, so a loop that never runs never touches the address.
///
/// ```swift
/// var values: [Float] = [1, 2, 3, 4]
/// values.withUnsafeMutableBufferPointer { buffer in
///     let shared = SendablePointer(buffer)                      // nil only for an empty buffer
///     Parallel.forEachChunk(count: buffer.count, threshold: 1) { range in
///         for index in range { shared!.pointer[index] *= 2 }    // values becomes [2, 4, 6, 8]
///     }
/// }
/// ```
public struct SendablePointer<Pointee>: @unchecked Sendable {
    /// The shared address.
    public let pointer: UnsafeMutablePointer<Pointee>

    public init(_ pointer: UnsafeMutablePointer<Pointee>) { self.pointer = pointer }

    /// Shares a read-only address (the loops only read through it).
    public init(_ pointer: UnsafePointer<Pointee>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }

    /// The address of a buffer's first element; nil when the buffer has none.
    public init?(_ buffer: UnsafeMutableBufferPointer<Pointee>) {
        guard let base = buffer.baseAddress else { return nil }
        self.init(base)
    }

    /// The address of a read-only buffer's first element; nil when the buffer has none.
    public init?(_ buffer: UnsafeBufferPointer<Pointee>) {
        guard let base = buffer.baseAddress else { return nil }
        self.init(base)
    }

    /// The address of element `offset`, e.g. the first element of a worker's range.
    public func advanced(by offset: Int) -> UnsafeMutablePointer<Pointee> { pointer + offset }
}
