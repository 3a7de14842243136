import ArgumentParser
import Descent
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
            if lstat(logPath, &status) == 0, (status.st_mode & S_IFMT) != S_IFREG {
                throw ValidationError("--log: '\(logPath)' is not a regular file; give a file name such as run.jsonl")
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

/// `--config FILE`: flags read from a TOML or YAML file before the command line (see `ConfigurationArguments`).
struct ConfigurationOption: ParsableArguments {
    @Option(name: .customLong("config"),
            help: ArgumentHelp("Read flags from a TOML (.toml) or YAML (.yaml, .yml) file, keys named as the long flags "
                               + "(learning-rate or learning_rate); a flag on the command line wins over the file.",
                               valueName: "file"))
    var path: String?
}

/// Everything that watches a training run besides the printed epoch lines: the progress line,
/// the JSON Lines log and the TensorBoard file, each fed every event in that order (the progress
/// line first, so it is erased before an epoch's line is printed). Made before training; `start`
/// opens the files once it is known whether the run resumes (then the log is appended to).
final class TrainingObservers {
    private let options: TrainingOutputOptions
    private let json: Bool
    private let baseline: TrivialBaseline
    private let epochs: Int
    private let stepsPerEpoch: Int
    private let momentum: ((Int) -> Double?)?
    private(set) var progress: TrainingProgressLine?
    private(set) var log: TrainingLog?
    private(set) var tensorboard: TensorBoardTrainingObserver?

    /// - Parameters:
    ///   - baseline: the trivial baseline of the validation set (its metric's name names the metric).
    ///   - momentum: the momentum (beta1) step `t` (0-based) uses, when the schedule cycles it.
    init(options: TrainingOutputOptions, json: Bool, baseline: TrivialBaseline, epochs: Int, stepsPerEpoch: Int,
         momentum: ((Int) -> Double?)? = nil) {
        self.options = options
        self.json = json
        self.baseline = baseline
        self.epochs = epochs
        self.stepsPerEpoch = stepsPerEpoch
        self.momentum = momentum
    }

    /// Opens what the options ask for.
    /// - Parameters:
    ///   - resumedFromEpoch: epochs done before this process started (a resumed run: the log is appended to).
    ///   - resumedAtStep: optimizer steps done before this process started.
    ///   - rollbacks: the guard's rollbacks before this process started.
    func start(resumedFromEpoch: Int = 0, resumedAtStep: Int = 0, rollbacks: Int = 0) throws {
        let resumed = resumedFromEpoch > 0 || resumedAtStep > 0
        if TrainingProgressLine.isEnabled(json: json) {
            progress = TrainingProgressLine(epochs: epochs, stepsPerEpoch: stepsPerEpoch, completedEpochs: resumedFromEpoch)
        }
        if let path = options.logPath {
            log = try TrainingLog(path: path, appending: resumed, baseline: baseline, resumedFromEpoch: resumedFromEpoch,
                                  resumedAtStep: resumed ? resumedAtStep : nil, rollbacks: rollbacks)
            log?.momentum = momentum
        }
        if let directory = options.tensorboardDirectory {
            tensorboard = try TensorBoardTrainingObserver(directory: directory, metricName: baseline.metricName,
                                                         resumedAtStep: resumed ? resumedAtStep : nil)
        }
    }

    func record(_ event: TrainingEvent) throws {
        progress?.record(event)
        try log?.record(event)
        try tensorboard?.record(event)
    }

    /// Notes the error that ended the run (the log's `diverged` line) and closes everything.
    func finish(after error: Error? = nil) throws {
        progress?.clear()
        if let error = error as? TrainingError { try log?.record(error) }
        try log?.finish()
        try tensorboard?.finish()
    }
}
