import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way every `descent` command writes to standard output and standard error, so that a
/// failed write is a failure and never a trap or a silent success.
///
/// * Every `print` in DescentCLI is ``print(_:separator:terminator:)`` below (it shadows the
///   standard library's inside this module) and goes through ``write(_:)``: its own buffer (64 KiB,
///   or a line at a time on a terminal, as C stdio), handed to `write(2)` so each failure's `errno`
///   is known.
/// * A write that fails with `EPIPE` (the reader went away: `descent predict … | head -3`) ends the
///   process at once and quietly, by `SIGPIPE` as a C tool would (the shell's status 141), whether or
///   not the signal was ignored.
/// * Any other failure (`> /dev/full`, a full disk, a closed descriptor) is remembered, later output
///   is dropped, and the process ends with status 1 and one line on standard error:
///   `error: cannot write to standard output: No space left on device (the output is incomplete)`.
///   The work itself finishes (a model is still saved); a status that already says failure stays.
///   The check runs at exit (``install()`` registers it with `atexit`), after the last buffered byte is
///   flushed, so a failure in that last flush counts too.
/// * Standard error goes through ``error(_:)``: a write error there is ignored (there is nowhere left
///   to say it), where `FileHandle.write` would trap.
///
/// Example: `descent schedule show cosine --steps 10 --json > /dev/full; echo $?` prints
/// "error: cannot write to standard output: No space left on device …" and 1 (it printed nothing and
/// said 0 before).
enum StandardOutput {
    /// The `errno` of the first failed write to standard output (nil while all went well).
    nonisolated(unsafe) private static var failure: Int32?
    /// The failure was already said (by ``checkWritten()``): the exit check does not repeat it.
    nonisolated(unsafe) private static var reported = false
    /// The status the process is about to end with when it already failed (kept instead of 1).
    nonisolated(unsafe) private static var failingStatus: Int32 = 0
    private static let lock = NSLock()

    /// Records that the process is ending with `status`; a failed write then keeps a non-zero status
    /// (a usage error stays 2) and turns 0 into 1.
    static func ending(with status: Int32) {
        lock.lock()
        defer { lock.unlock() }
        failingStatus = status
    }

    /// Registers the check at exit: flush, and on a failed write, the message and status 1.
    static func install() {
        atexit { StandardOutput.finishAtExit() }
    }

    /// Bytes written but not yet handed to the kernel.
    nonisolated(unsafe) private static var buffer: [UInt8] = []
    /// A terminal gets each line at once (as C stdio's line buffering does); anything else 64 KiB at a time.
    private static let isTerminal = isatty(STDOUT_FILENO) == 1
    private static let bufferSize = 1 << 16

    /// Writes `text` to standard output (buffered); see the type for what a failure does.
    static func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        guard failure == nil else { return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= bufferSize || (isTerminal && text.utf8.contains(UInt8(ascii: "\n"))) { drain() }
    }

    /// Writes `text` and flushes, unless another thread is inside a write (blocked on a full pipe, say):
    /// then nothing, at once. For the last words of a process that must end now (a second Ctrl-C). After
    /// ``writeLast(_:)`` only flushes: the object a `--json` output ends with stays the last line.
    static func writeAndFlushIfFree(_ text: String) {
        guard lock.try() else { return }
        defer { lock.unlock() }
        guard failure == nil else { return }
        if !lastWritten { buffer.append(contentsOf: text.utf8) }
        drain()
    }

    /// Set by ``writeLast(_:)``.
    nonisolated(unsafe) private static var lastWritten = false

    /// Writes the output's last line (a `--json` summary) and flushes: a second signal arriving after it adds nothing.
    static func writeLast(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        guard failure == nil else { return }
        buffer.append(contentsOf: text.utf8)
        lastWritten = true
        drain()
    }

    /// Flushes standard output; a failure is handled as in ``write(_:)``.
    static func flush() {
        lock.lock()
        defer { lock.unlock() }
        drain()
    }

    /// Hands the buffer to the kernel (the lock held); a failure ends or is remembered.
    private static func drain() {
        guard failure == nil, !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        if let code = writeAll(buffer, to: STDOUT_FILENO) { noteFailure(code) }
    }

    /// Writes every byte, retrying on EINTR and short writes; the `errno` of a failure, or nil.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        bytes.withUnsafeBytes { raw -> Int32? in
            guard let base = raw.baseAddress else { return nil }
            var offset = 0
            while offset < raw.count {
                let count = Foundation.write(descriptor, base + offset, raw.count - offset)
                if count > 0 {
                    offset += count
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    return count < 0 ? errno : EIO
                }
            }
            return nil
        }
    }

    /// Writes `text` to standard error, unbuffered; a failure there is ignored.
    static func error(_ text: String) {
        _ = writeAll(Array(text.utf8), to: STDERR_FILENO)
    }

    /// Whether a write to standard output failed.
    static var hasFailed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return failure != nil
    }

    /// Throws a `write` failure when a write to standard output failed (for a command that would
    /// otherwise go on producing output nobody gets); the exit check then does not say it again.
    static func checkWritten() throws {
        lock.lock()
        defer { lock.unlock() }
        guard let failure else { return }
        reported = true
        throw CommandFailure(.write, message(failure))
    }

    /// "cannot write to standard output: No space left on device (the output is incomplete)".
    static func message(_ code: Int32) -> String {
        "cannot write to standard output: \(String(cString: strerror(code))) (the output is incomplete)"
    }

    /// EPIPE ends the process now, as SIGPIPE would; anything else is remembered.
    private static func noteFailure(_ code: Int32) {
        if code == EPIPE { endAsBySIGPIPE() }
        failure = code == 0 ? EIO : code
    }

    /// Dies by SIGPIPE with its default action (status 141 in a shell); `_exit(141)` if it cannot.
    private static func endAsBySIGPIPE() -> Never {
        signal(SIGPIPE, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        sigprocmask(SIG_UNBLOCK, &set, nil)
        raise(SIGPIPE)
        _exit(141)
    }

    /// At exit: flush; after a failed write say so (once) and end with status 1.
    private static func finishAtExit() {
        lock.lock()
        drain()
        let failed = failure, said = reported, status = failingStatus
        lock.unlock()
        guard let failed else { return }
        if !said { error("error: \(message(failed))\n") }
        _exit(status != 0 ? status : 1)
    }
}

/// `print` for every command of DescentCLI: the standard library's, through ``StandardOutput`` so a
/// failed write is noticed (this function shadows `Swift.print` inside the module).
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    StandardOutput.write(items.map { "\($0)" }.joined(separator: separator) + terminator)
}
