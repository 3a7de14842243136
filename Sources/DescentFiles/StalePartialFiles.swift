import Foundation

/// The temporary files ``AtomicFile`` leaves behind when a write is killed mid-way, and their
/// clean-up on the next write to the same path.
///
/// A temporary file is named `.NAME.PID.N.partial` beside `NAME` (PID: the writing process,
/// N: a random number). One whose process is no longer alive can never be finished, so the next
/// write to `NAME` removes it. Files of any other naming, and those of live processes (another
/// run writing the same name right now), are left alone.
///
/// Example: after `kill -9` of process 4242 while it wrote `model.safetensors`,
/// `.model.safetensors.4242.3141592653.partial` remains; the next save of `model.safetensors`
/// removes it.
public enum StalePartialFiles {
    /// The temporary name for a write of `name` by this process.
    static func temporaryName(for name: String) -> String {
        ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).partial"
    }

    /// The process id in `file` when it is a temporary file of ours for `name`, else nil.
    public static func writerProcess(of file: String, for name: String) -> Int32? {
        let prefix = ".\(name).", suffix = ".partial"
        guard file.hasPrefix(prefix), file.hasSuffix(suffix), file.count > prefix.count + suffix.count else { return nil }
        let middle = file.dropFirst(prefix.count).dropLast(suffix.count)
        let parts = middle.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
              let process = Int32(parts[0]), process > 0, UInt32(parts[1]) != nil else { return nil }
        return process
    }

    /// Removes the temporary files for `name` in `directory` whose writer is no longer alive.
    /// Returns the names removed. Failures to remove are ignored: this is tidying, not the write.
    @discardableResult
    public static func remove(for name: String, in directory: String) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for entry in entries {
            guard let process = writerProcess(of: entry, for: name), process != getpid(), !isAlive(process) else { continue }
            if unlink(directory + "/" + entry) == 0 { removed.append(entry) }
        }
        return removed
    }

    /// `kill(pid, 0)` succeeds or fails with EPERM exactly when the process exists.
    static func isAlive(_ process: Int32) -> Bool {
        kill(process, 0) == 0 || errno == EPERM
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
