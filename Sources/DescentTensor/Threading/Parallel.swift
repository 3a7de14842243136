import Dispatch
import Foundation

/// Splits loops over many elements across the machine's cores.
public enum Parallel {
    /// Number of workers the parallel loops use (defaults to the active processor count).
    nonisolated(unsafe) public static var threadCount: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` on disjoint sub-ranges covering `0..<count`, in parallel when
    /// `count` is at least `threshold` elements, on the calling thread otherwise.
    ///
    /// The chunks run on `WorkerPool.shared`, the persistent threads the matrix
    /// multiply uses, so a training step's elementwise loops and products share
    /// warm workers instead of waking Dispatch threads each time. Threads take
    /// chunks (up to 4 per thread) from a shared counter and the caller never
    /// waits for a worker that has not started, which keeps the loop fast on a
    /// machine busy with other processes. Called from inside another parallel
    /// loop, it runs on the calling thread.
    public static func forEachChunk(count: Int, threshold: Int = 1 << 15, _ body: (Range<Int>) -> Void) {
        let workers = threadCount
        guard count >= threshold, workers > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        // Chunks from shared tickets, so a worker that the OS delays takes fewer.
        let chunks = min(4 * workers, max(workers, count / 4096))
        WorkerPool.shared.run(threads: workers, mode: .whoeverComes) { _, team in
            guard team.threads > 1 else { return body(0..<count) }
            while true {
                let ticket = team.nextTicket()
                if ticket >= chunks { break }
                body(team.share(of: count, part: ticket, parts: chunks))
            }
        }
    }
}
