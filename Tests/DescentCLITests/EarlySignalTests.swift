import Foundation
import XCTest

/// SIGINT and SIGTERM at every point of a run, sent at a known point instead of after a guessed delay: the process
/// pauses where `DESCENT_TEST_PAUSE` names (`SignalTestPause`), says so on standard error, and only then is signalled.
/// Before a command's own stop watches the signals (was: killed with no JSON object in the first quarter second of
/// `train --json`) the process ends at once, 130 or 143, and a `--json` run's output is exactly one JSON object, status
/// `interrupted`; once the stop watches, the run stops gracefully and ends with its own summary.
final class EarlySignalTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-early-signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private struct Ended {
        let status: Int32
        let byExit: Bool
        let standardOutput: String
        let standardError: String

        /// The last line of standard output as a JSON object.
        func lastObject() throws -> [String: Any] {
            let line = try XCTUnwrap(standardOutput.split(separator: "\n").last, "no output; stderr: \(standardError)")
            return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
    }

    /// Runs `arguments` with the pause `point`, waits until the process says it is there, sends `number`, and waits for
    /// the end.
    private func run(_ arguments: [String], pausingAt point: String, signal number: Int32) throws -> Ended {
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DESCENT_TEST_PAUSE"] = point
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Standard error up to the pause's line (the process waits there for up to 60 s; EOF: it ended first).
        var said = Data()
        let mark = Data("descent: test pause at \(point)\n".utf8)
        while said.range(of: mark) == nil {
            let more = error.fileHandleForReading.availableData
            if more.isEmpty { break }
            said.append(more)
        }
        XCTAssertNotNil(said.range(of: mark), "never paused at \(point): \(String(decoding: said, as: UTF8.self))")
        kill(process.processIdentifier, number)
        let group = DispatchGroup()
        nonisolated(unsafe) var rest = Data()
        group.enter()
        DispatchQueue.global().async {
            rest = error.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Ended(status: process.terminationStatus, byExit: process.terminationReason == .exit,
                     standardOutput: String(decoding: printed, as: UTF8.self),
                     standardError: String(decoding: said + rest, as: UTF8.self))
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func train(weights: String) -> [String] {
        ["train", "--dataset", "iris", "--hidden", "8", "--epochs", "3", "--learning-rate", "0.05", "--save-weights", weights, "--json"]
    }

    /// Exactly one line on standard output, the interrupted object, and the status of the signal.
    private func assertEndedAtOnce(_ ended: Ended, signal number: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertTrue(ended.byExit, "killed by the signal instead of ending: \(ended.standardError)", file: file, line: line)
        XCTAssertEqual(ended.status, 128 + number, ended.standardError, file: file, line: line)
        XCTAssertEqual(ended.standardOutput.split(separator: "\n").count, 1, ended.standardOutput, file: file, line: line)
        let object = try ended.lastObject()
        XCTAssertEqual(object["status"] as? String, "interrupted", file: file, line: line)
        let error = try XCTUnwrap(object["error"] as? [String: Any], file: file, line: line)
        XCTAssertEqual(error["kind"] as? String, "interrupted", file: file, line: line)
        XCTAssertTrue((error["message"] as? String ?? "").contains(number == SIGINT ? "SIGINT" : "SIGTERM"), "\(error)", file: file, line: line)
    }

    func testASignalBeforeTheFlagsAreParsedEndsWithOneJSONObject() throws {
        for number in [SIGINT, SIGTERM] {
            let weights = path("start-\(number).safetensors")
            let ended = try run(train(weights: weights), pausingAt: "start", signal: number)
            try assertEndedAtOnce(ended, signal: number)
            XCTAssertFalse(FileManager.default.fileExists(atPath: weights))
        }
    }

    func testASignalAfterTheDataIsLoadedButBeforeTheStopWatchesEndsWithOneJSONObject() throws {
        let weights = path("before.safetensors")
        let ended = try run(train(weights: weights), pausingAt: "before-signal-stop", signal: SIGINT)
        try assertEndedAtOnce(ended, signal: SIGINT)
        XCTAssertFalse(FileManager.default.fileExists(atPath: weights))
    }

    func testASignalOnceTheStopWatchesStopsTheRunGracefullyWithItsSummary() throws {
        let weights = path("after.safetensors")
        let ended = try run(train(weights: weights), pausingAt: "after-signal-stop", signal: SIGINT)
        XCTAssertTrue(ended.byExit, ended.standardError)
        XCTAssertEqual(ended.status, 130, ended.standardError)
        let summary = try ended.lastObject()
        XCTAssertEqual(summary["status"] as? String, "interrupted", ended.standardOutput)
        XCTAssertNil(summary["error"], "the run's own summary, not the at-once object: \(summary)")
        XCTAssertEqual(ended.standardOutput.split(separator: "\n").count, 1, ended.standardOutput)
    }

    func testACommandWithoutAGracefulStopEndsWithOneJSONObject() throws {
        // `schedule show` watches no signals of its own: a signal anywhere in it ends the process at once.
        let ended = try run(["schedule", "show", "cosine", "--steps", "10", "--json"], pausingAt: "start", signal: SIGTERM)
        try assertEndedAtOnce(ended, signal: SIGTERM)
    }

    func testWithoutJSONTheProcessEndsWithTheSignalsStatusAndPrintsNothing() throws {
        let ended = try run(["train", "--dataset", "iris", "--epochs", "1"], pausingAt: "before-signal-stop", signal: SIGINT)
        XCTAssertEqual(ended.status, 130, ended.standardError)
        XCTAssertEqual(ended.standardOutput, "")
    }
}
