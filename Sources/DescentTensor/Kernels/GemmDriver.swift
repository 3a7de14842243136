import CDescentKernels

/// The blocked, packed, multi-threaded GEMM around a C micro-kernel: the loop
/// nest of BLIS (Van Zee & van de Geijn, "BLIS: A Framework for Rapidly
/// Instantiating BLAS Functionality", ACM TOMS 2015).
///
///     for jc in columns of C, step NC              B panel KC×NC → L3
///       for pc in the depth, step KC                 pack B panel
///         for ic in rows of C, step MC               pack A block MC×KC → L2
///           for jr, ir over micro-tiles
///             micro-kernel: MR×NR tile of C += A panel · B panel (B panel in L1)
///
/// Threads take their work from a shared ticket counter and the caller never
/// waits for a worker that has not started (`WorkerPool.Mode.whoeverComes`),
/// so a product stays fast when the OS delays a worker:
/// * **row blocks** (m large): per B panel, a few tickets pack the panel (shared,
///   double-buffered) and one ticket per MC-row block packs that A block and
///   computes its tiles. Tasks wait only for the tasks they need (the panel they
///   read; the same rows of the previous panel before accumulating into C again);
///   every wait is for a smaller ticket, so the caller alone can run them all.
/// * **column groups** (m small, e.g. a minibatch of 32 rows): each ticket is a
///   group of at least 64 columns that its thread computes start to finish with
///   its own packed A and B (A is small, so packing it again per group is cheap).
///
/// Every element of C is accumulated in the same order whatever the thread count,
/// so results do not depend on it.
struct GemmDriver {
    let transposeA: Bool, transposeB: Bool
    let m: Int, n: Int, k: Int
    let a: UnsafePointer<Float>, lda: Int
    let b: UnsafePointer<Float>, ldb: Int
    let c: UnsafeMutablePointer<Float>, ldc: Int
    let accumulate: Bool
    let kernel: MatrixMultiplyKernel

    /// Below this many multiply-adds (m·n·k) a product runs on the calling thread:
    /// about 60 µs of work on one AVX2 core. Starting a spinning worker costs about
    /// a microsecond, but on a machine busy with other processes a worker may wait
    /// milliseconds for a core (128³ measured 52 µs on one thread, 270 µs on two
    /// with barriers, under load 5 on 2 cores).
    static let parallelThreshold = 1 << 22
    /// At most this many row panels (MR rows each) in C: B is read unpacked.
    static let directRowPanels = 8
    /// Narrowest column group a thread takes in column-group mode.
    static let minimumGroupColumns = 64
    /// In column-group mode, op(A) with at least this many elements is packed once and shared.
    static let sharedPackingThreshold = 1 << 14

    struct Blocking {
        let mc: Int, kc: Int, nc: Int
    }

