import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates a directory (and, when asked, its missing parents) with errors in words: "'runs/x' is
/// not a directory", "Permission denied" — never Foundation's "The operation could not be completed.
/// (NSCocoaErrorDomain error 512.)", which `FileManager.createDirectory` says on Linux when a part of
/// the path is a file.
///
/// Example: with a file `notes`, `try DirectoryCreation.create("notes/run")` throws
/// `FileWriteError` "cannot write 'notes/run': 'notes' is not a directory".
public enum DirectoryCreation {
    /// Creates `path` (mode 0755 before the umask); an existing directory is fine.
    /// - Throws: ``FileWriteError`` naming `path` and the part of it that failed.
    public static func create(_ path: String, withIntermediateDirectories: Bool = true) throws {
        guard !path.isEmpty else { throw FileWriteError(path: path, reason: "the path is empty") }
        var prefixes: [String] = []
        if withIntermediateDirectories {
            var current = path.hasPrefix("/") ? "/" : ""
            for component in path.split(separator: "/") {
                current += (current.isEmpty || current.hasSuffix("/") ? "" : "/") + component
                prefixes.append(current)
            }
        } else {
            prefixes = [path]
        }
        for prefix in prefixes {
            var status = stat()
            if stat(prefix, &status) == 0 {
                guard status.st_mode & S_IFMT == S_IFDIR else {
                    throw FileWriteError(path: path, reason: "'\(prefix)' is not a directory")
                }
                continue
            }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                let reason = errno == ENOENT ? "its parent directory does not exist" : String(cString: strerror(errno))
                throw FileWriteError(path: path, reason: "cannot create '\(prefix)': \(reason)")
            }
        }
    }
}
