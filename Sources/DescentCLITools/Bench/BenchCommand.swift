import ArgumentParser

/// `descent bench ...`: micro-benchmarks to compare with reference libraries.
package struct BenchCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks of Descent's kernels (run a release build).",
        subcommands: [BenchGemmCommand.self, BenchAdamCommand.self, BenchTrainCommand.self]
    )

    package init() {}
}
