/// An error raised by a tensor operation whose arguments came from a caller.
///
/// Every case says what was wrong in words a user can act on, e.g.
/// `shapeMismatch(operation: "add", "cannot broadcast [2, 3] with [4]")`.
public enum TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The shapes of the operands cannot be combined by this operation.
    case shapeMismatch(operation: String, String)
    /// An argument is outside its valid range (an axis, a size, an index).
    case invalidArgument(operation: String, String)

    public var description: String {
        switch self {
        case let .shapeMismatch(operation, detail): return "\(operation): shape mismatch: \(detail)"
        case let .invalidArgument(operation, detail): return "\(operation): invalid argument: \(detail)"
        }
    }
}
