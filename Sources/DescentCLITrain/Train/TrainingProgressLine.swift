import DescentCLIShared
import DescentDiagnosis
import DescentTrain
import Foundation

/// The live progress line of `descent train` on a terminal: epoch, step, smoothed loss, rate and
/// the time left, redrawn in place (`\r`, then erase to the end of the line) on standard error
/// at most `updatesPerSecond` times a second. It is cleared before each epoch's line is printed
/// and at the end, so the terminal keeps only the epoch lines. Shown only when standard output
/// and standard error are both terminals and `--json` is off (`isEnabled`).
///
/// The loss is the bias-corrected running average of the minibatch losses (`SmoothedLoss`, β = 0.98);
/// the time left is the seconds per step so far times the steps still to go.
///
/// ```
/// epoch 3/20  step 112/900  loss 0.2841  lr 3.00e-03  ETA 12s
/// ```
final class TrainingProgressLine {
    private let epochs: Int
    private let stepsPerEpoch: Int
    private let write: (String) -> Void
    private let clock: () -> Double
    private let interval: Double
    private let started: Double
    private var lastDrawn: Double?
    private var firstStep: Int?
    private var completedEpochs: Int
    private var smoothed = SmoothedLoss()
    private var visible = false

    /// - Parameters:
    ///   - completedEpochs: epochs already done (a resumed run).
    ///   - write: where the text goes (standard error by default).
    ///   - clock: seconds on a monotonic clock.
    init(epochs: Int, stepsPerEpoch: Int, completedEpochs: Int = 0, updatesPerSecond: Double = 10,
         write: @escaping (String) -> Void = { StandardOutput.error($0) },
         clock: @escaping () -> Double = TrainingLog.monotonicSeconds) {
        self.epochs = epochs
        self.stepsPerEpoch = Swift.max(stepsPerEpoch, 1)
        self.completedEpochs = completedEpochs
        self.write = write
        self.clock = clock
        interval = 1 / updatesPerSecond
        started = clock()
    }

    /// Whether to show the line: both outputs are terminals and the output is not JSON.
    static func isEnabled(json: Bool) -> Bool {
        !json && isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1
    }

    func record(_ event: TrainingEvent) {
        switch event {
        case let .stepEnded(step, loss, learningRate, _):
            let average = smoothed.add(loss)
            if firstStep == nil { firstStep = step - 1 }
            let now = clock()
            if let lastDrawn, now - lastDrawn < interval { return }
            lastDrawn = now
            write("\r" + text(step: step, loss: average, learningRate: learningRate, now: now) + "\u{1B}[K")
            visible = true
        case let .epochEnded(record):
            completedEpochs = record.epoch
            clear()
        case .rolledBack, .stoppedEarly:
            smoothed = SmoothedLoss()
            clear()
        case .sharpnessMeasured:
            break
        }
    }

    /// Erases the line (before other output, and at the end of the run).
    func clear() {
        guard visible else { return }
        write("\r\u{1B}[K")
        visible = false
        lastDrawn = nil
    }

    /// "epoch 3/20  step 112/900  loss 0.2841  lr 3.00e-03  ETA 12s".
    func text(step: Int, loss: Double, learningRate: Double, now: Double) -> String {
        let total = epochs * stepsPerEpoch
        var line = String(format: "epoch %ld/%ld  step %ld/%ld  loss %.4g  lr %.2e",
                          Swift.min(completedEpochs + 1, epochs), epochs, step, total, loss, learningRate)
        let done = step - (firstStep ?? 0)
        if done > 0, total > step {
            line += "  ETA " + Self.duration((now - started) / Double(done) * Double(total - step))
        }
        return line
    }

    /// "12s", "3m05s", "1h02m".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return String(format: "%ldm%02lds", whole / 60, whole % 60) }
        return String(format: "%ldh%02ldm", whole / 3600, (whole % 3600) / 60)
    }
}
