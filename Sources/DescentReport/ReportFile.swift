import Foundation
import DescentFiles

/// Writing a report or chart to disk so that a reader never sees half a file and nothing at the
/// path is damaged: the project's one writer, ``AtomicFile`` (temporary file + fsync + rename over
/// a regular file, a symlink's target replaced, `/dev/null` written through, mode bits kept).
///
/// Example: `try ReportFile.write(chart.svg(), toFile: "loss.svg")`; with a missing directory,
/// `ReportFile.check("/nonexistent/x.html")` throws "cannot write '/nonexistent/x.html': the
/// directory '/nonexistent' does not exist".
public enum ReportFile {
    /// Why a report could not be written.
    public typealias WriteError = FileWriteError

    /// Throws if `path` cannot be written: it is a directory, or its directory is missing or
    /// not writable. Use before a long computation so it is not lost at the end.
    public static func check(_ path: String) throws {
        try AtomicFile.check(path)
    }

    /// Writes `text` (UTF-8) to `path` atomically.
    public static func write(_ text: String, toFile path: String) throws {
        try AtomicFile.write(text, to: path)
    }
}
