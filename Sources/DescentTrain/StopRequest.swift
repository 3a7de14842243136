import Foundation

/// A request to stop training, safe to set from another thread (a signal handler's dispatch
/// source, a user interface). The trainer checks it before each step: the step in progress
/// finishes, a checkpoint is written when the run keeps them, and `run` returns with
/// `TrainingStatus.interrupted`.
///
/// ```swift
/// let stop = StopRequest()
/// stop.request()          // e.g. on SIGINT
/// stop.isRequested        // true
/// ```
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var reasonText: String?

    public init() {}

    /// Asks training to stop after the current step; `reason` is kept for the report (e.g. "SIGINT").
    public func request(reason: String? = nil) {
        lock.lock()
        defer { lock.unlock() }
        requested = true
        if reasonText == nil { reasonText = reason }
    }

    public var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    /// Why the stop was requested, if said.
    public var reason: String? {
        lock.lock()
        defer { lock.unlock() }
        return reasonText
    }

    /// Thrown from inside a long measurement (the stability ceiling's or the sharpness's power iterations) when the
    /// request is set part-way, so the caller stops within one Hessian-vector product instead of after fifty.
    public struct Stopped: Error, CustomStringConvertible {
        public var reason: String?
        public var description: String { "stopped (\(reason ?? "stop requested"))" }
    }

    /// Throws `Stopped` once the request is set.
    public func check() throws {
        if isRequested { throw Stopped(reason: reason) }
    }
}
