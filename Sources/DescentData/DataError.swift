/// An error raised while reading or preparing data that came from a user.
///
/// Every case names the file (or data set) and, where there is one, the line,
/// the column or the tensor, so a user can go straight to the problem:
///
/// ```swift
/// // "train.csv: line 7, column 3 (\"petal_length\"): \"abc\" is not a number"
/// ```
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A CSV file is malformed at a given place.
    /// `line` is 1-based (the header is line 1); `column` is 1-based, with its header name when known.
    case malformedCSV(file: String, line: Int, column: Int?, columnName: String?, String)
    /// A problem with a whole CSV file (empty, unknown target column, a single class...).
    case invalidCSV(file: String, String)
    /// A malformed binary file (NPY, IDX, safetensors).
    case malformedFile(file: String, format: String, String)
    /// A malformed tensor entry inside a safetensors file.
    case malformedTensor(file: String, tensor: String, String)
    /// A file that could not be opened, read or written.
    case io(file: String, String)
    /// A bad argument: a split fraction, a batch size, a data set name...
    case invalidArgument(parameter: String, String)

    public var description: String {
        switch self {
        case let .malformedCSV(file, line, column, columnName, detail):
            var place = "\(file): line \(line)"
            if let column {
                place += ", column \(column)"
                if let columnName { place += " (\"\(columnName)\")" }
            }
            return "\(place): \(detail)"
        case let .invalidCSV(file, detail):
            return "\(file): \(detail)"
        case let .malformedFile(file, format, detail):
            return "\(file): malformed \(format) file: \(detail)"
        case let .malformedTensor(file, tensor, detail):
            return "\(file): tensor \"\(tensor)\": \(detail)"
        case let .io(file, detail):
            return "\(file): \(detail)"
        case let .invalidArgument(parameter, detail):
            return "\(parameter): \(detail)"
        }
    }
}
