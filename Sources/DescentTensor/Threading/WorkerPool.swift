import CDescentKernels
import Foundation

/// A persistent pool of worker threads that run one parallel job at a time.
///
/// `run(threads:mode:_:)` calls `body(thread, team)` on the caller (thread 0)
/// and on up to `threads - 1` workers, and returns when all that started have
/// finished. Workers spin briefly after a job, so back-to-back jobs (the blocks
/// of one GEMM, a training loop's products) start in about a microsecond, then
/// sleep on a condition variable so an idle pool costs nothing. A job that
/// arrives while the pool is busy (another thread's job, or a job started from
/// inside a job) runs on its caller alone, so nesting and concurrent callers
/// are safe.
///
/// Two modes:
/// * `.everyThread`: exactly `threads` threads run the body, so they can split
///   work statically (`WorkerTeam.share(of:part:parts:)`) and wait on each other
///   through the job counters (`WorkerTeam.jobCounter(_:)`, `WorkerTeam.wait(until:reaches:)`).
/// * `.whoeverComes`: workers join only until the caller has finished its own
///   call; the body must take its work from shared tickets (`nextTicket`) so the
///   caller can do all of it. On a machine busy with other processes a worker may
///   wait milliseconds for a core; this mode never waits for one that has not
///   started.
///
///     WorkerPool.shared.run(threads: 2, mode: .everyThread) { thread, team in
///         // thread is 0 (the caller) or 1 (a worker); team.threads == 2
///     }
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    enum Mode { case everyThread, whoeverComes }

    /// Pause-loop iterations a worker spins for new work before it sleeps.
    private static let spinsBeforeSleep = 2_000
    /// Pause-loop iterations a waiting thread spins before it yields its core.
    static let spinsBeforeYield = 2_000

    private let condition = NSCondition()
    private let busy = NSLock()
    /// Shared words, each on its own 128-byte line.
    private let words: UnsafeMutablePointer<CLong>
    private var generation: UnsafeMutablePointer<CLong> { words }
    private var finished: UnsafeMutablePointer<CLong> { words + 16 }
    /// generation (bits 32...) | threads (bits 16-31) | joined workers (bits 1-15) | closed (bit 0)
    private var joinState: UnsafeMutablePointer<CLong> { words + 32 }
    fileprivate var tickets: UnsafeMutablePointer<CLong> { words + 64 }
    /// Counters a job may use for its own dependencies (zero at the start of every job).
    fileprivate var jobCounters: UnsafeMutablePointer<CLong> { words + 80 }
    static let jobCounterCount = 2

    // Written by the caller before the generation is published; read by a worker
    // only after it has joined, and the caller does not change them until every
    // joined worker has finished.
    private var job: ((Int, WorkerTeam) -> Void)?
    private var workerCount = 0   // guarded by `condition`
    private var sleepers = 0      // guarded by `condition`

    private init() {
        words = UnsafeMutablePointer<CLong>.allocate(capacity: 112)
        words.initialize(repeating: 0, count: 112)
    }

    /// Runs `body` on up to `threads` threads (one when the pool is busy) and waits
    /// for every thread that started it.
    func run(threads requested: Int, mode: Mode, _ body: (_ thread: Int, _ team: WorkerTeam) -> Void) {
        guard requested > 1, busy.try() else {
            body(0, WorkerTeam(pool: self, threads: 1))
            return
        }
        defer { busy.unlock() }
        let threads = min(requested, 1 << 14)
        startWorkers(upTo: threads - 1)
        let team = WorkerTeam(pool: self, threads: threads)
        withoutActuallyEscaping(body) { body in
            job = body
            descent_atomic_store(finished, 0)
            descent_atomic_store(tickets, 0)
            for index in 0..<WorkerPool.jobCounterCount { descent_atomic_store(jobCounters + 16 * index, 0) }
            condition.lock()
            let next = (descent_atomic_load(generation) + 1) & 0x7fff_ffff
            descent_atomic_store(joinState, (next << 32) | CLong(threads << 16))
            descent_atomic_store(generation, next)
            if sleepers > 0 { condition.broadcast() }
            condition.unlock()

            body(0, team)

            let waitFor: CLong
            switch mode {
            case .everyThread:
                waitFor = CLong(threads - 1)
            case .whoeverComes:
                // Close the job: workers that have not joined yet will not.
                waitFor = (descent_atomic_fetch_add(joinState, 1) >> 1) & 0x7fff
            }
            var spins = 0
            while descent_atomic_load(finished) < waitFor {
                spins += 1
                if spins < WorkerPool.spinsBeforeYield { descent_spin_pause() } else { descent_thread_yield() }
            }
            job = nil
        }
    }

    private func startWorkers(upTo count: Int) {
        condition.lock()
        defer { condition.unlock() }
        while workerCount < count {
            workerCount += 1
            // Read before the caller publishes the job this worker is started for.
            let seen = descent_atomic_load(generation)
            let thread = Thread { [self] in workerLoop(seen: seen) }
            thread.name = "descent-worker-\(workerCount)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func workerLoop(seen initial: CLong) {
        var seen = initial
        while true {
            var spins = 0
            while descent_atomic_load(generation) == seen {
                spins += 1
                if spins < WorkerPool.spinsBeforeSleep {
                    descent_spin_pause()
                    continue
                }
                condition.lock()
                sleepers += 1
                while descent_atomic_load(generation) == seen { condition.wait() }
                sleepers -= 1
                condition.unlock()
            }
            seen = descent_atomic_load(generation)
            // Join this generation's job if it is still open and short of threads.
            while true {
                let state = descent_atomic_load(joinState)
                let joined = Int((state >> 1) & 0x7fff), threads = Int((state >> 16) & 0xffff)
                if state >> 32 != seen || state & 1 != 0 || joined >= threads - 1 { break }
                if descent_atomic_compare_exchange(joinState, state, state + 2) != 0 {
                    if let job { job(joined + 1, WorkerTeam(pool: self, threads: threads)) }
                    _ = descent_atomic_fetch_add(finished, 1)
                    break
                }
            }
        }
    }
}

