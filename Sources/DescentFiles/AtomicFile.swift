import Foundation

/// The one way Descent writes a whole file (weights, reports, charts, logs): a reader never sees
/// half a file, and what is at the path is never damaged.
///
/// For a new path or a regular file the bytes go to a temporary file `.NAME.PID.N.partial` in the
/// same directory, which is flushed (`fsync`), given the old file's permission bits and owner, and
/// renamed over the path (`rename(2)` is atomic within a file system); then the directory is
/// flushed so the rename itself survives a power cut. On any failure the temporary file is removed
/// and the old file is left exactly as it was. Symbolic links, devices and FIFOs are handled as
/// ``FileDestination`` describes: a link's target is replaced (the link stays), `/dev/null` is
/// written straight through rather than replaced by a regular file, and a FIFO with no reader is
/// refused. Temporary files left by killed writers are removed on the next write
/// (``StalePartialFiles``).
///
/// Example:
///
///     try AtomicFile.write("<html>…</html>", to: "report.html")
///     // a mode-600 model.safetensors stays mode 600 after
///     try AtomicFile.write(bytes, to: "model.safetensors")
public enum AtomicFile {
    /// Throws ``FileWriteError`` if `path` cannot be written (a directory, a block device, a missing
    /// or read-only directory). Use before a long computation so its result is not lost at the end.
    /// A FIFO is checked for a reader, and its write end held until the output is written (``FIFOReservation``):
    /// with no reader it is refused here, before the work, not at the end of it.
    public static func check(_ path: String) throws {
        let destination = try FileDestination(path)
        if destination.kind == .fifo { try FIFOReservation.reserve(destination.path, requestedPath: path) }
    }

    /// Writes `text` as UTF-8.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Writes `bytes` to `path`; see the type's documentation for what happens to each kind of path.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let destination = try FileDestination(path)
        switch destination.kind {
        case .characterDevice:
            try writeThrough(bytes, destination, flags: O_WRONLY | O_CLOEXEC)
        case .fifo:
            try writeThrough(bytes, destination, flags: O_WRONLY | O_CLOEXEC | O_NONBLOCK)
        case .newFile, .regularFile:
            try replace(bytes, destination)
        }
    }

    /// Temporary file + fsync + rename + directory fsync.
    static func replace(_ bytes: [UInt8], _ destination: FileDestination) throws {
        let directory = FileDestination.directory(of: destination.path)
        let name = (destination.path as NSString).lastPathComponent
        StalePartialFiles.remove(for: name, in: directory)
        let temporary = directory + "/" + StalePartialFiles.temporaryName(for: name)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw FileWriteError(path: destination.requestedPath,
                                 reason: "\(String(cString: strerror(errno))) (creating a temporary file in '\(directory)')")
        }
        var failure: String?
        if case let .regularFile(mode, owner, group) = destination.kind {
            // Owner first: chown clears set-id bits, which fchmod then restores. Only root may give
            // a file away; for anyone else the new file is theirs, as the old one was.
            _ = fchown(descriptor, uid_t(owner), gid_t(group))
            if fchmod(descriptor, mode_t(mode)) != 0 { failure = "keeping the permission bits failed: \(String(cString: strerror(errno)))" }
        }
        if failure == nil { failure = writeAll(bytes, to: descriptor) }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        if close(descriptor) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temporary, destination.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw FileWriteError(path: destination.requestedPath, reason: "\(failure) (any existing file is unchanged)")
        }
        syncDirectory(directory)
    }

    /// A device or FIFO: open without creating or truncating, and write.
    static func writeThrough(_ bytes: [UInt8], _ destination: FileDestination, flags: Int32) throws {
        let descriptor = open(destination.path, flags)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENXIO, destination.kind == .fifo {
                throw FileWriteError(path: destination.requestedPath,
                                     reason: "it is a FIFO with no reader; start the reader first (nothing was written)")
            }
            throw FileWriteError(path: destination.requestedPath, reason: String(cString: strerror(code)))
        }
        if flags & O_NONBLOCK != 0 {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        }
        let failure = writeAll(bytes, to: descriptor)
        close(descriptor)
        // The output is whole: the write end held since the check (if any) goes too, so the reader sees the end.
        if destination.kind == .fifo { FIFOReservation.release(destination.path) }
        if let failure {
            throw FileWriteError(path: destination.requestedPath, reason: "writing to the \(destination.kind == .fifo ? "FIFO" : "device") failed: \(failure)")
        }
    }

    /// Writes every byte, retrying on EINTR and short writes; returns the error in words, or nil.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
        bytes.withUnsafeBytes { raw -> String? in
            var written = 0
            while written < raw.count {
                let result = Foundation.write(descriptor, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                if result == 0 { return "the write made no progress" }
                written += result
            }
            return nil
        }
    }

    /// Flushes a directory entry change (the rename) to disk; file systems that cannot are ignored.
    static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
