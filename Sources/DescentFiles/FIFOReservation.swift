import Foundation

/// A FIFO an output will be written to, checked before the work starts: with no reader it is refused at
/// once (not after an hour of training, when the write finds nobody there); with a reader, a write end is
/// opened and held until the process ends, so that the reader waits for the output instead of seeing the
/// end of the stream (a probe that opened and closed the FIFO would end a `cat` reading it).
///
/// Example: `mkfifo out; descent train … --save-weights out` with nothing reading `out` fails before the
/// first epoch, "cannot write 'out': it is a FIFO with no reader; start the reader first (nothing was
/// written)"; with `cat out > model.safetensors &` started first, the weights reach `cat` at the end.
enum FIFOReservation {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var held: [String: Int32] = [:]

    /// Opens a write end of the FIFO at `path` (resolved) and holds it; `requestedPath` names it in errors.
    /// - Throws: ``FileWriteError`` when no process has it open for reading, or it cannot be opened.
    static func reserve(_ path: String, requestedPath: String) throws {
        try lock.withLock {
            if held[path] != nil { return }
            let descriptor = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            guard descriptor >= 0 else {
                let code = errno
                throw FileWriteError(path: requestedPath, reason: code == ENXIO
                    ? "it is a FIFO with no reader; start the reader first (nothing was written)" : String(cString: strerror(code)))
            }
            held[path] = descriptor
        }
    }

    /// Closes the held write end of the FIFO at `path` (after the output was written through another one), so the
    /// reader sees the end of the stream when the writer closes.
    static func release(_ path: String) {
        lock.withLock {
            if let descriptor = held.removeValue(forKey: path) { close(descriptor) }
        }
    }
}
