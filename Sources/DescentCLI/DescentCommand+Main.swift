import ArgumentParser
import DescentCLIShared
import DescentDistributed
import Foundation

@available(macOS 10.15, *)
extension DescentCommand {
    /// Exit status for a usage error (bad flags, a missing argument, an invalid
    /// option value), as Unix tools and Python's argparse use; ArgumentParser's own is 64.
    public static let usageErrorStatus: Int32 = CommandFailure.usageStatus

    /// Parses the command line and runs the command. Exit status: 0 on success,
    /// 1 when the work itself fails (malformed input, a failed conformance case),
    /// 2 for a usage error (a bad `--config` file too); help and version requests exit 0.
    public static func mainWithUsageStatus(_ arguments: [String]? = nil) async {
        // A failed write to standard output ends the process with status 1 (StandardOutput).
        StandardOutput.install()
        let given = joiningNegativeNumbers(arguments ?? Array(CommandLine.arguments.dropFirst()))
        // From here a SIGINT or SIGTERM ends the process with one JSON object (with --json) until a command's SignalStop
        // takes the signals over (was: killed with none in the first quarter second of `train --json`). Not under
        // mpirun: there MPICommunicator watches the signals itself, and every rank would print the object.
        if arguments == nil, DataParallelLaunch.detect() == .single {
            ProcessSignals.arm(json: given.contains("--json"))
            SignalTestPause.here("start")
        }
        // A --config file is read into a run specification before the parse; the command takes it (the flags given
        // on the command line over it) when it checks its settings (ConfigurationArguments).
        let configuration: ConfigurationArguments.Loaded?
        do {
            configuration = try ConfigurationArguments.load(given)
        } catch {
            if given.contains("--json") { print(FailureJSON.line(kind: "usage", message: "\(error)")) }
            StandardOutput.error("error: \(error)\n")
            StandardOutput.ending(with: usageErrorStatus)
            Foundation.exit(usageErrorStatus)
        }
        let fromConfiguration = configuration?.adoptedFlags ?? []
        let command: any ParsableCommand
        do {
            command = try ConfigurationArguments.$current.withValue(configuration) { try parseAsRoot(given) }
        } catch {
            // A bad command line with --json still ends with one JSON object (the command never ran).
            if given.contains("--json"), exitCode(for: error) != .success {
                print(FailureJSON.line(kind: exitCode(for: error) == .validationFailure ? "usage" : "failed",
                                       message: CaretExcerpt.cutEchoes(message(for: error))))
            }
            if exitCode(for: error) == .validationFailure { exitForUsage(error, fromConfiguration: fromConfiguration) }
            exitSucceeding(error)
            StandardOutput.ending(with: exitCode(for: error).rawValue)
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
            exitSucceeding(error)
            StandardOutput.ending(with: exitCode(for: error).rawValue)
            exit(withError: error)
        }
    }

    /// `--help`, `--version` and `descent` alone: their text goes through StandardOutput like every other
    /// output (so `--help > /dev/full` is status 1), then status 0. Returns for any other error.
    private static func exitSucceeding(_ error: Error) {
        guard exitCode(for: error) == .success else { return }
        let text = fullMessage(for: error)
        if !text.isEmpty { print(text) }
        Foundation.exit(0)
    }

    /// Prints a usage error (saying which of the flags it names a --config file set) and exits 2.
    private static func exitForUsage(_ error: Error, fromConfiguration: [String]) -> Never {
        var message = CaretExcerpt.cutEchoes(fullMessage(for: error)) + "\n"
        let named = fromConfiguration.filter { flag in
            let name = flag.split(separator: "=", maxSplits: 1).first.map(String.init) ?? flag
            return message.contains(name + " ") || message.contains(name + "\n") || message.contains(name + ":")
                || message.contains("'\(name)") || message.contains(name + " <")
        }
        // A value from the file is cut as every echo is (a 2 MB schedule is not printed whole).
        if !named.isEmpty { message += "note: set by the --config file: \(named.map(CaretExcerpt.cut).joined(separator: " "))\n" }
        StandardOutput.error(message)
        StandardOutput.ending(with: usageErrorStatus)
        Foundation.exit(usageErrorStatus)
    }

    /// `--name -1` as `--name=-1`, so a negative number given to an option reaches the option's own
    /// check ("--learning-rate must be a positive number") instead of being read as a flag ("Missing
    /// value for '--learning-rate'"). Only a long option directly followed by a token that is a negative
    /// value (``isNegativeNumber(_:)``) is joined; nothing after `--`.
    static func joiningNegativeNumbers(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let token = arguments[index]
            if token == "--" { return result + arguments[index...] }
            if token.hasPrefix("--"), !token.contains("="), index + 1 < arguments.count, isNegativeNumber(arguments[index + 1]) {
                result.append(token + "=" + arguments[index + 1])
                index += 2
                continue
            }
            result.append(token)
            index += 1
        }
        return result
    }

    /// Whether `token` is a value that starts with a minus sign rather than a flag: a digit or ".digit"
    /// after the "-" (`-1`, `-0.5`, `-.5`, `-1e-3`, `-1.5,1` for `explore --start`), or `-inf`/`-nan`.
    /// No `descent` flag starts with a digit.
    static func isNegativeNumber(_ token: String) -> Bool {
        guard token.hasPrefix("-"), token.count > 1 else { return false }
        let rest = Array(token.dropFirst())
        if ["inf", "infinity", "nan"].contains(String(rest).lowercased()) { return true }
        if rest[0].isASCII && rest[0].isNumber { return true }
        return rest[0] == "." && rest.count > 1 && rest[1].isASCII && rest[1].isNumber
    }
}
