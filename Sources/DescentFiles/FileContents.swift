import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file with errors in words: "no such file", "it is a directory", "Permission
/// denied" — never Foundation's "The operation could not be completed. (NSCocoaErrorDomain error
/// 256.)", which is what `Data(contentsOf:)` says on Linux for a directory and several other cases.
///
/// Example: `try FileContents.read("run/checkpoint.json")` is the file's bytes; with a directory at
/// that path it throws `FileReadError` "cannot read 'run/checkpoint.json': it is a directory".
public enum FileContents {
    /// The bytes of the file at `path` (following symbolic links).
    /// - Parameters:
    ///   - limit: the most bytes read; a file that holds more is refused ("it holds more than 8388608 bytes")
    ///     without being read past the limit — a regular file by its size, at once, and a device or FIFO
    ///     (`/dev/zero`, which never ends) after `limit + 1` bytes. nil: no limit.
    ///   - regularFileOnly: refuse anything but a regular file ("it is a FIFO, not a regular file"), before
    ///     reading from it: a FIFO with no writer is not waited for (it is opened without blocking).
    /// - Throws: ``FileReadError`` naming the path and what is wrong.
    public static func read(_ path: String, limit: Int? = nil, regularFileOnly: Bool = false) throws -> Data {
        guard !path.isEmpty else { throw FileReadError(path: path, reason: "the path is empty") }
        // O_NONBLOCK: opening a FIFO that is to be refused does not wait for a writer (no effect on a regular file).
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | (regularFileOnly ? O_NONBLOCK : 0))
        guard descriptor >= 0 else { throw FileReadError(path: path, reason: reason(errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw FileReadError(path: path, reason: reason(errno)) }
        let type = status.st_mode & S_IFMT
        if type == S_IFDIR { throw FileReadError(path: path, reason: "it is a directory") }
        if regularFileOnly, type != S_IFREG {
            let kind = type == S_IFIFO ? "a FIFO, " : type == S_IFCHR || type == S_IFBLK ? "a device, " : type == S_IFSOCK ? "a socket, " : ""
            throw FileReadError(path: path, reason: "it is \(kind)not a regular file")
        }
        if let limit, type == S_IFREG, Int(status.st_size) > limit {
            throw FileReadError(path: path, reason: "it holds \(status.st_size) bytes, more than the \(limit) allowed")
        }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: chunk[0..<count])
                if let limit, data.count > limit {
                    throw FileReadError(path: path, reason: "it holds more than the \(limit) bytes allowed")
                }
            } else if count == 0 {
                return data
            } else if errno != EINTR {
                throw FileReadError(path: path, reason: reason(errno))
            }
        }
    }

    /// An `errno` in words: "no such file", "it is a directory", else the system's text.
    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EISDIR: return "it is a directory"
        default: return String(cString: strerror(code))
        }
    }
}

/// A file that could not be read: its path and why, in words.
public struct FileReadError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot read '\(path)': \(reason)" }
}
