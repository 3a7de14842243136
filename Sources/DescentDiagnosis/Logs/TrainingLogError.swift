import DescentTrain
/// Why a training log could not be written or read; each case names the file (and the line).
public enum TrainingLogError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The log cannot be opened or written (a directory, a special file, no permission, a full disk).
    case cannotWrite(path: String, reason: String)
    /// The log cannot be read.
    case cannotRead(path: String, reason: String)
    /// A line is not a log entry: not JSON, an unknown kind, a missing or mistyped field.
    case malformedLine(path: String, line: Int, reason: String)
    /// The file holds no entries.
    case empty(path: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): return "cannot write the log '\(path)': \(reason)"
        case let .cannotRead(path, reason): return "cannot read the log '\(path)': \(reason)"
        case let .malformedLine(path, line, reason): return "\(path):\(line): \(reason)"
        case let .empty(path): return "the log '\(path)' has no entries (write one with descent train --log FILE.jsonl)"
        }
    }
}
