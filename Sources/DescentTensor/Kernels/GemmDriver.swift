/// The blocked, packed, multi-threaded GEMM around a C micro-kernel: the loop
/// nest of BLIS (Van Zee & van de Geijn, "BLIS: A Framework for Rapidly
/// Instantiating BLAS Functionality", ACM TOMS 2015).
///
///     for jc in columns of C, step NC            B panel KC×NC → L3
///       for pc in the depth, step KC               pack B panel (threads share it)
///         for ic in rows of C, step MC             pack A block MC×KC → L2 (shared)
///           barrier
///           for jr, ir over micro-tiles (split among threads)
///             micro-kernel: MR×NR tile of C += A panel · B panel (B panel in L1)
///
/// Packed A and B are double-buffered, so the threads meet at one barrier per
/// A block. Threads split the micro-tiles of each block along whichever side has
/// more panels, which keeps both cores busy for square, tall and wide shapes.
struct GemmDriver {
    let transposeA: Bool, transposeB: Bool
    let m: Int, n: Int, k: Int
    let a: UnsafePointer<Float>, lda: Int
    let b: UnsafePointer<Float>, ldb: Int
    let c: UnsafeMutablePointer<Float>, ldc: Int
    let accumulate: Bool
    let kernel: MatrixMultiplyKernel

    /// Below this many multiply-adds (m·n·k) a product runs on the calling thread:
    /// about 15 µs of work, against about 1 µs to start a spinning worker and tens
    /// of microseconds to wake a sleeping one.
    static let parallelThreshold = 1 << 20

    /// Computes the product with up to `threads` threads.
    func run(threads requested: Int) {
        let mr = kernel.tileRows, nr = kernel.tileColumns
        // Balanced blocks: 300 rows with MC = 144 become 3 × 100 (rounded to MR), not 144 + 144 + 12.
        let kcBlock = GemmDriver.balancedBlock(k, limit: kernel.depthBlock, multiple: 1)
        let mcBlock = GemmDriver.balancedBlock(m, limit: kernel.rowBlock, multiple: mr)
        let ncBlock = GemmDriver.balancedBlock(n, limit: kernel.columnBlock, multiple: nr)
        let aBlockSize = mcBlock * kcBlock, bPanelSize = kcBlock * ncBlock

        let tiles = ((min(m, mcBlock) + mr - 1) / mr) * ((min(n, ncBlock) + nr - 1) / nr)
        var threads = max(1, min(requested, tiles))
        if m * n * k < GemmDriver.parallelThreshold { threads = 1 }

        let workspace = GemmWorkspace.take(count: 2 * (aBlockSize + bPanelSize))
        defer { GemmWorkspace.giveBack(workspace) }
        let buffers = SendablePointer(workspace.storage)
        let problem = self
        WorkerPool.shared.run(threads: threads) { thread, team in
            let aBuffers = (buffers.pointer, buffers.pointer + aBlockSize)
            let bBuffers = (buffers.pointer + 2 * aBlockSize, buffers.pointer + 2 * aBlockSize + bPanelSize)
            problem.work(thread: thread, team: team, mcBlock: mcBlock, kcBlock: kcBlock, ncBlock: ncBlock,
                         aBuffers: aBuffers, bBuffers: bBuffers)
        }
    }

    /// The largest multiple of `multiple` no larger than `limit` (rounded up to `multiple`)
    /// that splits `size` into equal blocks.
    static func balancedBlock(_ size: Int, limit: Int, multiple: Int) -> Int {
        let blocks = max(1, (size + limit - 1) / limit)
        let block = (size + blocks - 1) / blocks
        return (block + multiple - 1) / multiple * multiple
    }

    private func work(thread: Int, team: WorkerTeam, mcBlock: Int, kcBlock: Int, ncBlock: Int,
                      aBuffers: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>),
                      bBuffers: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)) {
        let mr = kernel.tileRows, nr = kernel.tileColumns
        let microKernel = kernel.function
        var epoch = 0, aIteration = 0, bIteration = 0
        var jc = 0
        while jc < n {
            let nc = min(ncBlock, n - jc)
            let nPanels = (nc + nr - 1) / nr
            var pc = 0
            while pc < k {
                let kc = min(kcBlock, k - pc)
                let bPacked = bIteration & 1 == 0 ? bBuffers.0 : bBuffers.1
                let myBPanels = team.share(of: nPanels, part: thread)
                if !myBPanels.isEmpty {
                    let first = myBPanels.lowerBound * nr
                    GemmPacking.packB(b, ldb: ldb, transposed: transposeB,
                                      columnStart: jc + first, columns: min(myBPanels.upperBound * nr, nc) - first,
                                      depthStart: pc, depth: kc, nr: nr, into: bPacked + first * kc)
                }
                let accumulateHere: Int32 = (accumulate || pc > 0) ? 1 : 0
                var ic = 0
                while ic < m {
                    let mc = min(mcBlock, m - ic)
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
                    let columnPanels = splitColumns ? team.share(of: nPanels, part: thread) : 0..<nPanels
                    let rowPanels = splitColumns ? 0..<mPanels : team.share(of: mPanels, part: thread)
                    for jr in columnPanels {
                        let columns = min(nr, nc - jr * nr)
                        let bPanel = bPacked + jr * nr * kc
                        let cColumn = c + ic * ldc + jc + jr * nr
                        for ir in rowPanels {
                            microKernel(kc, aPacked + ir * mr * kc, bPanel, cColumn + ir * mr * ldc, ldc,
                                        min(mr, mc - ir * mr), columns, accumulateHere)
                        }
                    }
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