/// The threads of one `WorkerPool` job, and what they share.
struct WorkerTeam {
    /// Number of threads the job asked for (in `.whoeverComes` mode, an upper bound).
    let threads: Int
    private let tickets: UnsafeMutablePointer<CLong>
    private let counters: UnsafeMutablePointer<CLong>

    fileprivate init(pool: WorkerPool, threads: Int) {
        self.threads = threads
        tickets = pool.tickets
        counters = pool.jobCounters
    }

    /// The `part`-th of `parts` nearly equal consecutive pieces of `0..<count`.
    func share(of count: Int, part: Int, parts: Int? = nil) -> Range<Int> {
        let parts = parts ?? threads
        return (count * part / parts)..<(count * (part + 1) / parts)
    }

    /// The next number of a counter shared by the team (0, 1, 2, ... across all its
    /// threads): dynamic scheduling of work items. Only in teams of several threads
    /// (a team of one, given when the pool is busy, shares the words of another job).
    func nextTicket() -> Int {
        precondition(threads > 1, "nextTicket needs a team of several threads")
        return Int(descent_atomic_fetch_add(tickets, 1))
    }

    /// Job counter `index` (< `WorkerPool.jobCounterCount`), zero at the start of the job.
    func jobCounter(_ index: Int) -> UnsafeMutablePointer<CLong> {
        precondition(threads > 1 && index < WorkerPool.jobCounterCount)
        return counters + 16 * index
    }

    /// Spins (then yields) until `*word >= value`.
    static func wait(until word: UnsafeMutablePointer<CLong>, reaches value: Int) {
        var spins = 0
        while descent_atomic_load(word) < CLong(value) {
            spins += 1
            if spins < WorkerPool.spinsBeforeYield { descent_spin_pause() } else { descent_thread_yield() }
        }
    }
}
