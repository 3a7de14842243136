import DescentCLIShared
import DescentFiles
import DescentTrain

/// Where `descent predict` writes its lines, for numeric and raw-table models alike: `--out`'s ``AtomicFileStream``
/// (a temporary file renamed over the path at the end), else standard output chunk by chunk, each chunk checked
/// (a full disk or `/dev/full` stops the command, status 1); and the stop check between chunks — after SIGINT or
/// SIGTERM the temporary file is removed (a file already at `--out` stays as it was) and `stopped` holds the rows
/// written, for the command to report.
///
/// ```swift
/// let output = try PredictionOutput(out: "p.csv", stop: signals.request, stopped: stopped)
/// try output.emit("prediction\n")
/// while let chunk = try reader.next() {
///     if output.stopsHere(afterRows: rows) { return }   // p.csv untouched, stopped.value == rows
///     try output.emit(lines(chunk))
/// }
/// try output.commit()
/// ```
struct PredictionOutput {
    private let stream: AtomicFileStream?
    private let stop: StopRequest
    private let stopped: Box<Int?>

    /// Opens `out`'s temporary file (nil: standard output).
    init(out: String?, stop: StopRequest, stopped: Box<Int?>) throws {
        stream = try out.map { try AtomicFileStream($0) }
        self.stop = stop
        self.stopped = stopped
    }

    /// Writes `text` to the file or to standard output.
    func emit(_ text: String) throws {
        if let stream {
            try stream.write(text)
        } else {
            StandardOutput.write(text)
            try StandardOutput.checkWritten()   // a full disk or /dev/full: stop, status 1
        }
    }

    /// Whether a stop was requested; if so the temporary file is removed and `rows` (those written) recorded.
    func stopsHere(afterRows rows: Int) -> Bool {
        guard stop.isRequested else { return false }
        stream?.abandon()
        stopped.value = rows
        return true
    }

    /// Renames the finished file over `--out` (nothing to do on standard output).
    func commit() throws {
        try stream?.commit()
    }
}
