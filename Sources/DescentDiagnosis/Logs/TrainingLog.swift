import DescentTrain
import Foundation

/// Writes a training run to a JSON Lines file as it happens: one `TrainingLogEntry` per step,
/// per epoch, per rollback, for an early stop and for the divergence that ends a run.
///
/// Each line goes to the file in one `write(2)` as soon as it is made, so a run killed at any
/// moment leaves a log that reads up to its last step. The file is truncated for a new run and
/// appended to when the run resumes (a partial last line, left by a kill in mid-write, is cut off
/// first). Only a regular file is written: a directory, a symbolic link or a device is refused.
///
/// ```swift
/// let log = try TrainingLog(path: "run.jsonl", baseline: TrivialBaseline(for: split.validation))
/// _ = try trainer.fit(model, optimizer: &optimizer, training: split.train,
///                     validation: split.validation) { try log.record($0) }
/// try log.finish()
/// // run.jsonl: {"kind":"run","format":1,...}, 45 step lines, {"kind":"epoch","epoch":1,...}, ...
/// let curves = try TrainingLog.curves(contentsOf: "run.jsonl").curves   // what `descent diagnose` reads
/// ```
public final class TrainingLog {
    public let path: String
    /// The momentum (or Adam's beta1) that step `t` (0-based) used, when the schedule cycles it.
    public var momentum: ((Int) -> Double?)?
    private var descriptor: Int32
    /// A character device (`/dev/null`) or a FIFO: written straight through, never synced or cut back.
    private var isDevice = false
    private let clock: () -> Double
    private let started: Double
    /// Sorted keys: the same entry is always the same line.
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    private var completedEpochs: Int
    private var rollbacks: Int
    private var metricName: String?

    /// Opens the log at `path` and writes its `run` line.
    /// - Parameters:
    ///   - appending: continue an existing log (a resumed run) instead of starting it afresh.
    ///   - baseline: what a model that learned nothing scores, for `descent diagnose`.
    ///   - resumedFromEpoch: the epochs already done when the run resumed (0 for a fresh run).
    ///   - resumedAtStep: the optimizer steps already done when the run resumed (nil: at the end of `resumedFromEpoch`).
    ///   - rollbacks: the guard's rollbacks already done when the run resumed.
    ///   - settings: the run's settings, written in the `run` line for the diagnosis's advice.
    ///   - clock: seconds on a monotonic clock (tests pass a fake one).
    public init(path: String, appending: Bool = false, baseline: TrivialBaseline? = nil, resumedFromEpoch: Int = 0,
                resumedAtStep: Int? = nil, rollbacks: Int = 0, settings: RunSettings? = nil, clock: @escaping () -> Double = TrainingLog.monotonicSeconds) throws {
        self.path = path
        self.clock = clock
        started = clock()
        completedEpochs = resumedFromEpoch
        self.rollbacks = rollbacks
        metricName = baseline?.metricName
        (descriptor, isDevice) = try Self.open(path, appending: appending)
        var header = TrainingLogEntry(kind: .run)
        header.format = TrainingLogEntry.currentFormat
        header.metricName = baseline?.metricName
        header.baseline = baseline
        header.resumedFromEpoch = resumedFromEpoch
        header.resumedAtStep = resumedAtStep
        header.settings = settings
        try write(header)
    }

    deinit {
        if descriptor >= 0 { Foundation.close(descriptor) }
    }

    /// Seconds since an arbitrary fixed moment, from the monotonic clock.
    public static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    /// Writes the line of one event of `Trainer.fit`.
    public func record(_ event: TrainingEvent) throws {
        var entry: TrainingLogEntry
        switch event {
        case let .stepEnded(step, loss, learningRate, gradientNorm):
            entry = TrainingLogEntry(kind: .step)
            entry.step = step
            entry.epoch = completedEpochs + 1
            entry.loss = loss
            entry.learningRate = learningRate
            entry.gradientNorm = gradientNorm
            if let momentum, let value = momentum(step - 1) { entry.momentum = value }
        case let .epochEnded(record):
            completedEpochs = record.epoch
            entry = TrainingLogEntry(kind: .epoch)
            entry.epoch = record.epoch
            entry.step = record.step
            entry.learningRate = record.learningRate
            entry.trainingLoss = record.trainingLoss
            entry.validationLoss = record.validationLoss
            entry.validationMetric = record.validationMetric
            entry.metricName = record.validationMetric == nil ? nil : metricName
            entry.rollbacks = rollbacks
        case let .rolledBack(step, loss, rateScale):
            rollbacks += 1
            entry = TrainingLogEntry(kind: .rollback)
            entry.step = step
            entry.loss = loss
            entry.rateScale = rateScale
            entry.rollbacks = rollbacks
        case let .stoppedEarly(epoch, bestEpoch):
            entry = TrainingLogEntry(kind: .stoppedEarly)
            entry.epoch = epoch
            entry.bestEpoch = bestEpoch
        case let .sharpnessMeasured(measurement):
            entry = TrainingLogEntry(kind: .sharpness)
            entry.step = measurement.step
            entry.lambdaMax = measurement.lambdaMax
            entry.edge = measurement.edge
            entry.preconditionedLambdaMax = measurement.preconditionedLambdaMax
            entry.preconditionedEdge = measurement.preconditionedEdge
            entry.learningRate = measurement.learningRate
            entry.iterations = measurement.iterations
            entry.rows = measurement.rows
            entry.measureSeconds = measurement.seconds
        }
        entry.seconds = clock() - started
        try write(entry)
    }

