/// Why a file could not be written: the path the user gave and the reason in words.
///
/// Example: writing to `/nonexistent/model.safetensors` fails with
/// "cannot write '/nonexistent/model.safetensors': the directory '/nonexistent' does not exist".
public struct FileWriteError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The path as the user gave it.
    public var path: String
    /// What went wrong, in words (no leading "cannot write").
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot write '\(path)': \(reason)" }
}
