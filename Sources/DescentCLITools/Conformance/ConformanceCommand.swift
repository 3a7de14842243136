import ArgumentParser

/// `descent conformance ...`: run reference-value conformance files.
package struct ConformanceCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Check Descent against reference values from PyTorch, Optax and others.",
        subcommands: [ConformanceSchedulesCommand.self, ConformanceOptimizersCommand.self, ConformanceLearningRateFinderCommand.self]
    )

    package init() {}
}
