import DescentTrain
import Foundation

/// Turns SIGINT and SIGTERM into a `StopRequest` while training runs: the step in progress
/// finishes, the run saves what it was asked to (checkpoint, weights, report, JSON summary) and
/// the command exits 130 (SIGINT) or 143 (SIGTERM), as a shell expects of a program ended by that
/// signal. A second signal exits at once with the same status, saving nothing more; with `json` it
/// first prints the one JSON object a `--json` run ends with:
/// `{"error":{"kind":"interrupted","message":"stopped at once by a second SIGINT; …"},"status":"interrupted"}`.
///
/// ```swift
/// let signals = SignalStop()          // from here on Ctrl-C asks training to stop
/// // ... trainer.run(..., stopRequest: signals.request) ...
/// signals.exitStatus                  // 130 after SIGINT
/// ```
package final class SignalStop: @unchecked Sendable {
    package let request = StopRequest()
    private let watching: Bool

    /// Takes the signals over from ``ProcessSignals`` (arming it first when `main` did not): the handler that records
    /// them stays, only what a signal means changes, so a signal that comes during the hand-over is never lost (one
    /// before it ends the process at once, one after it asks the work to stop).
    /// - Parameter watching: false under MPI, where `MPICommunicator.watchStopSignals` installs a handler of its own
    ///   and sets `request`.
    package init(json: Bool = false, watching: Bool = true) {
        self.watching = watching
        SignalTestPause.here("before-signal-stop")
        if watching, ProcessSignals.arm(json: json) {
            ProcessSignals.handOver { [request] number in
                // Signals come one at a time, in order, on one thread: a second finds the first's request.
                if request.isRequested {
                    // Never waits: if the main thread is stuck writing, the object is left out and the process ends.
                    StandardOutput.writeAndFlushIfFree(json ? Self.secondSignalLine(number) + "\n" : "")
                    _exit(128 + number)
                }
                request.request(reason: number == SIGINT ? "SIGINT" : "SIGTERM")
            }
        }
        SignalTestPause.here("after-signal-stop", until: { [request] in request.isRequested })
    }

    /// The `--json` object of a run ended at once by a second signal.
    static func secondSignalLine(_ number: Int32) -> String {
        let name = number == SIGINT ? "SIGINT" : "SIGTERM"
        var line = FailureJSON.line(kind: "interrupted", message: "stopped at once by a second \(name); "
            + "the step in progress and anything not yet saved are lost (the last checkpoint stays)")
        line = line.replacingOccurrences(of: #""status":"failed""#, with: #""status":"interrupted""#)
        return line
    }

    /// 130 after SIGINT, 143 after SIGTERM (128 + the signal's number), nil when none came.
    package var exitStatus: Int32? {
        switch request.reason {
        case "SIGINT": return 128 + SIGINT
        case "SIGTERM": return 128 + SIGTERM
        default: return nil
        }
    }

    /// Gives the signals back: to ``ProcessSignals`` (a signal from here ends the process at once, adding no JSON
    /// object after the summary), or under MPI to their default actions.
    package func restore() {
        if watching {
            ProcessSignals.takeBack()
        } else {
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
    }
}
