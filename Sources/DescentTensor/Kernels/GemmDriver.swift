/// The blocked, packed, multi-threaded GEMM around a C micro-kernel: the loop
/// nest of BLIS (Van Zee & van de Geijn, "BLIS: A Framework for Rapidly
/// Instantiating BLAS Functionality", ACM TOMS 2015).
///
///     for jc in columns of C, step NC              B panel KC×NC → L3
///       for pc in the depth, step KC                 pack B panel (threads share the work)
///         barrier
///         for ic in rows of C, step MC               pack A block MC×KC → L2
///           for jr, ir over micro-tiles
///             micro-kernel: MR×NR tile of C += A panel · B panel (B panel in L1)
///
/// Two ways to share the work between threads:
/// * **row blocks** (m large): each thread takes whole MC-row blocks from a shared
///   ticket counter, packs its own A block and computes all its tiles. Threads
///   meet once per B panel, and a thread that the OS delays simply takes fewer
///   blocks, which matters on a busy machine.
/// * **tiles** (m small, e.g. 32 rows of a minibatch): the threads pack one A
///   block together, meet, and split its micro-tiles along the side with more
///   panels — one barrier per A block.
/// The packed B panel (and in tile mode the A block) is double-buffered, so one
/// barrier per step is enough.
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
    /// milliseconds for a core, and every product of the training loop pays it
    /// (128³ measured 52 µs on one thread, 270 µs on two, under load 5 on 2 cores).
    static let parallelThreshold = 1 << 22

    /// Computes the product with up to `threads` threads.
    func run(threads requested: Int) {
        let mr = kernel.tileRows, nr = kernel.tileColumns
        // Balanced blocks: 300 rows with MC = 144 become 3 × 100 (rounded to MR), not 144 + 144 + 12.
        let kcLimit = kernel.depthBlock, mcLimit = kernel.rowBlock
        let kcBlock = GemmDriver.balancedBlock(k, limit: kcLimit, multiple: 1)
        let ncBlock = GemmDriver.balancedBlock(n, limit: kernel.columnBlock, multiple: nr)
        var mcBlock = GemmDriver.balancedBlock(m, limit: mcLimit, multiple: mr)

        let tiles = ((min(m, mcBlock) + mr - 1) / mr) * ((min(n, ncBlock) + nr - 1) / nr)
        var threads = max(1, min(requested, tiles))
        if m * n * k < GemmDriver.parallelThreshold { threads = 1 }
        // Row-block mode wants at least two blocks per thread, each at least 4·MR rows.
        let rowBlocks = threads > 1 && m >= 2 * threads * 4 * mr
        if rowBlocks {
            mcBlock = GemmDriver.balancedBlock(m, limit: min(mcLimit, (m + 2 * threads - 1) / (2 * threads)),
                                               multiple: mr)
        }
        let aBlockSize = mcBlock * kcBlock, bPanelSize = kcBlock * ncBlock
        let aBlocks = rowBlocks ? threads : 2

        let workspace = GemmWorkspace.take(count: aBlocks * aBlockSize + 2 * bPanelSize)
        defer { GemmWorkspace.giveBack(workspace) }
        let buffers = SendablePointer(workspace.storage)
        let problem = self
        let blocking = Blocking(mc: mcBlock, kc: kcBlock, nc: ncBlock, aBlockSize: aBlockSize, bPanelSize: bPanelSize)
        WorkerPool.shared.run(threads: threads) { thread, team in
            let bBuffers = (buffers.pointer + aBlocks * aBlockSize, buffers.pointer + aBlocks * aBlockSize + bPanelSize)
            if rowBlocks && team.threads > 1 {
                problem.workByRowBlocks(thread: thread, team: team, blocking: blocking,
                                        aBuffer: buffers.pointer + thread * aBlockSize, bBuffers: bBuffers)
            } else {
                problem.workByTiles(thread: thread, team: team, blocking: blocking,
                                    aBuffers: (buffers.pointer, buffers.pointer + aBlockSize), bBuffers: bBuffers)
            }
        }
    }

    struct Blocking {
        let mc: Int, kc: Int, nc: Int
        let aBlockSize: Int, bPanelSize: Int
    }

    /// The largest multiple of `multiple` no larger than `limit` (rounded up to `multiple`)
    /// that splits `size` into equal blocks.
    static func balancedBlock(_ size: Int, limit: Int, multiple: Int) -> Int {
        let limit = max(limit, 1)
        let blocks = max(1, (size + limit - 1) / limit)
        let block = (size + blocks - 1) / blocks
        return (block + multiple - 1) / multiple * multiple
    }

    /// Packs this thread's share of the B panel at (pc, jc).
    @inline(__always)
    private func packBShare(thread: Int, team: WorkerTeam, jc: Int, nc: Int, pc: Int, kc: Int,
                            into bPacked: UnsafeMutablePointer<Float>) {
        let nr = kernel.tileColumns
        let panels = team.share(of: (nc + nr - 1) / nr, part: thread)
        guard !panels.isEmpty else { return }
        let first = panels.lowerBound * nr
        GemmPacking.packB(b, ldb: ldb, transposed: transposeB,
                          columnStart: jc + first, columns: min(panels.upperBound * nr, nc) - first,
                          depthStart: pc, depth: kc, nr: nr, into: bPacked + first * kc)
    }

    /// Micro-tiles of one packed A block against one packed B panel.
    @inline(__always)
    private func computeTiles(aPacked: UnsafeMutablePointer<Float>, bPacked: UnsafeMutablePointer<Float>,
                              ic: Int, mc: Int, jc: Int, nc: Int, kc: Int, accumulate: Int32,
                              rowPanels: Range<Int>, columnPanels: Range<Int>) {
        let mr = kernel.tileRows, nr = kernel.tileColumns
        let microKernel = kernel.function
        for jr in columnPanels {
            let columns = min(nr, nc - jr * nr)
            let bPanel = bPacked + jr * nr * kc
            let cColumn = c + ic * ldc + jc + jr * nr
            for ir in rowPanels {
                microKernel(kc, aPacked + ir * mr * kc, bPanel, cColumn + ir * mr * ldc, ldc,
                            min(mr, mc - ir * mr), columns, accumulate)
            }
        }
    }

    private func workByRowBlocks(thread: Int, team: WorkerTeam, blocking: Blocking,
                                 aBuffer: UnsafeMutablePointer<Float>,
                                 bBuffers: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)) {
        let mr = kernel.tileRows, nr = kernel.tileColumns
        let mBlocks = (m + blocking.mc - 1) / blocking.mc
        var epoch = 0, iteration = 0
        var ticket = team.nextTicket()
        var jc = 0
        while jc < n {
            let nc = min(blocking.nc, n - jc)
            var pc = 0
            while pc < k {
                let kc = min(blocking.kc, k - pc)
                let bPacked = iteration & 1 == 0 ? bBuffers.0 : bBuffers.1
                packBShare(thread: thread, team: team, jc: jc, nc: nc, pc: pc, kc: kc, into: bPacked)
                team.barrier(&epoch)
                let accumulateHere: Int32 = (accumulate || pc > 0) ? 1 : 0
                // Tickets iteration·mBlocks ..< (iteration+1)·mBlocks are this panel's row blocks;
                // a ticket past them is kept for the next panel.
                let end = (iteration + 1) * mBlocks
                while ticket < end {
                    let ic = (ticket - iteration * mBlocks) * blocking.mc
                    let mc = min(blocking.mc, m - ic)
                    GemmPacking.packA(a, lda: lda, transposed: transposeA, rowStart: ic, rows: mc,
                                      depthStart: pc, depth: kc, mr: mr, into: aBuffer)
                    computeTiles(aPacked: aBuffer, bPacked: bPacked, ic: ic, mc: mc, jc: jc, nc: nc, kc: kc,
                                 accumulate: accumulateHere, rowPanels: 0..<(mc + mr - 1) / mr,
                                 columnPanels: 0..<(nc + nr - 1) / nr)
                    ticket = team.nextTicket()
                }
                iteration += 1
                pc += kc
            }
            jc += nc
        }
    }

    private func workByTiles(thread: Int, team: WorkerTeam, blocking: Blocking,
                             aBuffers: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>),
                             bBuffers: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)) {
        let mr = kernel.tileRows, nr = kernel.tileColumns
        var epoch = 0, aIteration = 0, bIteration = 0
        var jc = 0
        while jc < n {
            let nc = min(blocking.nc, n - jc)
            let nPanels = (nc + nr - 1) / nr
            var pc = 0
            while pc < k {
                let kc = min(blocking.kc, k - pc)
                let bPacked = bIteration & 1 == 0 ? bBuffers.0 : bBuffers.1
                packBShare(thread: thread, team: team, jc: jc, nc: nc, pc: pc, kc: kc, into: bPacked)
                let accumulateHere: Int32 = (accumulate || pc > 0) ? 1 : 0
                var ic = 0
                while ic < m {
                    let mc = min(blocking.mc, m - ic)
                    let mPanels = (mc + mr - 1) / mr
                    let aPacked = aIteration & 1 == 0 ? aBuffers.0 : aBuffers.1
                    let myAPanels = team.share(of: mPanels, part: thread)
                    if !myAPanels.isEmpty {
                        let first = myAPanels.lowerBound * mr
                        GemmPacking.packA(a, lda: lda, transposed: transposeA,
                                          rowStart: ic + first, rows: min(myAPanels.upperBound * mr, mc) - first,
                                          depthStart: pc, depth: kc, mr: mr, into: aPacked + first * kc)
                    }
                    team.barrier(&epoch)
                    let splitColumns = nPanels >= mPanels
                    computeTiles(aPacked: aPacked, bPacked: bPacked, ic: ic, mc: mc, jc: jc, nc: nc, kc: kc,
                                 accumulate: accumulateHere,
                                 rowPanels: splitColumns ? 0..<mPanels : team.share(of: mPanels, part: thread),
                                 columnPanels: splitColumns ? team.share(of: nPanels, part: thread) : 0..<nPanels)
                    aIteration += 1
                    ic += mc
                }
                bIteration += 1
                pc += kc
            }
            jc += nc
        }
    }
}
