import ArgumentParser
import DescentCLIShared
import DescentConformance
import DescentFiles
import Foundation

/// The file and flag every `descent conformance` command takes.
struct ConformanceFileArguments: ParsableArguments {
    @Argument(help: "The conformance file (JSON).")
    var file: String

    @Flag(help: "End with a JSON object: the counts, and on failure the error.")
    var json = false
}

/// A `descent conformance` command: it names its runner, and the shared ``run()`` does the rest.
///
/// How every such command ends: one line a case on standard output (failing ones on standard
/// error too, so a script that keeps only errors still sees them), the summary
/// "N passed, M failed", and status 1 when a case failed, when the file cannot be read (an input
/// error), or when the file has no cases at all (nothing was checked). With `--json` the last
/// line is `{"failed":0,"passed":19,"status":"passed"}` or the failure object with the counts and
/// the failing cases' names.
protocol ConformanceFileCommand: AsyncParsableCommand {
    var arguments: ConformanceFileArguments { get }
    /// Runs every case of the file at `fileURL`.
    static func report(fileURL: URL) throws -> ConformanceReport
}

extension ConformanceFileCommand {
    /// The configuration of the command `name`: its abstract and, optionally, a discussion.
    static func commandConfiguration(_ name: String, _ abstract: String, discussion: String = "") -> CommandConfiguration {
        CommandConfiguration(commandName: name, abstract: abstract, discussion: discussion)
    }

    func run() async throws {
        let file = arguments.file, json = arguments.json
        try await FailureJSON.run(json: json) {
            let report: ConformanceReport
            do {
                report = try Self.report(fileURL: URL(fileURLWithPath: file))
            } catch {
                throw CommandFailure(.input, "\(error)")
            }
            try Self.finish(file: file, report, json: json)
        }
    }

    /// Prints the cases and the summary; throws a check failure when a case failed or there were none.
    static func finish(file: String, _ report: ConformanceReport, json: Bool) throws {
        guard !report.results.isEmpty else {
            throw CommandFailure(.check, "\(file) has no cases: nothing was checked",
                                 extra: ["passed": .number(0), "failed": .number(0)])
        }
        for result in report.results {
            print(result.line)
            if !result.passed { StandardOutput.error("\(result.line)\n") }
        }
        let failures = report.results.filter { !$0.passed }.map(\.name)
        print(report.summary)
        let counts: [String: JSONValue] = ["passed": .number(Double(report.passedCount)), "failed": .number(Double(report.failedCount))]
        guard failures.isEmpty else {
            let named = failures.prefix(10).joined(separator: ", ") + (failures.count > 10 ? ", …" : "")
            throw CommandFailure(.check, "\(failures.count) of \(report.results.count) cases failed: \(named)",
                                 extra: counts.merging(["failures": .array(failures.map(JSONValue.string))]) { $1 })
        }
        if json {
            var object = counts
            object["status"] = .string("passed")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(JSONValue.object(object)), as: UTF8.self))
        }
    }
}
