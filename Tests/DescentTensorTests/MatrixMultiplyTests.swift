import DescentTensor
import Foundation
import XCTest

/// A pointer the concurrent test may share between threads (they write disjoint ranges).
struct SendableAddress: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}

/// Checks every micro-kernel the processor runs against a double-precision
/// naive product: all four transpose combinations, edge tiles, strides wider
/// than the matrices, accumulation, several cache blocks, one and two threads.
final class MatrixMultiplyTests: XCTestCase {
    struct Case {
        let m: Int, n: Int, k: Int
        var transposeA = false, transposeB = false, accumulate = false
        var padding = 0   // extra floats at the end of every stored row (lda, ldb, ldc > width)
    }

    /// op(A)·op(B) (+ C) in Double from the stored buffers.
    func reference(_ test: Case, a: [Float], lda: Int, b: [Float], ldb: Int, c: [Float], ldc: Int) -> [Double] {
        var out = [Double](repeating: 0, count: test.m * ldc)
        for i in 0..<test.m {
            for j in 0..<test.n {
                var sum = test.accumulate ? Double(c[i * ldc + j]) : 0
                for p in 0..<test.k {
                    let x = test.transposeA ? a[p * lda + i] : a[i * lda + p]
                    let y = test.transposeB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += Double(x) * Double(y)
                }
                out[i * ldc + j] = sum
            }
        }
        return out
    }