    /// Writes the `diverged` line of a run the guard could not save; other errors write nothing.
    public func record(_ error: TrainingError) throws {
        guard case let .diverged(step, loss, rollbacks) = error else { return }
        var entry = TrainingLogEntry(kind: .diverged)
        entry.step = step
        entry.loss = loss
        entry.rollbacks = rollbacks
        entry.seconds = clock() - started
        try write(entry)
    }

    /// Writes one entry as one line.
    public func write(_ entry: TrainingLogEntry) throws {
        guard descriptor >= 0 else { throw TrainingLogError.cannotWrite(path: path, reason: "the log is already closed") }
        var line: Data
        do {
            line = try encoder.encode(entry)
        } catch {
            throw TrainingLogError.cannotWrite(path: path, reason: "encoding a \(entry.kind.rawValue) line failed (\(error))")
        }
        line.append(UInt8(ascii: "\n"))
        try line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw TrainingLogError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
                }
                offset += written
            }
        }
    }

    /// Writes the `end` line with the run's `status` (none when nil), flushes the log to the disk
    /// and closes it; later writes fail.
    public func finish(status: String? = nil) throws {
        guard descriptor >= 0 else { return }
        if let status {
            var entry = TrainingLogEntry(kind: .end)
            entry.status = status
            entry.seconds = clock() - started
            try write(entry)
        }
        let synced = fsync(descriptor) == 0 || isDevice
        let reason = String(cString: strerror(errno))
        Foundation.close(descriptor)
        descriptor = -1
        guard synced else { throw TrainingLogError.cannotWrite(path: path, reason: "fsync failed (\(reason))") }
    }

    /// Opens `path` for writing: a regular file or none (then created), or a character device such as
    /// `/dev/null` or a FIFO with a reader (written straight through, as every output of `descent`
    /// treats them: see `FileDestination`); never a link or a directory. Returns the descriptor and
    /// whether it is a device or FIFO.
    private static func open(_ path: String, appending: Bool) throws -> (descriptor: Int32, isDevice: Bool) {
        guard !path.isEmpty else { throw TrainingLogError.cannotWrite(path: path, reason: "the path is empty") }
        var status = stat()
        if lstat(path, &status) == 0, [S_IFCHR, S_IFIFO].contains(status.st_mode & S_IFMT) {
            // O_NONBLOCK: a FIFO without a reader fails at once (ENXIO) instead of blocking the run.
            let descriptor = Foundation.open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK)
            guard descriptor >= 0 else {
                let reason = errno == ENXIO ? "it is a FIFO with no reader; start the reader first" : String(cString: strerror(errno))
                throw TrainingLogError.cannotWrite(path: path, reason: reason)
            }
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
            return (descriptor, true)
        }
        if lstat(path, &status) == 0, (status.st_mode & S_IFMT) != S_IFREG {
            let what = (status.st_mode & S_IFMT) == S_IFDIR ? "it is a directory; give a file name such as run.jsonl"
                : (status.st_mode & S_IFMT) == S_IFLNK ? "it is a symbolic link" : "it is not a regular file"
            throw TrainingLogError.cannotWrite(path: path, reason: what)
        }
        // Read-write when appending: the partial-line check reads the file's end.
        let flags = (appending ? O_RDWR : O_WRONLY) | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (appending ? O_APPEND : O_TRUNC)
        let descriptor = Foundation.open(path, flags, 0o644)
        guard descriptor >= 0 else {
            throw TrainingLogError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        if appending {
            // A kill in mid-line leaves a partial last line: cut the file back to its last newline.
            let size = lseek(descriptor, 0, SEEK_END)
            if size > 0 {
                var end = size
                var byte: UInt8 = 0
                while end > 0, pread(descriptor, &byte, 1, end - 1) == 1, byte != UInt8(ascii: "\n") { end -= 1 }
                if end != size, ftruncate(descriptor, end) != 0 {
                    let reason = String(cString: strerror(errno))
                    Foundation.close(descriptor)
                    throw TrainingLogError.cannotWrite(path: path, reason: "cutting off its partial last line failed (\(reason))")
                }
            }
        }
        return (descriptor, false)
    }
}
