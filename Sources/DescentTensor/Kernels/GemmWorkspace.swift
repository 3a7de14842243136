import Foundation

/// Packing buffers for one GEMM: two A blocks and two B panels (double-buffered so
/// that threads meet at one barrier per block), 64-byte aligned.
///
/// One workspace is cached between calls so that a training loop's thousands of
/// small products do not allocate; a call that finds it taken (a concurrent
/// caller) allocates its own.
final class GemmWorkspace: @unchecked Sendable {
    private(set) var capacity: Int
    private(set) var storage: UnsafeMutablePointer<Float>

    private init(capacity: Int) {
        self.capacity = capacity
        storage = GemmWorkspace.allocate(capacity)
    }

    deinit { storage.deallocate() }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: GemmWorkspace?

    /// A workspace with room for at least `count` floats.
    static func take(count: Int) -> GemmWorkspace {
        lock.lock()
        let workspace = cached
        cached = nil
        lock.unlock()
        guard let workspace else { return GemmWorkspace(capacity: count) }
        if workspace.capacity < count {
            workspace.storage.deallocate()
            workspace.storage = allocate(count)
            workspace.capacity = count
        }
        return workspace
    }

    /// Returns a workspace to the cache (keeping the larger of two).
    static func giveBack(_ workspace: GemmWorkspace) {
        lock.lock()
        if cached == nil || cached!.capacity < workspace.capacity { cached = workspace }
        lock.unlock()
    }
}