    func check(_ test: Case, kernel: MatrixMultiplyKernel, threads: Int, seed: UInt64 = 7,
               file: StaticString = #filePath, line: UInt = #line) {
        var generator = SeededGenerator(seed: seed)
        let aRows = test.transposeA ? test.k : test.m, aColumns = test.transposeA ? test.m : test.k
        let bRows = test.transposeB ? test.n : test.k, bColumns = test.transposeB ? test.k : test.n
        let lda = aColumns + test.padding, ldb = bColumns + test.padding, ldc = test.n + test.padding
        let a = (0..<aRows * lda).map { _ in Float.random(in: -1...1, using: &generator) }
        let b = (0..<bRows * ldb).map { _ in Float.random(in: -1...1, using: &generator) }
        var c = (0..<test.m * ldc).map { _ in Float.random(in: -1...1, using: &generator) }
        let expected = reference(test, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
        let before = c
        MatrixMultiply.gemm(transposeA: test.transposeA, transposeB: test.transposeB, m: test.m, n: test.n, k: test.k,
                            a: a, lda: lda, b: b, ldb: ldb, c: &c, ldc: ldc,
                            accumulate: test.accumulate, kernel: kernel, threads: threads, parallelThreshold: 0)
        let tolerance = 1e-5 * Double(test.k) + 1e-5
        var worst = 0.0
        for i in 0..<test.m {
            for j in 0..<ldc {
                let index = i * ldc + j
                if j >= test.n {
                    // Padding past n must be untouched.
                    XCTAssertEqual(c[index], before[index], "padding written at (\(i), \(j))", file: file, line: line)
                    continue
                }
                worst = max(worst, abs(Double(c[index]) - expected[index]))
            }
        }
        XCTAssertLessThanOrEqual(worst, tolerance, "\(kernel.name), \(threads) threads, \(test)", file: file, line: line)
    }

    /// Shapes around the tile and block edges of every kernel.
    var shapes: [(Int, Int, Int)] {
        [(1, 1, 1), (2, 3, 4), (5, 7, 3), (6, 16, 8), (12, 32, 5), (13, 33, 17), (32, 10, 64),
         (7, 50, 9), (50, 7, 9), (37, 41, 29), (1, 40, 33), (40, 1, 33)]
    }

    func testEveryKernelAllTransposesSmallShapes() {
        for kernel in MatrixMultiplyKernel.available {
            for (m, n, k) in shapes {
                for transposeA in [false, true] {
                    for transposeB in [false, true] {
                        check(Case(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB),
                              kernel: kernel, threads: 1)
                    }
                }
            }
        }
    }

    func testAccumulateAndWideStrides() {
        for kernel in MatrixMultiplyKernel.available {
            for (m, n, k) in [(13, 33, 17), (6, 16, 8), (3, 5, 2)] {
                for transposeA in [false, true] {
                    for transposeB in [false, true] {
                        check(Case(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                                   accumulate: true, padding: 3), kernel: kernel, threads: 1)
                        check(Case(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                                   accumulate: false, padding: 5), kernel: kernel, threads: 1)
                    }
                }
            }
        }
    }

    /// Several MC and KC blocks (and the accumulation across KC blocks), on two threads.
    func testManyBlocksTwoThreads() {
        for kernel in MatrixMultiplyKernel.available {
            let rows = kernel.rowBlock + kernel.tileRows + 3
            let depth = kernel.depthBlock + 37
            check(Case(m: rows, n: 70, k: depth), kernel: kernel, threads: 2)
            check(Case(m: rows, n: 70, k: depth, transposeA: true, transposeB: true, accumulate: true, padding: 2),
                  kernel: kernel, threads: 2)
            check(Case(m: 20, n: 300, k: depth, transposeB: true), kernel: kernel, threads: 2)
        }
    }

    /// Row-block mode (m large: dynamic row blocks) and tile mode (m small) with every
    /// transpose combination on two threads.
    func testBothParallelModesAllTransposes() {
        let kernel = MatrixMultiplyKernel.best
        for (m, n, k) in [(4 * 4 * kernel.tileRows + 5, 45, 70), (kernel.tileRows + 1, 3 * kernel.tileColumns + 1, 90)] {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    check(Case(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, accumulate: transposeA),
                          kernel: kernel, threads: 2)
                }
            }
        }
    }

    /// Products started from several threads at once (the pool is busy for all but one,
    /// which then run on their own thread) give the same results as one at a time.
    func testConcurrentCallers() {
        let size = 128
        var generator = SeededGenerator(seed: 11)
        let a = (0..<size * size).map { _ in Float.random(in: -1...1, using: &generator) }
        let b = (0..<size * size).map { _ in Float.random(in: -1...1, using: &generator) }
        var expected = [Float](repeating: 0, count: size * size)
        MatrixMultiply.gemm(transposeA: false, transposeB: false, m: size, n: size, k: size,
                            a: a, lda: size, b: b, ldb: size, c: &expected, ldc: size,
                            accumulate: false, kernel: .best, threads: 1)
        let callers = 4
        let results = UnsafeMutableBufferPointer<Float>.allocate(capacity: callers * size * size)
        defer { results.deallocate() }
        let base = SendableAddress(results.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    MatrixMultiply.gemm(transposeA: false, transposeB: false, m: size, n: size, k: size,
                                        a: a.baseAddress!, lda: size, b: b.baseAddress!, ldb: size,
                                        c: base.pointer + caller * size * size, ldc: size,
                                        accumulate: false, kernel: .best, threads: 2, parallelThreshold: 0)
                }
            }
        }
        for caller in 0..<callers {
            let slice = Array(results[(caller * size * size)..<((caller + 1) * size * size)])
            XCTAssertEqual(slice, expected, "caller \(caller)")
        }
    }

    /// Column groups with op(A) packed once and shared (m·k ≥ `sharedPackingThreshold`, m below the
    /// row-block mode): a minibatch layer's shape, m not a multiple of MR, several KC blocks, all
    /// transposes, every kernel, 2 and 3 threads.
    func testColumnGroupsWithSharedPackedA() {
        for kernel in MatrixMultiplyKernel.available {
            let m = 2 * kernel.tileRows + 5, k = Swift.max(2 * kernel.depthBlock + 7, (1 << 14) / m + 1)
            XCTAssertGreaterThanOrEqual(m * k, 1 << 14)
            for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
                for threads in [2, 3] {
                    check(Case(m: m, n: 160, k: k, transposeA: transposeA, transposeB: transposeB,
                               accumulate: transposeB, padding: transposeA ? 3 : 0), kernel: kernel, threads: threads)
                }
            }
        }
    }

    /// Row blocks over several B panels (k > KC) and column groups, on 2 and 3 threads,
    /// give bit-identical results to one thread.
    func testThreadCountDoesNotChangeResults() {
        let kernel = MatrixMultiplyKernel.best
        for (m, n, k) in [(8 * kernel.tileRows + 1, 70, 2 * kernel.depthBlock + 5), (5, 300, 2 * kernel.depthBlock + 1)] {
            var generator = SeededGenerator(seed: 5)
            let a = (0..<m * k).map { _ in Float.random(in: -1...1, using: &generator) }
            let b = (0..<k * n).map { _ in Float.random(in: -1...1, using: &generator) }
            var results: [[Float]] = []
            for threads in [1, 2, 3] {
                var c = [Float](repeating: 1, count: m * n)
                MatrixMultiply.gemm(transposeA: false, transposeB: false, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n,
                                    c: &c, ldc: n, accumulate: true, kernel: kernel, threads: threads, parallelThreshold: 0)
                results.append(c)
            }
            XCTAssertEqual(results[0], results[1], "\(m)x\(n)x\(k), 2 threads")
            XCTAssertEqual(results[0], results[2], "\(m)x\(n)x\(k), 3 threads")
            check(Case(m: m, n: n, k: k, accumulate: true), kernel: kernel, threads: 3)
        }
    }

    /// More columns than one NC panel: column groups (few rows) and row blocks (many rows).
    func testWiderThanOneColumnBlock() {
        let kernel = MatrixMultiplyKernel.best
        let n = kernel.columnBlock + kernel.tileColumns + 5
        check(Case(m: 9, n: n, k: 3, accumulate: true), kernel: kernel, threads: 2)
        check(Case(m: 16 * kernel.tileRows + 1, n: n, k: 4, transposeB: true), kernel: kernel, threads: 2)
    }

    /// A square product big enough to take the parallel path, on the default entry point.
    func testDefaultEntryPointLargeSquare() {
        let size = 128
        var generator = SeededGenerator(seed: 3)
        let a = (0..<size * size).map { _ in Float.random(in: -1...1, using: &generator) }
        let b = (0..<size * size).map { _ in Float.random(in: -1...1, using: &generator) }
        var c = [Float](repeating: .nan, count: size * size)
        MatrixMultiply.gemm(transposeA: false, transposeB: false, m: size, n: size, k: size,
                            a: a, lda: size, b: b, ldb: size, c: &c, ldc: size)
        let expected = reference(Case(m: size, n: size, k: size), a: a, lda: size, b: b, ldb: size, c: c, ldc: size)
        for index in 0..<size * size {
            XCTAssertEqual(Double(c[index]), expected[index], accuracy: 1e-3)
        }
    }

    /// k = 0 gives zeros (or leaves C alone when accumulating); NaN propagates.
    func testEmptyDepthAndNaN() {
        var c: [Float] = [1, 2, 3, 4]
        let empty: [Float] = [0]
        MatrixMultiply.gemm(transposeA: false, transposeB: false, m: 2, n: 2, k: 0,
                            a: empty, lda: 1, b: empty, ldb: 2, c: &c, ldc: 2, accumulate: true)
        XCTAssertEqual(c, [1, 2, 3, 4])
        MatrixMultiply.gemm(transposeA: false, transposeB: false, m: 2, n: 2, k: 0,
                            a: empty, lda: 1, b: empty, ldb: 2, c: &c, ldc: 2)
        XCTAssertEqual(c, [0, 0, 0, 0])
        let a: [Float] = [.nan, 1, 2, 3]
        let b: [Float] = [1, 0, 0, 1]
        MatrixMultiply.gemm(transposeA: false, transposeB: false, m: 2, n: 2, k: 2,
                            a: a, lda: 2, b: b, ldb: 2, c: &c, ldc: 2)
        XCTAssertTrue(c[0].isNaN)
        XCTAssertEqual(Array(c[2...]), [2, 3])
    }

    /// The documented example.
    func testDocumentedExample() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]
        let b: [Float] = [1, 0, 0, 1, 1, 1]
        var c = [Float](repeating: 0, count: 4)
        MatrixMultiply.gemm(transposeA: false, transposeB: false, m: 2, n: 2, k: 3,
                            a: a, lda: 3, b: b, ldb: 2, c: &c, ldc: 2)
        XCTAssertEqual(c, [4, 5, 10, 11])
    }

    func testKernelCatalogue() {
        let available = MatrixMultiplyKernel.available
        XCTAssertEqual(available.first, MatrixMultiplyKernel.best)
        XCTAssertTrue(available.contains { $0.name.hasPrefix("portable") })
        for kernel in available {
            XCTAssertEqual(kernel.rowBlock % kernel.tileRows, 0, kernel.name)
            XCTAssertEqual(kernel.columnBlock % kernel.tileColumns, 0, kernel.name)
        }
    }
}
