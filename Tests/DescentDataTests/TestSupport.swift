import Foundation
import XCTest
import DescentData

/// The path of a file in Fixtures/.
func fixturePath(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> String {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
        XCTFail("missing fixture \(name)", file: file, line: line)
        return "/nonexistent/\(name)"
    }
    return url.path
}

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("descent-data-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Asserts that `body` throws a `DataError` whose message contains every string in `fragments`.
func assertDataError<T>(_ body: @autoclosure () throws -> T, contains fragments: [String],
                        file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected an error containing \(fragments)", file: file, line: line)
    } catch let error as DataError {
        let message = error.description
        for fragment in fragments where !message.contains(fragment) {
            XCTFail("message \"\(message)\" does not contain \"\(fragment)\"", file: file, line: line)
        }
    } catch {
        XCTFail("expected a DataError, got \(error)", file: file, line: line)
    }
}
