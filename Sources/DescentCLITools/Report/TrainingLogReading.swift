import DescentCLIShared
import DescentDiagnosis
import DescentTrain
import Foundation

/// Reading a run logged with `descent train --log` for a command (`report`, `diagnose`): the one place
/// that turns a log that cannot be read into the command's input failure (status 1, naming the file and
/// the line) and says, on stderr, that a last line cut short by a kill was left out.
///
/// ```swift
/// let contents = try TrainingLogReading.read("run.jsonl")
/// // stderr, for a run killed mid-line: note: run.jsonl:97 is cut short (the run was killed while writing it); it is left out
/// contents.curves.epochs.count   // 10
/// ```
enum TrainingLogReading {
    /// The log's curves; a failure to read it is `CommandFailure(.input, …)` with the reader's own words.
    static func read(_ path: String) throws -> TrainingLogContents {
        let contents: TrainingLogContents
        do {
            contents = try TrainingLog.curves(contentsOf: path)
        } catch {
            throw CommandFailure(.input, "\(error)")
        }
        if let line = contents.incompleteLastLine {
            StandardOutput.error("note: \(path):\(line) is cut short (the run was killed while writing it); it is left out\n")
        }
        return contents
    }
}
