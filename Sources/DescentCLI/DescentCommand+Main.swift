import ArgumentParser
import Foundation

@available(macOS 10.15, *)
extension DescentCommand {
    /// Exit status for a usage error (bad flags, a missing argument, an invalid
    /// option value), as Unix tools and Python's argparse use; ArgumentParser's own is 64.
    public static let usageErrorStatus: Int32 = 2

    /// Parses the command line and runs the command. Exit status: 0 on success,
    /// 1 when the work itself fails (malformed input, a failed conformance case),
    /// 2 for a usage error; help and version requests exit 0.
    public static func mainWithUsageStatus(_ arguments: [String]? = nil) async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            // A bad command line with --json still ends with one JSON object (the command never ran).
            let arguments = arguments ?? Array(CommandLine.arguments.dropFirst())
            if arguments.contains("--json"), exitCode(for: error) != .success {
                print(FailureJSON.line(kind: exitCode(for: error) == .validationFailure ? "usage" : "failed",
                                       message: message(for: error)))
            }
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(usageErrorStatus)
            }
            exit(withError: error)
        }
        do {
            var command = command
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(usageErrorStatus)
            }
            exit(withError: error)
        }
    }
}