    /// Computes the product with up to `threads` threads.
    func run(threads requested: Int, parallelThreshold: Int = GemmDriver.parallelThreshold) {
        let mr = kernel.tileRows, nr = kernel.tileColumns
        // Balanced blocks: 300 rows with MC = 72 become 5 × 60 (rounded to MR), not 4 × 72 + 12.
        let kcBlock = GemmDriver.balancedBlock(k, limit: kernel.depthBlock, multiple: 1)
        let ncBlock = GemmDriver.balancedBlock(n, limit: kernel.columnBlock, multiple: nr)
        var mcBlock = GemmDriver.balancedBlock(m, limit: kernel.rowBlock, multiple: mr)
        var threads = max(1, requested)
        if m * n * k < parallelThreshold { threads = 1 }

        if threads > 1 && m >= 2 * threads * 4 * mr {
            // Row blocks: at least two per thread, a multiple of the thread count, nearly equal.
            let limit = min(kernel.rowBlock, (m + 2 * threads - 1) / (2 * threads))
            let blockCount = ((m + limit - 1) / limit + threads - 1) / threads * threads
            mcBlock = ((m + blockCount - 1) / blockCount + mr - 1) / mr * mr
            let blocking = Blocking(mc: mcBlock, kc: kcBlock, nc: ncBlock)
            let aSize = mcBlock * kcBlock, bSize = kcBlock * ncBlock
            let mBlocks = (m + mcBlock - 1) / mcBlock
            // Panels finished per row block, each word on its own cache line.
            let progress = UnsafeMutablePointer<CLong>.allocate(capacity: mBlocks * 8)
            progress.initialize(repeating: 0, count: mBlocks * 8)
            defer { progress.deallocate() }
            let sharedProgress = SendablePointer(progress)
            withWorkspace(count: threads * aSize + 2 * bSize) { buffers in
                let problem = self
                WorkerPool.shared.run(threads: threads, mode: .whoeverComes) { thread, team in
                    let bBuffers = (buffers.pointer + threads * aSize, buffers.pointer + threads * aSize + bSize)
                    if team.threads > 1 {
                        problem.workByRowBlocks(team: team, blocking: blocking, progress: sharedProgress.pointer,
                                                aBuffer: buffers.pointer + thread * aSize, bBuffers: bBuffers)
                    } else {
                        problem.computeColumns(0..<problem.n, blocking: blocking,
                                               aBuffer: buffers.pointer, bBuffer: bBuffers.0)
                    }
                }
            }
            return
        }

        let groupColumns = max(GemmDriver.minimumGroupColumns, (n + 4 * threads - 1) / (4 * threads))
        let groupWidth = min(ncBlock, (groupColumns + nr - 1) / nr * nr)
        let groups = (n + groupWidth - 1) / groupWidth
        if threads > 1 && groups > 1 {
            let blocking = Blocking(mc: mcBlock, kc: kcBlock, nc: groupWidth)
            let aSize = mcBlock * kcBlock, bSize = kcBlock * groupWidth
            let threads = min(threads, groups)
            // All of op(A), packed once by the calling thread and shared, when packing it again for
            // every group would cost more than a few percent of the product: a minibatch layer
            // (128×784 · 784×256) packed A four times, as much memory traffic as its multiply-adds.
            let paddedRows = (m + mr - 1) / mr * mr
            let sharedA = m * k >= GemmDriver.sharedPackingThreshold ? paddedRows * k : 0
            withWorkspace(count: threads * (aSize + bSize) + sharedA) { buffers in
                let problem = self
                let packedA = sharedA > 0 ? SendablePointer(buffers.pointer + threads * (aSize + bSize)) : nil
                if let packedA { packAll(blocking: blocking, paddedRows: paddedRows, into: packedA.pointer) }
                WorkerPool.shared.run(threads: threads, mode: .whoeverComes) { thread, team in
                    let aBuffer = buffers.pointer + thread * (aSize + bSize), bBuffer = aBuffer + aSize
                    let shared = packedA.map { (UnsafePointer($0.pointer), paddedRows) }
                    guard team.threads > 1 else {
                        return problem.computeColumns(0..<problem.n, blocking: blocking, aBuffer: aBuffer, bBuffer: bBuffer,
                                                      packedA: shared)
                    }
                    while true {
                        let group = team.nextTicket()
                        if group >= groups { break }
                        problem.computeColumns(group * groupWidth..<min(problem.n, (group + 1) * groupWidth),
                                               blocking: blocking, aBuffer: aBuffer, bBuffer: bBuffer, packedA: shared)
                    }
                }
            }
            return
        }

        let blocking = Blocking(mc: mcBlock, kc: kcBlock, nc: ncBlock)
        withWorkspace(count: mcBlock * kcBlock + kcBlock * ncBlock) { buffers in
            computeColumns(0..<n, blocking: blocking, aBuffer: buffers.pointer,
                           bBuffer: buffers.pointer + mcBlock * kcBlock)
        }
    }

    private func withWorkspace(count: Int, _ body: (SendablePointer<Float>) -> Void) {
        let workspace = GemmWorkspace.take(count: count)
        defer { GemmWorkspace.giveBack(workspace) }
        body(SendablePointer(workspace.storage))
    }

    /// The largest multiple of `multiple` no larger than `limit` (rounded up to `multiple`)
    /// that splits `size` into equal blocks.
    static func balancedBlock(_ size: Int, limit: Int, multiple: Int) -> Int {
        let limit = max(limit, 1)
        let blocks = max(1, (size + limit - 1) / limit)
        let block = (size + blocks - 1) / blocks
        return (block + multiple - 1) / multiple * multiple
    }

