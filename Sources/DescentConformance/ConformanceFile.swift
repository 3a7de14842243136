import DescentFiles
import Foundation

/// Reading a conformance file: a JSON object with a `cases` list. The text is checked first
/// (``JSONTextCheck`` gives the line and column of the first problem, and refuses numbers beyond
/// `Double`), then parsed into ``JSONValue`` by DescentFiles' strict parser (at most `maximumDepth` levels,
/// no key twice in one object). Each runner turns a ``Problem`` into its own error
/// (`ScheduleError` for schedules, ``ConformanceError`` for optimizers and range tests).
///
/// Example: for the text `{"cases": [1, 2}` the problem is
/// `.invalidText(line 1, column 16: expected ',' or ']' but found '}')`; for `{"case": []}` it is `.noCases`.
package enum ConformanceFile {
    package enum Problem: Error {
        /// The file could not be read (the system's reason).
        case unreadable(String)
        /// The text is not JSON: the first problem by line and column.
        case invalidText(JSONTextCheck.Problem)
        /// Valid JSON text that the parser still refused: nested too deeply, or a key twice in one object.
        case undecodable(String)
        /// The root is not an object with a `cases` list.
        case noCases
    }

    /// The deepest nesting a conformance file may have (the reference files nest 4 levels): deeper text
    /// is refused with a message rather than read by a recursive parser that could overflow the stack.
    package static let maximumDepth = 256

    /// The bytes of the file at `fileURL`.
    /// - Throws: ``Problem/unreadable(_:)``.
    package static func data(at fileURL: URL) throws -> Data {
        do { return try FileContents.read(fileURL.path) } catch let error as FileReadError { throw Problem.unreadable(error.reason) }
    }

    /// The `cases` of a file's contents.
    /// - Throws: a ``Problem``.
    package static func cases(in data: Data) throws -> [JSONValue] {
        let bytes = [UInt8](data)
        if let problem = JSONTextCheck.firstProblem(in: bytes) { throw Problem.invalidText(problem) }
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes[...], maximumDepth: maximumDepth)
        } catch let error as JSONValue.ParseError {
            throw Problem.undecodable("\(error.message) (at byte \(error.offset))")
        }
        guard let cases = root.object?["cases"]?.array else { throw Problem.noCases }
        return cases
    }

    /// The cases of the file at `fileURL`, each an object, for the optimizers and range-test runners.
    /// - Throws: ``ConformanceError/unreadableFile(path:message:)`` when the file cannot be read, is not
    ///   JSON, or is not an object with a `cases` list (of objects, when `objectsOnly`).
    package static func cases(at fileURL: URL, objectsOnly: Bool) throws -> [JSONValue] {
        func unreadable(_ message: String) -> ConformanceError { .unreadableFile(path: fileURL.path, message: message) }
        let shape = "expected a JSON object with a \"cases\" array"
        let cases: [JSONValue]
        do {
            cases = try Self.cases(in: data(at: fileURL))
        } catch Problem.unreadable(let reason) {
            throw unreadable("cannot read: \(reason)")
        } catch Problem.invalidText(let problem) {
            throw unreadable("not valid JSON: \(problem)")
        } catch Problem.undecodable(let reason) {
            throw unreadable("cannot be read as a conformance file: \(reason)")
        } catch {
            throw unreadable(shape)
        }
        guard !objectsOnly || cases.allSatisfy({ $0.object != nil }) else { throw unreadable(shape) }
        return cases
    }
}
