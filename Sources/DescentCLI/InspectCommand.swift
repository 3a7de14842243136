import ArgumentParser

/// `descent inspect FILE`. (Owned by the data work; stub.)
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Look inside a CSV data file or a safetensors weights file."
    )
}
