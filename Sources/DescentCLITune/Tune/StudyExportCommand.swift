import ArgumentParser
import DescentCLIShared
import DescentReport
import DescentFiles
import DescentTune
import Foundation

/// `descent study export --storage … --study NAME --csv FILE`: one row per trial (see `StudyExport.csv`), written atomically.
struct StudyExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a study's trials to a CSV file.")
    @OptionGroup var location: StudyLocationOptions
    @Option(help: "The CSV file to write (replaced atomically).")
    var csv: String

    func validate() throws { try location.refuseOverwritingStorage("--csv", csv) }

    package func run() async throws {
        try await FailureJSON.run(json: false) { try export() }
    }

    private func export() throws {
        let (_, trials, space) = try location.load()
        let names = space?.parameters.map(\.name) ?? Array(Set(trials.flatMap(\.parameters.keys))).sorted()
        try AtomicFile.check(csv)
        try ReportFile.write(StudyExport.csv(trials: trials, parameterNames: names), toFile: csv)
        print("Wrote \(trials.count) trials to \(csv)")
    }
}
