import ArgumentParser
import DescentCLIShared
import DescentTensor
import Foundation

/// `descent bench gemm`: single-precision matrix-multiply throughput.
///
/// For each size n it multiplies two random n×n float32 matrices (C = A·B, the
/// same product as NumPy's `a @ b`), warms up, then reports the best of several
/// timed repeats as GFLOPS = 2·n³ / seconds / 10⁹. With `--json` the last line
/// is one JSON object, e.g.
///
///     {"kernel":"avx2-fma 6x16","threads":2,"gemm":[{"n":512,"gflops":141.2,"seconds":0.0019}]}
///
/// Run a release build (`swift build -c release`); debug builds are far slower.
struct BenchGemmCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Matrix-multiply throughput in GFLOPS.",
        discussion: """
            Multiplies random n×n float32 matrices (C = A·B) and prints GFLOPS = 2·n³/s/1e9, \
            best of several repeats after a warm-up. Compare with benchmarks/gemm.sh, which runs NumPy \
            in the same run.
            """
    )

    @Option(help: "Comma-separated matrix sizes n.")
    var sizes: String = "256,512,1024"

    @Option(help: "Also time these non-square products, as MxNxK (e.g. 32x10x64,64x784x27).")
    var shapes: String?

    @Option(help: "Threads to use (default: all processors).")
    var threads: Int?

    @Option(help: "Timed repeats per size (the best counts); default: as many as fit in about a second, at least 5.")
    var repeats: Int?

    @Option(help: "Micro-kernel to use, by name prefix (e.g. avx2, portable); default: the best one.")
    var kernel: String?

    @Flag(help: "End with one line of JSON: {\"gemm\":[{\"n\":...,\"gflops\":...},...]}.")
    var json = false

    func parsedSizes() throws -> [Int] {
        let parts = sizes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var result: [Int] = []
        for part in parts {
            guard let n = Int(part), n > 0, n <= 16_384 else {
                throw ValidationError("--sizes: '\(part)' is not a matrix size between 1 and 16384")
            }
            result.append(n)
        }
        guard !result.isEmpty else { throw ValidationError("--sizes: give at least one size, e.g. 256,512") }
        return result
    }

    func parsedShapes() throws -> [(m: Int, n: Int, k: Int)] {
        guard let shapes else { return [] }
        return try shapes.split(separator: ",").map { text in
            let parts = text.split(separator: "x").compactMap { Int($0) }
            guard parts.count == 3, parts.allSatisfy({ $0 > 0 && $0 <= 1 << 20 }), parts[0] * parts[1] * parts[2] <= 1 << 34 else {
                throw ValidationError("--shapes: '\(text)' is not MxNxK with positive sizes, e.g. 32x10x64")
            }
            return (parts[0], parts[1], parts[2])
        }
    }

    package func validate() throws {
        _ = try parsedSizes()
        _ = try parsedShapes()
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if let repeats, repeats < 1 { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
        if let kernel, chosenKernel(kernel) == nil {
            let names = MatrixMultiplyKernel.available.map(\.name).joined(separator: ", ")
            throw ValidationError("--kernel: no available kernel named '\(kernel)' (available: \(names))")
        }
    }

    func chosenKernel(_ name: String) -> MatrixMultiplyKernel? {
        MatrixMultiplyKernel.available.first { $0.name == name } ??
            MatrixMultiplyKernel.available.first { $0.name.hasPrefix(name) }
    }

    package func run() async throws { try await FailureJSON.run(json: json) { try benchmark() } }

    func benchmark() throws {
        let sizes = try parsedSizes()
        let threadCount = threads ?? Parallel.threadCount
        let kernel = kernel.flatMap(chosenKernel) ?? MatrixMultiplyKernel.best
        print("gemm float32, kernel \(kernel.name), \(threadCount) thread\(threadCount == 1 ? "" : "s")")
        var results: [(n: Int, gflops: Double, seconds: Double)] = []
        for n in sizes {
            let seconds = measure(m: n, n: n, k: n, kernel: kernel, threads: threadCount)
            let gflops = 2 * Double(n) * Double(n) * Double(n) / seconds / 1e9
            results.append((n, gflops, seconds))
            print(String(format: "n = %5d   %8.1f GFLOPS   %9.3f ms", n, gflops, seconds * 1e3))
        }
        var shapeResults: [(m: Int, n: Int, k: Int, gflops: Double, seconds: Double)] = []
        for shape in try parsedShapes() {
            let seconds = measure(m: shape.m, n: shape.n, k: shape.k, kernel: kernel, threads: threadCount)
            let gflops = 2 * Double(shape.m) * Double(shape.n) * Double(shape.k) / seconds / 1e9
            shapeResults.append((shape.m, shape.n, shape.k, gflops, seconds))
            print(String(format: "%@   %8.1f GFLOPS   %9.2f µs", "\(shape.m)x\(shape.n)x\(shape.k)", gflops, seconds * 1e6))
        }
        if json {
            let entries = results.map {
                String(format: "{\"n\":%d,\"gflops\":%.2f,\"seconds\":%.6g}", $0.n, $0.gflops, $0.seconds)
            }
            let shapeEntries = shapeResults.map {
                String(format: "{\"m\":%d,\"n\":%d,\"k\":%d,\"gflops\":%.2f,\"seconds\":%.6g}", $0.m, $0.n, $0.k, $0.gflops, $0.seconds)
            }
            let shapesJSON = shapeEntries.isEmpty ? "" : ",\"shapes\":[\(shapeEntries.joined(separator: ","))]"
            print("{\"kernel\":\"\(kernel.name)\",\"threads\":\(threadCount),\"gemm\":[\(entries.joined(separator: ","))]\(shapesJSON)}")
        }
    }

    /// Best wall-clock seconds of one m×k · k×n product.
    func measure(m: Int, n: Int, k: Int, kernel: MatrixMultiplyKernel, threads: Int) -> Double {
        var bestCPU = Double.infinity
        var generator = SeededGenerator(seed: 42)
        let a = (0..<m * k).map { _ in Float.random(in: -1...1, using: &generator) }
        let b = (0..<k * n).map { _ in Float.random(in: -1...1, using: &generator) }
        var c = [Float](repeating: 0, count: m * n)
        func once() -> Double {
            var cpuStart = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpuStart)
            defer {
                var cpuEnd = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpuEnd)
                let cpu = Double(cpuEnd.tv_sec - cpuStart.tv_sec) + Double(cpuEnd.tv_nsec - cpuStart.tv_nsec) / 1e9
                bestCPU = min(bestCPU, cpu)
            }
            let start = DispatchTime.now().uptimeNanoseconds
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        MatrixMultiply.gemm(transposeA: false, transposeB: false, m: m, n: n, k: k,
                                            a: a.baseAddress!, lda: k, b: b.baseAddress!, ldb: n,
                                            c: c.baseAddress!, ldc: n, accumulate: false, kernel: kernel, threads: threads)
                    }
                }
            }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var best = Double.infinity
        var total = 0.0
        // Warm-up: first touches, the pool's threads, the packing buffers.
        for _ in 0..<2 { total += once() }
        let count = repeats ?? max(5, min(10_000, Int(1.0 / max(total / 2, 1e-7))))
        for _ in 0..<count { best = min(best, once()) }
        if ProcessInfo.processInfo.environment["DESCENT_BENCH_CPU"] != nil {
            print("  calling thread's best CPU time: \(bestCPU * 1e3) ms = \(2 * Double(m * n * k) / bestCPU / 1e9) GFLOPS per CPU-second")
        }
        return best
    }
}
