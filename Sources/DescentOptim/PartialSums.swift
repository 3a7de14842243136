import Foundation

/// Per-worker partial sums of a parallel reduction, added in worker order, so the total does not
/// depend on which thread finished first (deterministic).
///
/// ```swift
/// let partials = PartialSums(count: 2)
/// partials.add(1.5, at: 1); partials.add(2, at: 0)
/// partials.total   // 3.5: slot 0 (2) + slot 1 (1.5)
/// ```
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
