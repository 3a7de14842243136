import DescentDiagnosis
import DescentTrain
import Foundation

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
    private let settings: RunSettings?
    private(set) var progress: TrainingProgressLine?
    private(set) var log: TrainingLog?
    private(set) var tensorboard: TensorBoardTrainingObserver?

    /// - Parameters:
    ///   - baseline: the trivial baseline of the validation set (its metric's name names the metric).
    ///   - momentum: the momentum (beta1) step `t` (0-based) uses, when the schedule cycles it.
    init(options: TrainingOutputOptions, json: Bool, baseline: TrivialBaseline, epochs: Int, stepsPerEpoch: Int,
         momentum: ((Int) -> Double?)? = nil, settings: RunSettings? = nil) {
        self.settings = settings
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
                                  resumedAtStep: resumed ? resumedAtStep : nil, rollbacks: rollbacks, settings: settings)
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

    /// Notes how the run ended — the error that ended it (the log's `diverged` line) and its
    /// status (the log's `end` line) — and closes everything.
    func finish(status: String, after error: Error? = nil) throws {
        progress?.clear()
        if let error = error as? TrainingError { try log?.record(error) }
        try log?.finish(status: status)
        try tensorboard?.finish()
    }
}
