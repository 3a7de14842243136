import ArgumentParser
import DescentCLITrain
import DescentFiles
import DescentTune
import Foundation

/// `descent study`: look at the studies in a storage — list them, show one, export its trials.
package struct StudyCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "List, show or export the studies of `descent tune`.",
        subcommands: [StudyListCommand.self, StudyShowCommand.self, StudyExportCommand.self, StudyReportCommand.self]
    )

    package init() {}
}

/// The `--storage` and `--study` options of the study subcommands, and opening them.
struct StudyLocationOptions: ParsableArguments {
    @Option(help: ArgumentHelp(StudyStorageOption.help))
    var storage: String = StudyStorageOption.defaultValue
    @Option(help: "The study's name.")
    var study: String

    func validate() throws { try StudyStorageOption.validate(storage) }

    /// Refuses an output (`--csv`, `--out`) that is the SQLite study database or one of its journal files:
    /// writing it would replace the study with a CSV or HTML file.
    func refuseOverwritingStorage(_ flag: String, _ path: String) throws {
        guard storage.hasPrefix("sqlite:") else { return }
        let database = String(storage.dropFirst("sqlite:".count))
        try TrainCommand.validateOutputs([], alsoDistinctFrom: [(flag, path)],
                                         inputs: ["", "-wal", "-shm", "-journal"].map { ("--storage", database + $0) })
    }

    /// The study's record and trials (parameters in their declared kinds); exit 1 when absent or unreachable.
    func load() throws -> (StudyRecord, [TrialRecord], SearchSpace?) {
        do {
            // Only an existing SQLite file is read: a typo must not create an empty database.
            if storage.hasPrefix("sqlite:"), !FileManager.default.fileExists(atPath: String(storage.dropFirst("sqlite:".count))) {
                throw StudyStorageError("no study database at '\(storage.dropFirst("sqlite:".count))'")
            }
            let opened = try StudyStorageOption.open(storage)
            guard let record = try opened.findStudy(named: study) else {
                let names = try opened.allStudies().map(\.name)
                throw StudyStorageError("no study '\(study)' in \(StudyStorageOption.display(storage))"
                    + (names.isEmpty ? " (it has none)" : "; it has: \(names.joined(separator: ", "))"))
            }
            let space = Self.space(of: record)
            let trials = try opened.trials(studyID: record.id).map { trial -> TrialRecord in
                var trial = trial
                if let space { trial.parameters = space.normalized(trial.parameters) }
                return trial
            }
            return (record, trials, space)
        } catch let error as StudyStorageError {
            throw failWork(error.description)
        }
    }

    /// The search space recorded in a study's configuration: a JSON object's `search` (studies since the run
    /// specification), or the text between `search=` and ` sampler=` (studies before it).
    static func space(of record: StudyRecord) -> SearchSpace? {
        if let object = (try? JSONSerialization.jsonObject(with: Data(record.configuration.utf8))) as? [String: Any],
           let search = object["search"] as? String {
            return try? SearchSpace(parsing: search)
        }
        guard let start = record.configuration.range(of: "search="),
              let end = record.configuration.range(of: " sampler=", range: start.upperBound..<record.configuration.endIndex) else { return nil }
        return try? SearchSpace(parsing: String(record.configuration[start.upperBound..<end.lowerBound]))
    }
}
