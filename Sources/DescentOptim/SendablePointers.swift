import Foundation

/// A raw pointer shared with the workers of a parallel loop that touch disjoint ranges.
struct SendableFloatPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>?
    init(_ pointer: UnsafeMutablePointer<Float>?) { self.pointer = pointer }
    init(_ pointer: UnsafePointer<Float>?) { self.pointer = pointer.map { UnsafeMutablePointer(mutating: $0) } }
    /// The address of element `offset` (nil stays nil).
    func advanced(by offset: Int) -> UnsafeMutablePointer<Float>? { pointer.map { $0 + offset } }
}

/// A flag cleared by any worker of a parallel loop.
final class FiniteFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = true
    func clear() { lock.lock(); flag = false; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}

/// Per-worker partial sums of a parallel reduction, added in worker order (deterministic).
final class PartialSums: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double]
    init(count: Int) { values = [Double](repeating: 0, count: max(1, count)) }
    func add(_ value: Double, at index: Int) {
        lock.lock()
        values[min(index, values.count - 1)] += value
        lock.unlock()
    }
    var total: Double { lock.lock(); defer { lock.unlock() }; return values.reduce(0, +) }
}
