import Foundation

/// A file written piece by piece that appears at its path only when it is complete: ``AtomicFile``
/// for output too large to hold in memory (the predictions for a 200 MB CSV file).
///
/// The pieces go (through a 1 MiB buffer) to a temporary file `.NAME.PID.N.partial` in the same
/// directory; ``commit()`` flushes it (`fsync`), gives it the old file's permission bits and renames
/// it over the path, then flushes the directory. ``abandon()`` — or dropping the stream without
/// committing, as when an error ends the work part-way — removes the temporary file and leaves what
/// was at the path untouched. A character device (`/dev/stdout`, `/dev/null`) is written straight
/// through, as ``AtomicFile`` does; a FIFO is refused (nothing could be taken back from it).
///
/// Example:
///
///     let stream = try AtomicFileStream("predictions.csv")
///     try stream.write("prediction\n")
///     for label in labels { try stream.write(label + "\n") }   // an error here: no predictions.csv at all
///     try stream.commit()
public final class AtomicFileStream {
    /// Where the finished file goes.
    public let destination: FileDestination
    private var descriptor: Int32
    private let temporary: String?
    private var buffer: [UInt8] = []
    private var finished = false

    /// Opens the temporary file next to `path`. Throws ``FileWriteError`` if `path` cannot be written.
    public init(_ path: String) throws {
        destination = try FileDestination(path)
        switch destination.kind {
        case .characterDevice:
            temporary = nil
            descriptor = open(destination.path, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        case .fifo:
            throw FileWriteError(path: path, reason: "it is a FIFO; a stream that may fail part-way is written only to files")
        case .newFile, .regularFile:
            let directory = FileDestination.directory(of: destination.path)
            let name = (destination.path as NSString).lastPathComponent
            StalePartialFiles.remove(for: name, in: directory)
            let temporaryPath = directory + "/" + StalePartialFiles.temporaryName(for: name)
            descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            guard descriptor >= 0 else {
                throw FileWriteError(path: path, reason: "\(String(cString: strerror(errno))) (creating a temporary file in '\(directory)')")
            }
            temporary = temporaryPath
        }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { if !finished { abandon() } }

    static let bufferSize = 1 << 20

    /// Appends `text` as UTF-8.
    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Appends `bytes`.
    public func write(_ bytes: [UInt8]) throws {
        precondition(!finished, "AtomicFileStream.write after commit or abandon")
        buffer += bytes
        if buffer.count >= Self.bufferSize { try flushBuffer() }
    }

    private func flushBuffer() throws {
        guard !buffer.isEmpty else { return }
        if let failure = AtomicFile.writeAll(buffer, to: descriptor) {
            abandon()
            throw FileWriteError(path: destination.requestedPath, reason: "\(failure) (any existing file is unchanged)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered, flushes, and puts the file at its path.
    public func commit() throws {
        precondition(!finished, "AtomicFileStream.commit twice")
        try flushBuffer()
        guard let temporary else {
            finished = true
            close(descriptor)
            return
        }
        var failure: String?
        if case let .regularFile(mode, owner, group) = destination.kind {
            _ = fchown(descriptor, uid_t(owner), gid_t(group))
            if fchmod(descriptor, mode_t(mode)) != 0 { failure = "keeping the permission bits failed: \(String(cString: strerror(errno)))" }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        if close(descriptor) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        finished = true
        if failure == nil, rename(temporary, destination.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw FileWriteError(path: destination.requestedPath, reason: "\(failure) (any existing file is unchanged)")
        }
        AtomicFile.syncDirectory(FileDestination.directory(of: destination.path))
    }

    /// Removes the temporary file; the path keeps what it had. Safe to call more than once.
    public func abandon() {
        guard !finished else { return }
        finished = true
        close(descriptor)
        if let temporary { unlink(temporary) }
    }
}
