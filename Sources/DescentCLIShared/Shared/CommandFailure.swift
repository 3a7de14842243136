import ArgumentParser
import DescentData
import DescentFiles
import DescentNN
import DescentTrain
import Foundation

/// Why a command failed, with one exit status per meaning:
///
/// | status | meaning | kinds |
/// | --- | --- | --- |
/// | 0 | the work was done | — |
/// | 1 | the command line was fine, the work failed | `input`, `check`, `diverged`, `write`, `failed` |
/// | 2 | the command line is wrong (a flag, an argument, their values) | `usage` |
///
/// The whole table of messages is in docs/exit-codes.md.
///
/// Example: `throw CommandFailure(.input, "data.csv has 1 row; training needs at least 2")` ends the
/// command with "error: data.csv has 1 row; …" on standard error, status 1, and with `--json` the
/// last line of standard output
/// `{"error":{"kind":"input","message":"data.csv has 1 row; …"},"status":"failed"}`.
package struct CommandFailure: Error, CustomStringConvertible {
    package enum Kind: String, Sendable {
        /// A flag, argument or value on the command line is wrong (status 2).
        case usage
        /// An input file is unreadable, malformed or unsuitable (status 1).
        case input
        /// A check found a mismatch: a conformance case failed (status 1).
        case check
        /// Training diverged or produced non-finite values (status 1).
        case diverged
        /// An output could not be written (status 1).
        case write
        /// Anything else that stopped the work (status 1).
        case failed
    }

    var kind: Kind
    var message: String
    /// Lines shown under the message on standard error only (e.g. the text with a caret).
    var excerpt: String?
    /// More fields for the `--json` failure object (e.g. a conformance run's counts).
    var extra: [String: JSONValue] = [:]

    package init(_ kind: Kind, _ message: String, excerpt: String? = nil, extra: [String: JSONValue] = [:]) {
        self.kind = kind
        self.message = message
        self.excerpt = excerpt
        self.extra = extra
    }

    /// 2 for a usage error, 1 for every failure of the work.
    /// The exit status of a usage error (bad flags, a missing argument, an invalid option value), as Unix tools
    /// and Python's argparse use; ArgumentParser's own is 64. `DescentCommand.usageErrorStatus` is this value.
    package static let usageStatus: Int32 = 2

    var status: Int32 { kind == .usage ? Self.usageStatus : 1 }

    package var description: String { message }

    /// The failure an error stands for: a `ValidationError` is a usage error; data, conformance
    /// and range-test errors are input errors; a write error is a write error; the rest `failed`.
    static func classify(_ error: any Error) -> CommandFailure {
        var failure = kindOf(error)
        failure.message = bounded(failure.message)
        return failure
    }

    /// A message as one line of at most about 500 characters: the last guard against a message that
    /// echoes a whole input (each reader cuts its own echoes to about 80 characters around the problem).
    package static func bounded(_ message: String) -> String {
        let line = message.contains("\n") ? message.split(separator: "\n", omittingEmptySubsequences: true).joined(separator: " ") : message
        return line.count > 500 ? String(line.prefix(400)) + "… (\(line.count) characters)" : line
    }

    private static func kindOf(_ error: any Error) -> CommandFailure {
        switch error {
        case let failure as CommandFailure: return failure
        case let error as ValidationError: return CommandFailure(.usage, error.message)
        case let error as DataError: return CommandFailure(.input, error.description)
        case let error as ModelFileError: return CommandFailure(.input, error.description)
        case let error as StateLoadError: return CommandFailure(.input, error.description)
        case let error as any InputFailure: return CommandFailure(.input, error.description)
        case let error as FileWriteError: return CommandFailure(.write, error.description)
        case let error as TrainingError: return CommandFailure(.diverged, "\(error)")
        default: return CommandFailure(.failed, "\(error)")
        }
    }

    /// The JSON object a `--json` run ends with when it fails:
    /// `{"error":{"kind":"…","message":"…"},"status":"failed"}` (keys sorted, one line).
    var json: String {
        FailureJSON.line(kind: kind.rawValue, message: message, extra: extra)
    }
}

/// The exit status of `predict` and `evaluate` when the work was done but rows with a malformed cell were
/// skipped (docs/exit-codes.md).
package let skippedRowsExitStatus: Int32 = 3

/// The failure object of `--json` runs, shared by every command (train's richer summary included).
package enum FailureJSON {
    /// `{"error":{"kind":KIND,"message":MESSAGE},"status":"failed"}` plus `extra` fields, one line.
    package static func line(kind: String, message: String, extra: [String: JSONValue] = [:]) -> String {
        var object = extra
        object["status"] = .string("failed")
        object["error"] = .object(["kind": .string(kind), "message": .string(message)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(JSONValue.object(object))).map { String(decoding: $0, as: UTF8.self) }
            ?? #"{"error":{"kind":"failed","message":"unencodable message"},"status":"failed"}"#
    }

    /// Runs a command's work; on failure prints "error: MESSAGE" on standard error and, with
    /// `json`, the failure object as the last line of standard output, then exits with the
    /// failure's status (``CommandFailure/status``).
    package static func run(json: Bool, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            // Message already printed by the command; still end --json output with an object.
            // Status 3 (rows skipped) follows a completed run's own summary.
            if json, exit != .success, exit.rawValue != skippedRowsExitStatus { print(line(kind: "failed", message: "see standard error")) }
            throw exit
        } catch {
            let failure = CommandFailure.classify(error)
            StandardOutput.error("error: \(failure.message)\n\(failure.excerpt ?? "")")
            if json { print(failure.json) }
            throw ExitCode(failure.status)
        }
    }
}
