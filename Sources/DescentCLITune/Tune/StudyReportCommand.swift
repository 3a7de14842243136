import ArgumentParser
import DescentCLIShared
import DescentFiles
import DescentTune
import Foundation

/// `descent study report`: a self-contained HTML page of a study (`StudyReport`: its trials, charts and best parameters).
struct StudyReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Write an HTML report of a study.")
    @OptionGroup var location: StudyLocationOptions
    @Option(help: "The HTML file to write.")
    var out: String

    func validate() throws { try location.refuseOverwritingStorage("--out", out) }

    package func run() async throws {
        try await FailureJSON.run(json: false) { try report() }
    }

    private func report() throws {
        try AtomicFile.check(out)
        let (record, trials, space) = try location.load()
        try StudyReport(study: record, trials: trials, space: space).document().write(toFile: out)
        print("Wrote the report of '\(record.name)' to \(out)")
    }
}
