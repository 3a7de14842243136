/// A conformance file or case that cannot be read, naming the file/case and the field.
public enum ConformanceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field is missing or has the wrong form.
    case invalidField(context: String, field: String, message: String)
    /// The file is not JSON of the expected form.
    case unreadableFile(path: String, message: String)
    /// The optimizer or schedule named by a case is not known here.
    case unsupported(context: String, what: String)

    public var description: String {
        switch self {
        case let .invalidField(context, field, message): return "\(context): field \(field): \(message)"
        case let .unreadableFile(path, message): return "\(path): \(message)"
        case let .unsupported(context, what): return "\(context): unsupported \(what)"
        }
    }
}
