import ArgumentParser

/// `descent train`: train a model on a data set. (Owned by the foundation work; stub.)
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a bundled or CSV data set."
    )
}
