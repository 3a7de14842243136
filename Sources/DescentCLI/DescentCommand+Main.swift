import ArgumentParser
import Foundation

@available(macOS 10.15, *)
extension DescentCommand {
    /// Exit status for a usage error (bad flags, a missing argument, an invalid
    /// option value), as Unix tools and Python's argparse use; ArgumentParser's own is 64.
    public static let usageErrorStatus: Int32 = 2

    /// Parses the command line and runs the command. Exit status: 0 on success,
    /// 1 when the work itself fails (malformed input, a failed conformance case),
    /// 2 for a usage error (a bad `--config` file too); help and version requests exit 0.
    public static func mainWithUsageStatus(_ arguments: [String]? = nil) async {
        let given = arguments ?? Array(CommandLine.arguments.dropFirst())
        // A --config file's flags go before the command line's own (ConfigurationArguments).
        let expanded: [String]
        do {
            expanded = try ConfigurationArguments.expand(given)
        } catch {
            if given.contains("--json") { print(FailureJSON.line(kind: "usage", message: "\(error)")) }
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            Foundation.exit(usageErrorStatus)
        }
        let fromConfiguration = Array(expanded.dropFirst().prefix(expanded.count - given.count))
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(expanded)
        } catch {
            // A bad command line with --json still ends with one JSON object (the command never ran).
            if expanded.contains("--json"), exitCode(for: error) != .success {
                print(FailureJSON.line(kind: exitCode(for: error) == .validationFailure ? "usage" : "failed",
                                       message: message(for: error)))
            }
            if exitCode(for: error) == .validationFailure { exitForUsage(error, fromConfiguration: fromConfiguration) }
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
            if exitCode(for: error) == .validationFailure { exitForUsage(error, fromConfiguration: fromConfiguration) }
            exit(withError: error)
        }
    }

    /// Prints a usage error (saying which of the flags it names a --config file set) and exits 2.
    private static func exitForUsage(_ error: Error, fromConfiguration: [String]) -> Never {
        var message = fullMessage(for: error) + "\n"
        let named = fromConfiguration.filter { flag in
            let name = flag.split(separator: "=", maxSplits: 1).first.map(String.init) ?? flag
            return message.contains(name + " ") || message.contains(name + "\n") || message.contains(name + ":")
                || message.contains("'\(name)") || message.contains(name + " <")
        }
        if !named.isEmpty { message += "note: set by the --config file: \(named.joined(separator: " "))\n" }
        FileHandle.standardError.write(Data(message.utf8))
        Foundation.exit(usageErrorStatus)
    }
}