    /// Packs B panels `panels` (of NR columns, counted from `jc`) of the block at (pc, jc).
    @inline(__always)
    private func packB(panels: Range<Int>, jc: Int, nc: Int, pc: Int, kc: Int, into bPacked: UnsafeMutablePointer<Float>) {
        guard !panels.isEmpty else { return }
        let nr = kernel.tileColumns
        let first = panels.lowerBound * nr
        GemmPacking.packB(b, ldb: ldb, transposed: transposeB,
                          columnStart: jc + first, columns: min(panels.upperBound * nr, nc) - first,
                          depthStart: pc, depth: kc, nr: nr, into: bPacked + first * kc)
    }

    /// Packs all of op(A): depth block pc (of `blocking.kc`) at `paddedRows · pc`, its rows from ic at `ic · kc`
    /// within it (row blocks are multiples of MR, so each block's panels are where `packA` would put them).
    private func packAll(blocking: Blocking, paddedRows: Int, into destination: UnsafeMutablePointer<Float>) {
        var pc = 0
        while pc < k {
            let kc = min(blocking.kc, k - pc)
            GemmPacking.packA(a, lda: lda, transposed: transposeA, rowStart: 0, rows: m, depthStart: pc, depth: kc,
                              mr: kernel.tileRows, into: destination + paddedRows * pc)
            pc += kc
        }
    }

    /// Packs the A block at (ic, pc) and multiplies it with the B block at (pc, jc):
    /// packed at `bPacked`, or, when `direct`, read where it lies for full panels
    /// (only a last, partial panel is packed).
    @inline(__always)
    private func multiplyRowBlock(ic: Int, mc: Int, jc: Int, nc: Int, pc: Int, kc: Int, direct: Bool = false,
                                  aBuffer: UnsafeMutablePointer<Float>, bPacked: UnsafeMutablePointer<Float>,
                                  packedA: (pointer: UnsafePointer<Float>, paddedRows: Int)? = nil) {
        let mr = kernel.tileRows, nr = kernel.tileColumns
        let microKernel = kernel.function
        let accumulateHere: Int32 = (accumulate || pc > 0) ? 1 : 0
        let aPacked: UnsafePointer<Float>
        if let packedA {
            aPacked = packedA.pointer + packedA.paddedRows * pc + ic * kc
        } else {
            GemmPacking.packA(a, lda: lda, transposed: transposeA, rowStart: ic, rows: mc,
                              depthStart: pc, depth: kc, mr: mr, into: aBuffer)
            aPacked = UnsafePointer(aBuffer)
        }
        let rowPanels = (mc + mr - 1) / mr
        var jr = 0
        while jr * nr < nc {
            let columns = min(nr, nc - jr * nr)
            let unpacked = direct && columns == nr
            let bPanel = unpacked ? b + pc * ldb + jc + jr * nr : UnsafePointer(bPacked + jr * nr * kc)
            let bStride = unpacked ? ldb : nr
            let cColumn = c + ic * ldc + jc + jr * nr
            for ir in 0..<rowPanels {
                microKernel(kc, aPacked + ir * mr * kc, bPanel, bStride, cColumn + ir * mr * ldc, ldc,
                            min(mr, mc - ir * mr), columns, accumulateHere)
            }
            jr += 1
        }
    }

