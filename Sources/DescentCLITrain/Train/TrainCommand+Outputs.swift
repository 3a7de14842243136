import ArgumentParser
import DescentFiles
import Foundation

extension TrainCommand {
    /// Checks the files `train` will write, before any training, so a finished run is never lost
    /// at the end: each must be writable (``AtomicFile/check(_:)``: not a directory, a block device
    /// or in a missing directory), and no two may be the same file, by any spelling (`x` and `./x`,
    /// a symbolic link, a hard link) — `--report x --save-weights x` once overwrote the weights
    /// with the HTML. A bad output path is a usage error (exit 2), for every output flag alike.
    func validateOutputs() throws {
        // The checkpoint directory is created later, so its files take part in the sameness check only: all
        // of them (`--log DIR/checkpoint.lock` was appended to the lock file, which the run's end removed).
        let checkpointFiles = Self.checkpointFileNames.map { name in ("--checkpoint-dir", checkpointDirectory.map { $0 + "/" + name }) }
        // The log is appended to as the run goes, by its own path (never through a symbolic link: TrainingLog opens it O_NOFOLLOW).
        if let log = outputs.logPath {
            var status = stat()
            if lstat(log, &status) == 0, status.st_mode & S_IFMT == S_IFLNK {
                throw ValidationError("--log: '\(log)' is a symbolic link; give the file itself")
            }
        }
        try Self.validateOutputs([("--save-weights", saveWeights), ("--report", reportPath), ("--save-config", saveConfig),
                                  ("--log", outputs.logPath)],
                                 alsoDistinctFrom: checkpointFiles,
                                 inputs: data.inputFiles + [("--init-weights", initWeights), ("--config", configurationFile.path)])
    }

    /// The files `train --checkpoint-dir DIR` writes in DIR: the checkpoint, the curves beside it and the lock.
    static let checkpointFileNames = ["checkpoint.json", "curves.json", "checkpoint.lock"]

    /// The check for any list of output flags and their paths (nil: not given); `others` are
    /// outputs that must only differ from them; no output may be one of the `inputs` (the data, the
    /// weights or the configuration the run reads: `--csv x --report x` once replaced the data with HTML).
    ///
    /// Each output is checked as ``AtomicFile/check(_:)`` checks it — a FIFO with no reader is refused here, before the
    /// work (was: `--save-weights FIFO` failed after training); one with a reader is held open until the output is
    /// written. `streamed` outputs (written piece by piece, ``AtomicFileStream``: predict's `--out`) take no FIFO at all.
    package static func validateOutputs(_ outputs: [(flag: String, path: String?)],
                                alsoDistinctFrom others: [(flag: String, path: String?)] = [],
                                inputs: [(flag: String, path: String?)] = [], streamed: Set<String> = []) throws {
        let checked = outputs.compactMap { output in output.path.map { (flag: output.flag, path: $0) } }
        let given = checked + others.compactMap { output in output.path.map { (flag: output.flag, path: $0) } }
        try validateStandardOutput(outputs: given, inputs: inputs)
        for output in given {
            for input in inputs {
                guard let path = input.path, FileDestination.same(output.path, path) else { continue }
                throw ValidationError("\(output.flag) '\(output.path)' is the input \(input.flag) file; "
                                      + "give each output its own path")
            }
        }
        for output in checked {
            if streamed.contains(output.flag), (try? FileDestination(output.path))?.kind == .fifo {
                throw ValidationError("\(output.flag): '\(output.path)' is a FIFO; it is written piece by piece and may fail part-way, "
                                      + "so only to a file, a device such as /dev/stdout, or standard output (leave \(output.flag) out)")
            }
            do {
                try AtomicFile.check(output.path)
            } catch let error as FileWriteError {
                throw ValidationError("\(output.flag): \(error)")
            }
        }
        // Two outputs may share a device (`--log /dev/null --save-weights /dev/null`): nothing is replaced there.
        func isDevice(_ path: String) -> Bool { (try? FileDestination(path))?.kind == .characterDevice }
        for (index, first) in given.enumerated() where !isDevice(first.path) {
            for second in given[(index + 1)...] where FileDestination.same(first.path, second.path) {
                throw ValidationError("\(first.flag) '\(first.path)' and \(second.flag) '\(second.path)' are the same file; "
                                      + "give each output its own path")
            }
        }
    }

    /// Standard output redirected to a file (`> F`, `>> F`) must be neither an input nor another output: `descent train
    /// --csv data.csv --json >> data.csv` appended the summary to the training data, and `--log F --json > F` wrote the
    /// log and the summary over each other into one file. A usage error, before any work; onto an input, not even the
    /// `--json` object is written there (standard output goes to /dev/null). An output spelled as standard
    /// output itself (`--out /dev/stdout`) is what the user asked for and passes.
    package static func validateStandardOutput(outputs: [(flag: String, path: String?)], inputs: [(flag: String, path: String?)]) throws {
        var status = stat()
        guard fstat(STDOUT_FILENO, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return }
        let identity = "file:\(status.st_dev):\(status.st_ino)"
        func isStandardOutput(_ path: String) -> Bool { (try? FileDestination(path))?.identity == identity }
        for input in inputs {
            guard let path = input.path, isStandardOutput(path) else { continue }
            // Not even the refusal's --json object goes into the input: standard output is /dev/null from here.
            let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
            if null >= 0 {
                dup2(null, STDOUT_FILENO)
                close(null)
            }
            throw ValidationError("standard output is redirected to the input \(input.flag) file '\(path)'; "
                                  + "send it to another file (nothing was written to it)")
        }
        let spelledAsStandardOutput: Set<String> = ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "-"]
        for output in outputs {
            guard let path = output.path, !spelledAsStandardOutput.contains(path), isStandardOutput(path) else { continue }
            throw ValidationError("\(output.flag) '\(path)' is the file standard output is redirected to; give each output its own path")
        }
    }
}
