import DescentFiles
import Foundation

/// Writes scalars (tag, step, value) to a TensorBoard event file in a directory, the files
/// `tensorboard --logdir DIR` and its `EventAccumulator` read.
///
/// The file is `DIR/events.out.tfevents.<seconds since 1970>.<host name>` (with `.1`, `.2`, …
/// added if that name is taken); its first record is the `file_version: "brain.Event:2"` event,
/// each later one an `Event` holding a `Summary` of scalars, every record framed as a TFRecord
/// (`TFRecord.frame`). Records collect in memory and go to the file at `flush()` (and whenever
/// 64 KiB have collected), each flush one append, so a killed run's file reads up to its last flush.
///
/// ```swift
/// let writer = try TensorBoardWriter(directory: "runs/digits")
/// try writer.add("loss/training", 0.31, step: 45)
/// try writer.add("learning_rate", 3e-3, step: 45)
/// try writer.flush()
/// // $ tensorboard --logdir runs   (the scalars "loss/training" and "learning_rate" at step 45)
/// ```
public final class TensorBoardWriter {
    /// Why the event file could not be written; names the path.
    public struct WriteError: Error, CustomStringConvertible, Equatable, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "cannot write TensorBoard events to '\(path)': \(reason)" }
    }

    /// The event file being written.
    public let path: String
    private var descriptor: Int32
    private var pending: [UInt8] = []
    private let now: () -> Double

    /// Creates `directory` if needed (not its parents) and starts a new event file in it.
    /// - Parameter now: seconds since 1970 for each event's wall time (tests pass a fixed clock).
    public init(directory: String, hostName: String = ProcessInfo.processInfo.hostName,
                now: @escaping () -> Double = { Date().timeIntervalSince1970 }) throws {
        self.now = now
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw WriteError(path: directory, reason: "it is not a directory") }
        } else {
            do {
                try DirectoryCreation.create(directory, withIntermediateDirectories: false)
            } catch let error as FileWriteError {
                let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
                let reason = manager.fileExists(atPath: parent) ? "creating the directory failed (\(error.reason))"
                    : "its parent directory '\(parent)' does not exist"
                throw WriteError(path: directory, reason: reason)
            }
        }
        let host = hostName.isEmpty ? "localhost" : hostName.map { $0 == "/" ? "_" : $0 }.map(String.init).joined()
        let base = URL(fileURLWithPath: directory).appendingPathComponent("events.out.tfevents.\(Int(now())).\(host)").path
        var candidate = base, suffix = 0, opened: Int32 = -1
        while true {
            // O_EXCL: never append to, or replace, a file that is already there (nor follow a link).
            opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
            if opened >= 0 || errno != EEXIST || suffix >= 1000 { break }
            suffix += 1
            candidate = base + ".\(suffix)"
        }
        path = candidate
        guard opened >= 0 else { throw WriteError(path: candidate, reason: String(cString: strerror(errno))) }
        descriptor = opened
        append(TensorBoardEvent(wallTime: now(), step: 0, content: .fileVersion(TensorBoardEvent.fileVersion)))
        try flush()
    }

    deinit {
        if descriptor >= 0 {
            try? flush()
            close(descriptor)
        }
    }

    /// Adds one scalar at `step` (stored as a 32-bit float, as TensorBoard's `simple_value` is).
    public func add(_ tag: String, _ value: Double, step: Int) throws {
        try add([TensorBoardEvent.Scalar(tag: tag, value: Float(value))], step: step)
    }

    /// Adds scalars that share a step, in one event.
    public func add(_ scalars: [TensorBoardEvent.Scalar], step: Int) throws {
        guard !scalars.isEmpty else { return }
        append(TensorBoardEvent(wallTime: now(), step: Int64(step), content: .scalars(scalars)))
        if pending.count >= 1 << 16 { try flush() }
    }

    /// Tells TensorBoard that the run restarted at `step`: what it read at steps ≥ `step` is dropped.
    public func restart(at step: Int) throws {
        append(TensorBoardEvent(wallTime: now(), step: Int64(step), content: .sessionStart))
        try flush()
    }

    /// Appends the collected records to the file.
    public func flush() throws {
        guard descriptor >= 0 else { throw WriteError(path: path, reason: "the writer is closed") }
        var offset = 0
        defer { pending.removeFirst(offset) }
        try pending.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(path: path, reason: String(cString: strerror(errno)))
                }
                offset += written
            }
        }
    }

    /// Flushes, syncs the file to the disk and closes it.
    public func finish() throws {
        guard descriptor >= 0 else { return }
        try flush()
        let synced = fsync(descriptor) == 0
        let reason = String(cString: strerror(errno))
        close(descriptor)
        descriptor = -1
        guard synced else { throw WriteError(path: path, reason: "fsync failed (\(reason))") }
    }

    private func append(_ event: TensorBoardEvent) {
        pending += TFRecord.frame(event.encoded())
    }
}
