import CDescentElementwise
import Foundation

/// Whether every element is finite (no NaN, no ±∞), checked once per value.
///
/// A tensor's elements never change while it is shared (copy-on-write), so the answer is
/// remembered with the buffer and a second question costs nothing; an in-place write
/// (`withUnsafeMutableBufferPointer`) forgets it. The backward passes of `affine` and `conv2d`
/// ask it of the weight gradients they have just written, while those are still in cache, so
/// that the optimizer's finite-gradient check (`Optimizer.checksFiniteGradients`) reads no
/// gradient from memory again — the check folded into the pass that writes the gradient.
///
/// ```swift
/// Tensor([1, 2, 3]).isFinite              // true
/// Tensor([1, .nan]).isFinite              // false
/// ```
extension Tensor {
    public var isFinite: Bool {
        if storage.isKnownFinite { return true }
        let base = SendablePointer(storage.pointer)
        let flag = FinitenessFlag()
        Parallel.forEachChunk(count: count, threshold: 1 << 18) { range in
            if descent_all_finite_values(base.pointer + range.lowerBound, range.count) == 0 { flag.clear() }
        }
        let finite = flag.value
        if finite { storage.isKnownFinite = true }
        return finite
    }

    /// Writes through `body`, which returns whether every element is finite, having checked them as it wrote them
    /// (while they were in cache); when it says so, `isFinite` answers without reading them again. The check fused
    /// into the pass that writes, as the backward passes of `affine` and `conv2d` do: for the data-parallel sum of
    /// the gradients, which the optimizer's finite-gradient check would otherwise read once more.
    package mutating func writeRecordingFiniteness(_ body: (UnsafeMutableBufferPointer<Float>) throws -> Bool)
        rethrows {
        if try withUnsafeMutableBufferPointer(body) { storage.isKnownFinite = true }
    }

    /// Checks `isFinite` now (while the buffer is in cache) and returns the tensor.
    func checkedForFiniteness() -> Tensor {
        _ = isFinite
        return self
    }
}

/// A flag cleared by any worker of a parallel loop.
final class FinitenessFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = true
    func clear() { lock.lock(); flag = false; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}
