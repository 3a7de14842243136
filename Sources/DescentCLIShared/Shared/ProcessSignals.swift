import CDescentSignals
import Foundation

/// SIGINT and SIGTERM for the whole life of a `descent` process, through one handler installed first thing in `main`
/// (`CDescentSignals`: a sigaction handler that writes the signal's number to a pipe) and one thread that reads them
/// and decides, under a lock, what each one means at the moment it is read:
///
/// * while a command's ``SignalStop`` watches (``handOver(to:)``), its handler: the first signal asks the work to stop
///   gracefully, a second ends the process at once;
/// * otherwise — before the command's stop watches (parsing the flags, reading `--config`, checking the outputs,
///   loading the data), after it gave the signals back, or in a command with no graceful stop (`report`, `inspect`) —
///   the process ends at once with 128 + the signal's number (130 after SIGINT, 143 after SIGTERM) and, with
///   `--json`, first prints the one JSON object every `--json` run ends with (nothing when that object is printed
///   already):
///   `{"error":{"kind":"interrupted","message":"stopped by SIGINT before the work was done; …"},"status":"interrupted"}`.
///
/// Was: a Ctrl-C in the first quarter second of `descent train --json` killed the process with no JSON object.
/// The handler is never replaced, so a hand-over loses no signal: one that comes before ``handOver(to:)`` ends the
/// process, one after it reaches the stop. (Dispatch signal sources lose one: on Linux libdispatch installs its
/// handler later, on its own thread; see `CDescentSignals.h`.) A signal before `main` runs still kills the process.
/// Under `mpirun` nothing is armed here: `MPICommunicator.watchStopSignals` installs a handler of its own.
///
/// ```swift
/// ProcessSignals.arm(json: arguments.contains("--json"))   // first thing in main
/// let signals = SignalStop(json: json)                      // hands over: a signal now stops the work gracefully
/// signals.restore()                                         // takes back: a signal now ends the process at once
/// ```
package enum ProcessSignals {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var armed = false
    nonisolated(unsafe) private static var json = false
    nonisolated(unsafe) private static var handler: (@Sendable (Int32) -> Void)?

    /// Installs the handler and starts the thread that reads the signals (once; later calls do nothing). Returns
    /// whether the signals are watched (false only when the pipe could not be made: they keep their default actions).
    @discardableResult
    package static func arm(json: Bool) -> Bool {
        lock.withLock {
            if armed { return true }
            guard descent_signals_install() == 0 else { return false }
            armed = true
            self.json = json
            let reader = Thread {
                while true {
                    let number = descent_signals_next()
                    guard number > 0 else { return }
                    deliver(number)
                }
            }
            reader.name = "descent signals"
            reader.start()
            return true
        }
    }

    /// From here each signal goes to `handler` (on the thread that reads them, one at a time, in order).
    package static func handOver(to handler: @escaping @Sendable (Int32) -> Void) {
        lock.withLock { self.handler = handler }
    }

    /// From here a signal ends the process at once again.
    package static func takeBack() {
        lock.withLock { handler = nil }
    }

    private static func deliver(_ number: Int32) {
        let (current, json) = lock.withLock { (handler, self.json) }
        if let current { return current(number) }
        // Never waits: if the main thread is stuck writing, the object is left out and the process ends.
        StandardOutput.writeAndFlushIfFree(json ? line(number) + "\n" : "")
        _exit(128 + number)
    }

    /// The `--json` object of a process ended by a signal before (or without) a graceful stop.
    static func line(_ number: Int32) -> String {
        let name = number == SIGINT ? "SIGINT" : "SIGTERM"
        return FailureJSON.line(kind: "interrupted", message: "stopped by \(name) before the work was done; nothing more was written")
            .replacingOccurrences(of: #""status":"failed""#, with: #""status":"interrupted""#)
    }
}
