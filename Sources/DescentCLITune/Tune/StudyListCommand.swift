import ArgumentParser
import DescentCLIShared
import DescentFiles
import DescentTune
import Foundation

/// `descent study list --storage … [--json]`: the studies in a storage, with their trial counts and best values.
struct StudyListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the studies in a storage.")
    @Option(help: ArgumentHelp(StudyStorageOption.help))
    var storage: String = StudyStorageOption.defaultValue
    @Flag(help: "Print one JSON object as the last line.")
    var json = false

    func validate() throws { try StudyStorageOption.validate(storage) }

    package func run() async throws {
        try await FailureJSON.run(json: json) { try list() }
    }

    private func list() throws {
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
