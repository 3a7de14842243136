import Foundation

/// Writing a report or chart to disk so that a reader never sees half a file: the text goes to
/// a temporary file in the same directory, which is then renamed over `path` (a rename within one
/// file system is atomic on POSIX systems). A failure names the path and says why.
///
/// Example: `try ReportFile.write(chart.svg(), toFile: "loss.svg")`; with a missing directory,
/// `ReportFile.check("/nonexistent/x.html")` throws "cannot write '/nonexistent/x.html': the
/// directory '/nonexistent' does not exist".
public enum ReportFile {
    /// Why a report could not be written.
    public struct WriteError: Error, CustomStringConvertible, Sendable, Equatable {
        public var path: String
        public var reason: String

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }

        public var description: String { "cannot write '\(path)': \(reason)" }
    }

    /// Throws if `path` cannot be written: it is a directory, or its directory is missing or
    /// not writable. Use before a long computation so it is not lost at the end.
    public static func check(_ path: String) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard !path.isEmpty else { throw WriteError(path: path, reason: "the path is empty") }
        if manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw WriteError(path: path, reason: "it is a directory; give a file name such as report.html")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WriteError(path: path, reason: "the directory '\(directory)' does not exist")
        }
        guard manager.isWritableFile(atPath: directory) else {
            throw WriteError(path: path, reason: "the directory '\(directory)' is not writable")
        }
    }

    /// Writes `text` (UTF-8) to `path` by way of a temporary file and a rename.
    public static func write(_ text: String, toFile path: String) throws {
        try check(path)
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            throw WriteError(path: path, reason: "writing the temporary file '\(temporary.path)' failed (\(error.localizedDescription))")
        }
        guard rename(temporary.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: path, reason: "renaming the temporary file failed (\(reason))")
        }
    }
}
