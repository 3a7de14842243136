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

    /// Fails before training when the log cannot be a regular file or the directory cannot be made.
    func check() throws {
        if let logPath {
            var status = stat()
            // As every output: a regular file or a new one, or a device such as /dev/null written straight through.
            if lstat(logPath, &status) == 0, ![S_IFREG, S_IFCHR, S_IFIFO].contains(status.st_mode & S_IFMT) {
                throw ValidationError("--log: '\(logPath)' is not a regular file or a device; give a file name such as run.jsonl")
            }
            let directory = URL(fileURLWithPath: logPath).deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: directory) else {
                throw ValidationError("--log: the directory '\(directory)' does not exist")
            }
        }
        if let tensorboardDirectory {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: tensorboardDirectory, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw ValidationError("--tensorboard: '\(tensorboardDirectory)' is a file; give a directory")
            }
        }
    }
}
