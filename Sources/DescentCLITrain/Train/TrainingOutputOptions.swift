import ArgumentParser
import DescentDiagnosis
import DescentTrain
import Foundation

/// `descent train`'s flags for following a run as it goes: `--log FILE.jsonl` (one JSON line per
/// step and per epoch, read back by `descent diagnose`) and `--tensorboard DIR` (TensorBoard event
/// files). Both are written as the run goes, so a killed run leaves them readable up to the kill.
struct TrainingOutputOptions: ParsableArguments {
    @Option(name: .customLong("log"),
            help: ArgumentHelp("Write one JSON line per step and per epoch to this file (JSON Lines; read it with descent diagnose).",
                               valueName: "file.jsonl"))
    var logPath: String?
    @Option(name: .customLong("tensorboard"),
            help: ArgumentHelp("Write TensorBoard event files (losses, metric, learning rate) to this directory.",
                               valueName: "directory"))
    var tensorboardDirectory: String?

    /// Fails before training when the TensorBoard directory is a file (the log is checked with every other output,
    /// `TrainCommand.validateOutputs`).
    func check() throws {
        if let tensorboardDirectory {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: tensorboardDirectory, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw ValidationError("--tensorboard: '\(tensorboardDirectory)' is a file; give a directory")
            }
        }
    }
}
