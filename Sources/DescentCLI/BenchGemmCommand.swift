import ArgumentParser

/// `descent bench gemm`. (Owned by the kernels work; stub.)
struct BenchGemmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Matrix-multiply throughput in GFLOPS."
    )
}
