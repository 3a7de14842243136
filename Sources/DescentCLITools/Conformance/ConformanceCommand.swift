import ArgumentParser

/// `descent conformance ...`: run reference-value conformance files.
struct ConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Check Descent against reference values from PyTorch, Optax and others.",
        subcommands: [ConformanceSchedulesCommand.self, ConformanceOptimizersCommand.self, ConformanceLearningRateFinderCommand.self]
    )
}
