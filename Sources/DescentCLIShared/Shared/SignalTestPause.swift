import Foundation

/// A hook for tests, not a setting: with `DESCENT_TEST_PAUSE=NAME` in the environment the process stops at the point
/// called NAME, says so on standard error (`descent: test pause at NAME`), and waits there until `done` is true
/// (at most 60 s), so that a test can send a signal at a known point instead of after a guessed delay.
/// The points: `start` (first thing in `main`, signals watched), `before-signal-stop` (a command's ``SignalStop``
/// about to take the signals over: its flags parsed, its data loaded) and `after-signal-stop` (taken over; waits
/// until a stop is requested). Without the variable, nothing.
package enum SignalTestPause {
    package static func here(_ name: String, until done: () -> Bool = { false }) {
        guard ProcessInfo.processInfo.environment["DESCENT_TEST_PAUSE"] == name else { return }
        StandardOutput.error("descent: test pause at \(name)\n")
        let deadline = Date().addingTimeInterval(60)
        while !done() && Date() < deadline { usleep(5_000) }
    }
}
