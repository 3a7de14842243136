import ArgumentParser

/// `descent conformance optimizers FILE`. (Owned by the optimizers work; stub.)
struct ConformanceOptimizersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimizers",
        abstract: "Run every case of an optimizers conformance file."
    )
}
