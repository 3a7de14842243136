import ArgumentParser
import DescentCLIShared
import DescentFiles
import DescentTune
import Foundation

/// `descent study show --storage … --study NAME [--json]`: a study's trials and its best; with `--json` the last
/// line is `{"study":…,"direction":"minimize","trials":[{"number":0,"state":"complete","value":…,"params":{…},"intermediate":[…]},…],"best":{…}}`.
struct StudyShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a study's trials and its best trial.")
    @OptionGroup var location: StudyLocationOptions
    @Flag(help: "Print the study as one JSON object on the last line.")
    var json = false

    package func run() async throws {
        try await FailureJSON.run(json: json) { try show() }
    }

    private func show() throws {
        let (record, trials, space) = try location.load()
        if json {
            print(StudyExport.json(study: record, trials: trials))
            return
        }
        let names = space?.parameters.map(\.name) ?? Array(Set(trials.flatMap(\.parameters.keys))).sorted()
        print("Study '\(record.name)' (\(record.direction.rawValue)): \(record.configuration)")
        print((["#", "state", "value", "epochs"] + names).joined(separator: "\t"))
        for trial in trials {
            let value = trial.value.map { String(format: "%.6g", $0) } ?? "—"
            print((["\(trial.number)", trial.state.rawValue, value, trial.lastStep.map(String.init) ?? "—"]
                + names.map { trial.parameters[$0]?.description ?? "—" }).joined(separator: "\t"))
        }
        if let best = Study.best(of: trials, direction: record.direction) {
            print(String(format: "Best: trial #%ld, value %.6g", best.number, best.value ?? .nan))
        }
    }
}