    /// All rows of C in the columns `columns`, on this thread alone. When C has only
    /// a few row panels, an untransposed B is read in place: each of its panels
    /// would serve too few micro-kernel calls to repay packing (im2col convolutions,
    /// minibatch layers).
    private func computeColumns(_ columns: Range<Int>, blocking: Blocking,
                                aBuffer: UnsafeMutablePointer<Float>, bBuffer: UnsafeMutablePointer<Float>,
                                packedA: (pointer: UnsafePointer<Float>, paddedRows: Int)? = nil) {
        let nr = kernel.tileColumns
        // Measured on Zen 3 (16×3136·27: 48 → 40 µs; 48×3136·64: 330 → 235 µs), but worse when
        // a panel's kc rows span many pages (32×4000·256) or alias in cache (row stride a
        // multiple of 1 KiB, e.g. n = 1024).
        let direct = !transposeB && m <= GemmDriver.directRowPanels * kernel.tileRows
            && ldb % 256 != 0 && blocking.kc * ldb <= 1 << 18
        var jc = columns.lowerBound
        while jc < columns.upperBound {
            let nc = min(blocking.nc, columns.upperBound - jc)
            let panels = (nc + nr - 1) / nr
            var pc = 0
            while pc < k {
                let kc = min(blocking.kc, k - pc)
                if !direct {
                    packB(panels: 0..<panels, jc: jc, nc: nc, pc: pc, kc: kc, into: bBuffer)
                } else if nc % nr != 0 {
                    packB(panels: (panels - 1)..<panels, jc: jc, nc: nc, pc: pc, kc: kc, into: bBuffer)
                }
                var ic = 0
                while ic < m {
                    let mc = min(blocking.mc, m - ic)
                    multiplyRowBlock(ic: ic, mc: mc, jc: jc, nc: nc, pc: pc, kc: kc, direct: direct,
                                     aBuffer: aBuffer, bPacked: bBuffer, packedA: packedA)
                    ic += mc
                }
                pc += kc
            }
            jc += nc
        }
    }

    /// Row-block mode: tickets in order (B chunks of panel 0, row blocks of panel 0,
    /// B chunks of panel 1, ...), each task waiting only for smaller tickets: a row
    /// block of panel i for its B panel and for the same rows of panel i - 1 (which
    /// wrote those rows of C), a B chunk of panel i for earlier chunks and for every
    /// row block of panel i - 2 (which read the buffer it overwrites). A thread
    /// that finishes a panel early moves on to the next one instead of waiting.
    private func workByRowBlocks(team: WorkerTeam, blocking: Blocking, progress: UnsafeMutablePointer<CLong>,
                                 aBuffer: UnsafeMutablePointer<Float>,
                                 bBuffers: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)) {
        let nr = kernel.tileColumns
        let mBlocks = (m + blocking.mc - 1) / blocking.mc
        let kBlocks = (k + blocking.kc - 1) / blocking.kc
        let nBlocks = (n + blocking.nc - 1) / blocking.nc
        let bChunks = max(1, min((blocking.nc + nr - 1) / nr, 2 * team.threads))
        let tasksPerPanel = bChunks + mBlocks
        let total = nBlocks * kBlocks * tasksPerPanel
        let bDone = team.jobCounter(0)
        while true {
            let ticket = team.nextTicket()
            if ticket >= total { break }
            let panel = ticket / tasksPerPanel, task = ticket % tasksPerPanel
            let jc = (panel / kBlocks) * blocking.nc, pc = (panel % kBlocks) * blocking.kc
            let nc = min(blocking.nc, n - jc), kc = min(blocking.kc, k - pc)
            let bPacked = panel & 1 == 0 ? bBuffers.0 : bBuffers.1
            if task < bChunks {
                WorkerTeam.wait(until: bDone, reaches: panel * bChunks)
                if panel >= 2 {
                    for block in 0..<mBlocks { WorkerTeam.wait(until: progress + 8 * block, reaches: panel - 1) }
                }
                packB(panels: team.share(of: (nc + nr - 1) / nr, part: task, parts: bChunks),
                      jc: jc, nc: nc, pc: pc, kc: kc, into: bPacked)
                _ = descent_atomic_fetch_add(bDone, 1)
            } else {
                let block = task - bChunks
                WorkerTeam.wait(until: bDone, reaches: (panel + 1) * bChunks)
                WorkerTeam.wait(until: progress + 8 * block, reaches: panel)
                let ic = block * blocking.mc
                multiplyRowBlock(ic: ic, mc: min(blocking.mc, m - ic), jc: jc, nc: nc, pc: pc, kc: kc,
                                 aBuffer: aBuffer, bPacked: bPacked)
                descent_atomic_store(progress + 8 * block, CLong(panel + 1))
            }
        }
    }
}
