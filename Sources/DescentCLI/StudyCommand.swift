import ArgumentParser
import Descent
import DescentTune
import Foundation

/// `descent study`: look at the studies in a storage — list them, show one, export its trials.
struct StudyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "List, show or export the studies of `descent tune`.",
        subcommands: [StudyListCommand.self, StudyShowCommand.self, StudyExportCommand.self, StudyReportCommand.self]
    )
}

/// The `--storage` and `--study` options of the study subcommands, and opening them.
struct StudyLocationOptions: ParsableArguments {
    @Option(help: ArgumentHelp(StudyStorageOption.help))
    var storage: String = StudyStorageOption.defaultValue
    @Option(help: "The study's name.")
    var study: String

    func validate() throws { try StudyStorageOption.validate(storage) }

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

    /// The search space recorded in a study's configuration (`search=… sampler=…`).
    static func space(of record: StudyRecord) -> SearchSpace? {
        guard let start = record.configuration.range(of: "search="),
              let end = record.configuration.range(of: " sampler=", range: start.upperBound..<record.configuration.endIndex) else { return nil }
        return try? SearchSpace(parsing: String(record.configuration[start.upperBound..<end.lowerBound]))
    }
}

struct StudyListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the studies in a storage.")
    @Option(help: ArgumentHelp(StudyStorageOption.help))
    var storage: String = StudyStorageOption.defaultValue
    @Flag(help: "Print one JSON object as the last line.")
    var json = false

    func validate() throws { try StudyStorageOption.validate(storage) }

    func run() async throws {
        var rows: [[String: Any]] = []
        do {
            if storage.hasPrefix("sqlite:"), !FileManager.default.fileExists(atPath: String(storage.dropFirst("sqlite:".count))) {
                throw StudyStorageError("no study database at '\(storage.dropFirst("sqlite:".count))'")
            }
            let opened = try StudyStorageOption.open(storage)
            for record in try opened.allStudies() {
                let trials = try opened.trials(studyID: record.id)
                let best = Study.best(of: trials, direction: record.direction)
                rows.append(["study": record.name, "direction": record.direction.rawValue, "trials": trials.count,
                             "complete": trials.filter { $0.state == .complete }.count,
                             "best_value": best?.value.map { $0 as Any } ?? NSNull(), "configuration": record.configuration])
            }
        } catch let error as StudyStorageError {
            throw failWork(error.description)
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: ["storage": StudyStorageOption.display(storage), "studies": rows],
                                                  options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if rows.isEmpty { print("No studies in \(StudyStorageOption.display(storage))."); return }
        for row in rows {
            let best = (row["best_value"] as? Double).map { String(format: "%.6g", $0) } ?? "—"
            print("\(row["study"]!)  \(row["trials"]!) trials (\(row["complete"]!) complete)  best \(best)  [\(row["configuration"]!)]")
        }
    }
}

struct StudyShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a study's trials and its best trial.")
    @OptionGroup var location: StudyLocationOptions
    @Flag(help: "Print the study as one JSON object on the last line.")
    var json = false

    func run() async throws {
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

struct StudyExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a study's trials to a CSV file.")
    @OptionGroup var location: StudyLocationOptions
    @Option(help: "The CSV file to write (replaced atomically).")
    var csv: String

    func run() async throws {
        let (_, trials, space) = try location.load()
        let names = space?.parameters.map(\.name) ?? Array(Set(trials.flatMap(\.parameters.keys))).sorted()
        do {
            try ReportFile.write(StudyExport.csv(trials: trials, parameterNames: names), toFile: csv)
        } catch {
            throw failWork("\(error)")
        }
        print("Wrote \(trials.count) trials to \(csv)")
    }
}
