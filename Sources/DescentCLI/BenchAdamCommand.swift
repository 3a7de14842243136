import ArgumentParser

/// `descent bench adam`. (Owned by the optimizers work; stub.)
struct BenchAdamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adam",
        abstract: "Seconds per Adam step over many parameters."
    )
}
