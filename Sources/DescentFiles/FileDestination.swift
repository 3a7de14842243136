import Foundation

/// Where a write to a path really lands, found before anything is written.
///
/// A path may be a new file, an existing regular file, a symbolic link (possibly a chain of them),
/// a character device such as `/dev/null`, or a FIFO. ``AtomicFile`` writes each kind the way that
/// does not damage it:
///
/// | the path is | the write |
/// | --- | --- |
/// | new, or a regular file | temporary file + `fsync` + `rename`, keeping the old file's mode bits |
/// | a symbolic link | the file it points to, atomically, in *that* file's directory; the link stays |
/// | a character device (`/dev/null`, a terminal) | straight through, never replaced by a file |
/// | a FIFO with a reader | straight through |
/// | a FIFO with no reader | refused: blocking forever at the end of a long run helps nobody (``AtomicFile/check(_:)`` refuses it before the work and holds a reader's FIFO open until the write) |
/// | a directory, block device or socket | refused |
///
/// Example: with `ln -s runs/7/model.safetensors latest`, `FileDestination("latest").path` is
/// `runs/7/model.safetensors` and its ``kind`` is `.regularFile` (or `.newFile`).
public struct FileDestination: Sendable, Equatable {
    /// What is at the resolved path now.
    public enum Kind: Sendable, Equatable {
        /// Nothing: the write creates the file (its directory exists).
        case newFile
        /// A regular file, replaced atomically; its permission bits and owner are kept.
        case regularFile(mode: UInt32, owner: UInt32, group: UInt32)
        /// A character device (`/dev/null`, `/dev/full`, a terminal): written straight through.
        case characterDevice
        /// A named pipe: written straight through when a reader is there.
        case fifo
    }

    /// The path as the user gave it.
    public let requestedPath: String
    /// The path the bytes land at, after following symbolic links.
    public let path: String
    /// What is at ``path`` now.
    public let kind: Kind
    /// Tells two destinations apart: the device and inode of an existing file, or the canonical
    /// path of a new one. Two spellings of one file (`x`, `./x`, a link to `x`, a hard link) agree.
    public let identity: String

    /// Resolves `path`, following symbolic links (at most 40, as the kernel does), and checks that
    /// it can be written. Throws ``FileWriteError`` naming `path` when it cannot.
    public init(_ path: String) throws {
        requestedPath = path
        guard !path.isEmpty else { throw FileWriteError(path: path, reason: "the path is empty") }
        var current = path
        var status = stat()
        var exists = false
        for _ in 0...40 {
            if lstat(current, &status) != 0 {
                let code = errno
                guard code == ENOENT else {
                    throw FileWriteError(path: path, reason: "cannot look at '\(current)': \(String(cString: strerror(code)))")
                }
                exists = false
                break
            }
            exists = true
            guard status.st_mode & S_IFMT == S_IFLNK else { break }
            current = try Self.linkTarget(of: current, requestedPath: path)
        }
        if exists, status.st_mode & S_IFMT == S_IFLNK {
            throw FileWriteError(path: path, reason: "too many levels of symbolic links")
        }
        self.path = current
        let directory = Self.directory(of: current)
        var directoryStatus = stat()
        guard stat(directory, &directoryStatus) == 0 else {
            throw FileWriteError(path: path, reason: "the directory '\(directory)' does not exist")
        }
        guard directoryStatus.st_mode & S_IFMT == S_IFDIR else {
            throw FileWriteError(path: path, reason: "'\(directory)' is not a directory")
        }
        let name = (current as NSString).lastPathComponent
        if !exists {
            kind = .newFile
            identity = "new:" + Self.canonicalDirectory(directory) + "/" + name
        } else {
            identity = "file:\(status.st_dev):\(status.st_ino)"
            switch status.st_mode & S_IFMT {
            case S_IFREG:
                kind = .regularFile(mode: UInt32(status.st_mode & 0o7777), owner: UInt32(status.st_uid), group: UInt32(status.st_gid))
            case S_IFCHR:
                kind = .characterDevice
            case S_IFIFO:
                kind = .fifo
            case S_IFDIR:
                throw FileWriteError(path: path, reason: "it is a directory; give a file name inside it")
            case S_IFBLK:
                throw FileWriteError(path: path, reason: "it is a block device; refusing to write over a disk")
            default:
                throw FileWriteError(path: path, reason: "it is a socket or another special file, not a file to write")
            }
        }
        if kind == .newFile || kind.isRegularFile, access(directory, W_OK) != 0 {
            throw FileWriteError(path: path, reason: "the directory '\(directory)' is not writable")
        }
        // A device or FIFO is written in place: it must be writable itself (a read-only device fails at the end otherwise).
        if kind == .characterDevice || kind == .fifo, access(current, W_OK) != 0 {
            throw FileWriteError(path: path, reason: "it is not writable (\(String(cString: strerror(errno))))")
        }
    }

    /// Whether `first` and `second` land on the same file (by any spelling, link or hard link).
    /// A path that cannot be resolved is compared by its text.
    public static func same(_ first: String, _ second: String) -> Bool {
        guard let a = try? FileDestination(first), let b = try? FileDestination(second) else { return first == second }
        return a.identity == b.identity
    }

    /// The directory part of `path` ("." for a bare file name).
    static func directory(of path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    static func canonicalDirectory(_ directory: String) -> String {
        guard let resolved = realpath(directory, nil) else { return directory }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func linkTarget(of link: String, requestedPath: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(link, &buffer, buffer.count - 1)
        guard count >= 0 else {
            throw FileWriteError(path: requestedPath, reason: "cannot read the symbolic link '\(link)': \(String(cString: strerror(errno)))")
        }
        let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if target.hasPrefix("/") { return target }
        return directory(of: link) + "/" + target
    }
}

extension FileDestination.Kind {
    var isRegularFile: Bool {
        if case .regularFile = self { return true }
        return false
    }
}
