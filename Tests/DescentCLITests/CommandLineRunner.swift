import Foundation
import XCTest

/// Runs the built `descent` executable as a user would and captures what it prints.
///
/// The executable sits next to the test bundle in SwiftPM's build folder
/// (`swift test` builds it first).
struct CommandLineRunner {
    struct Result {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    static var executable: URL {
        #if os(macOS)
        // The .xctest bundle is a folder inside the build folder.
        let directory = Bundle(for: BundleMarker.self).bundleURL.deletingLastPathComponent()
        #else
        // On Linux the test runner is an executable in the build folder itself.
        let directory = Bundle.main.bundleURL
        #endif
        return directory.appendingPathComponent("descent")
    }

    /// The repository root (for bundled data and conformance files).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = error.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self))
    }
}

private final class BundleMarker {}
