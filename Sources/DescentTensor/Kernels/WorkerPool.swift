import CDescentKernels
import Foundation

/// A persistent pool of worker threads that run one parallel job at a time.
///
/// `run(threads:_:)` calls `body(thread, team)` once on each of `threads` threads
/// (the caller is thread 0) and returns when all have finished. Workers spin
/// briefly after a job, so back-to-back jobs (the blocks of one GEMM, a training
/// loop's matrix products) start in about a microsecond, then sleep on a
/// condition variable so an idle pool costs nothing. A job that arrives while
/// the pool is busy (another thread's job, or a job started from inside a job)
/// runs on its caller alone, so nesting and concurrent callers are safe.
///
/// Inside a job the threads can meet at `WorkerTeam.barrier(_:)`: every worker
/// of the job is guaranteed to be running, unlike `DispatchQueue.concurrentPerform`,
/// whose iterations may run one after another.
///
///     WorkerPool.shared.run(threads: 2) { thread, team in
///         // thread is 0 (the caller) or 1 (a worker); team.threads == 2
///     }
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// Pause-loop iterations a worker spins for new work before it sleeps.
    private static let spinsBeforeSleep = 20_000
    /// Pause-loop iterations a waiting thread spins before it yields its core.
    static let spinsBeforeYield = 2_000

    private let condition = NSCondition()
    private let busy = NSLock()
    /// Shared words on separate cache lines: generation, finished count, barrier count, tickets.
    private let words: UnsafeMutablePointer<CLong>
    private var generation: UnsafeMutablePointer<CLong> { words }
    private var finished: UnsafeMutablePointer<CLong> { words + 16 }
    private var barrierCount: UnsafeMutablePointer<CLong> { words + 32 }
    private var tickets: UnsafeMutablePointer<CLong> { words + 48 }

    // Written by the caller before the generation is published, read by workers after.
    private var job: ((Int, WorkerTeam) -> Void)?
    private var jobThreads = 0
    private var workerCount = 0   // guarded by `condition`
    private var sleepers = 0      // guarded by `condition`

    private init() {
        words = UnsafeMutablePointer<CLong>.allocate(capacity: 64)
        words.initialize(repeating: 0, count: 64)
    }

    /// Runs `body` on `threads` threads (fewer when the pool is busy) and waits for all.
    func run(threads requested: Int, _ body: (_ thread: Int, _ team: WorkerTeam) -> Void) {
        guard requested > 1, busy.try() else {
            body(0, WorkerTeam(threads: 1, counter: barrierCount, tickets: tickets))
            return
        }
        defer { busy.unlock() }
        let threads = requested
        // Every started worker acknowledges every job (running it or not), so no
        // worker can lag a generation behind and mistake a later job for its own.
        let workers = startWorkers(upTo: threads - 1)
        let team = WorkerTeam(threads: threads, counter: barrierCount, tickets: tickets)
        withoutActuallyEscaping(body) { body in
            job = body
            jobThreads = threads
            descent_atomic_store(finished, 0)
            descent_atomic_store(barrierCount, 0)
            descent_atomic_store(tickets, 0)
            condition.lock()
            descent_atomic_store(generation, descent_atomic_load(generation) + 1)
            if sleepers > 0 { condition.broadcast() }
            condition.unlock()

            body(0, team)

            var spins = 0
            while descent_atomic_load(finished) < workers {
                spins += 1
                if spins < WorkerPool.spinsBeforeYield { descent_spin_pause() } else { descent_thread_yield() }
            }
            job = nil
        }
    }

    /// Starts workers until there are at least `count`; returns how many there are.
    private func startWorkers(upTo count: Int) -> Int {
        condition.lock()
        defer { condition.unlock() }
        while workerCount < count {
            workerCount += 1
            let index = workerCount
            let seen = descent_atomic_load(generation)
            let thread = Thread { [self] in workerLoop(index: index, seen: seen) }
            thread.name = "descent-worker-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
        return workerCount
    }

    private func workerLoop(index: Int, seen initial: CLong) {
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
            if index < jobThreads, let job {
                job(index, WorkerTeam(threads: jobThreads, counter: barrierCount, tickets: tickets))
            }
            _ = descent_atomic_fetch_add(finished, 1)
        }
    }
}

/// The threads of one `WorkerPool` job, and the barrier they share.
struct WorkerTeam {
    /// Number of threads running the job.
    let threads: Int
    fileprivate let counter: UnsafeMutablePointer<CLong>
    fileprivate let tickets: UnsafeMutablePointer<CLong>
    fileprivate init(threads: Int, counter: UnsafeMutablePointer<CLong>, tickets: UnsafeMutablePointer<CLong>) {
        self.threads = threads
        self.counter = counter
        self.tickets = tickets
    }

    /// The next number of a counter shared by the team (0, 1, 2, ... across all its
    /// threads): dynamic scheduling of work items. Only for teams of more than one
    /// thread (a team of one, given when the pool is busy, shares the words of
    /// another job).
    func nextTicket() -> Int {
        precondition(threads > 1, "nextTicket needs a team of several threads")
        return Int(descent_atomic_fetch_add(tickets, 1))
    }

    /// Waits until every thread of the team has called `barrier` as many times
    /// as this one. `epoch` counts this thread's barriers; start it at 0.
    func barrier(_ epoch: inout Int) {
        guard threads > 1 else { return }
        epoch += 1
        _ = descent_atomic_fetch_add(counter, 1)
        let target = CLong(epoch * threads)
        var spins = 0
        while descent_atomic_load(counter) < target {
            spins += 1
            if spins < WorkerPool.spinsBeforeYield { descent_spin_pause() } else { descent_thread_yield() }
        }
    }

    /// The `part`-th of `threads` nearly equal consecutive pieces of `0..<count`.
    func share(of count: Int, part: Int) -> Range<Int> {
        (count * part / threads)..<(count * (part + 1) / threads)
    }
}
