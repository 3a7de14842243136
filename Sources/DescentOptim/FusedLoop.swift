import DescentTensor

/// Runs a fused kernel over a tensor's elements, split across the cores when the tensor is large.
enum FusedLoop {
    /// Tensors smaller than this run on the calling thread (thread start-up costs more than it saves).
    static let parallelThreshold = 1 << 16

    static func run(count: Int, _ body: (Range<Int>) -> Void) {
        Parallel.forEachChunk(count: count, threshold: parallelThreshold, body)
    }
}
