import Foundation

/// One process at a time in a directory: an exclusive `flock` on a lock file inside it, which also
/// says who holds it (process id, host, start time). The kernel drops a `flock` when its process
/// ends however it ends, so the lock of a killed run is free at once; the next run takes it over
/// and is told whose it was (``staleHolder``: a holder that releases removes the file, a killed one
/// leaves it).
///
/// The lock file is written in place, not through `AtomicFile`: the lock belongs to its inode, and
/// a file renamed over it would be another file that nobody holds.
///
/// ```swift
/// let lock = try DirectoryLock.acquire(directory: "runs/a", fileName: "checkpoint.lock")
/// defer { lock.release() }
/// // meanwhile, in another process:
/// try DirectoryLock.acquire(directory: "runs/a", fileName: "checkpoint.lock")
/// // throws DirectoryLockError.held(path: "runs/a/checkpoint.lock",
/// //                                by: Holder(processIdentifier: 4242, host: "build-3", started: "2026-12-03T07:01:02Z"))
/// ```
public final class DirectoryLock: @unchecked Sendable {
    /// Who holds (or held) a lock, as its lock file says.
    public struct Holder: Sendable, Equatable, CustomStringConvertible {
        public var processIdentifier: Int32
        public var host: String
        /// ISO 8601, UTC.
        public var started: String

        public init(processIdentifier: Int32, host: String, started: String) {
            self.processIdentifier = processIdentifier
            self.host = host
            self.started = started
        }

        /// "pid 4242 on build-3, started 2026-12-03T07:01:02Z".
        public var description: String { "pid \(processIdentifier) on \(host), started \(started)" }

        /// This process, now.
        static var current: Holder {
            var buffer = [CChar](repeating: 0, count: 256)
            let host = gethostname(&buffer, buffer.count) == 0
                ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            return Holder(processIdentifier: getpid(), host: host, started: formatter.string(from: Date()))
        }

        /// The lock file's text: one JSON object.
        var text: String {
            "{\"host\":\(JSONValue.quoted(host)),\"pid\":\(processIdentifier),\"started\":\(JSONValue.quoted(started))}\n"
        }

        /// The holder a lock file's text names (nil: empty, or not written by this type).
        init?(text bytes: [UInt8]) {
            guard !bytes.isEmpty, bytes.count < 4096, case let .object(fields)? = try? JSONValue.parse(bytes[...], maximumDepth: 2),
                  let pid = fields["pid"]?.number, let identifier = Int32(exactly: pid),
                  let host = fields["host"]?.string, let started = fields["started"]?.string else { return nil }
            self.init(processIdentifier: identifier, host: host, started: started)
        }
    }

    /// The lock file's path.
    public let path: String
    /// The run that held the lock before and ended without releasing it (killed), if its file said so.
    public let staleHolder: Holder?
    private var descriptor: Int32

    private init(path: String, descriptor: Int32, staleHolder: Holder?) {
        self.path = path
        self.descriptor = descriptor
        self.staleHolder = staleHolder
    }

    /// Takes the lock of `directory` (which must exist) through `directory/fileName`, or throws at once.
    /// - Throws: `DirectoryLockError.held` naming the holder when another process holds it,
    ///   `.unusable` when the lock file cannot be opened or locked.
    public static func acquire(directory: String, fileName: String) throws -> DirectoryLock {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
        // A holder removes the file when it releases; a lock taken on a file already removed (or replaced)
        // is no lock, so it is taken again on the file now at the path.
        for _ in 0..<100 {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard descriptor >= 0 else { throw DirectoryLockError.unusable(path: path, String(cString: strerror(errno))) }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                let reason = errno
                let holder = Holder(text: readAll(descriptor))
                close(descriptor)
                if reason == EWOULDBLOCK { throw DirectoryLockError.held(path: path, by: holder) }
                throw DirectoryLockError.unusable(path: path, String(cString: strerror(reason)))
            }
            var held = stat(), named = stat()
            guard fstat(descriptor, &held) == 0, stat(path, &named) == 0, held.st_dev == named.st_dev, held.st_ino == named.st_ino else {
                close(descriptor)
                continue
            }
            // The lock is ours; text still in the file is from a holder that ended without releasing it.
            let stale = Holder(text: readAll(descriptor))
            let text = Array(Holder.current.text.utf8)
            let written = ftruncate(descriptor, 0) == 0 ? text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) } : -1
            guard written == text.count else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw DirectoryLockError.unusable(path: path, reason)
            }
            return DirectoryLock(path: path, descriptor: descriptor, staleHolder: stale)
        }
        throw DirectoryLockError.unusable(path: path, "it was replaced 100 times while being locked")
    }

    /// Removes the lock file and releases the lock (the kernel releases it when the process ends however
    /// it ends; the file of a killed holder stays, and names it to the next).
    public func release() {
        guard descriptor >= 0 else { return }
        // Removed while still held, so no other process can lock this file and believe it holds the directory.
        _ = unlink(path)
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

    private static func readAll(_ descriptor: Int32) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(bytes[0..<count]) : []
    }
}

/// Why a directory could not be locked.
public enum DirectoryLockError: Error, Equatable, CustomStringConvertible {
    /// Another process holds the lock (`by`: what its lock file says, nil when it has not said yet).
    case held(path: String, by: DirectoryLock.Holder?)
    /// The lock file cannot be opened, locked or written.
    case unusable(path: String, String)

    public var description: String {
        switch self {
        case let .held(path, holder):
            return "\(path) is held by another run (\(holder.map(\.description) ?? "which has not written who it is yet"))"
        case let .unusable(path, reason):
            return "the lock file \(path) cannot be used: \(reason)"
        }
    }
}
