import Foundation
import XCTest

/// Standard output that cannot be written (`> /dev/full`, a full disk, a reader gone) and `--out`
/// files that cannot be written: a failure is status 1 with one line on standard error (and with
/// `--json` still one JSON object where standard output works); a reader gone is a quiet SIGPIPE.
final class OutputFailureTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-output-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    struct Ended {
        let status: Int32
        let bySignal: Bool
        let standardError: String
    }

    /// Runs `descent` with standard output on `output` (a file handle the test opened).
    private func run(_ arguments: [String], output: FileHandle) throws -> Ended {
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = arguments
        process.standardOutput = output
        let error = Pipe()
        process.standardError = error
        try process.run()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Ended(status: process.terminationStatus, bySignal: process.terminationReason == .uncaughtSignal,
                     standardError: String(decoding: errorData, as: UTF8.self))
    }

    private func full() throws -> FileHandle { try XCTUnwrap(FileHandle(forWritingAtPath: "/dev/full")) }

    private func assertFailedWrite(_ ended: Ended, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(ended.bySignal, "a trap: \(ended.standardError)", file: file, line: line)
        XCTAssertEqual(ended.status, 1, ended.standardError, file: file, line: line)
        XCTAssertTrue(ended.standardError.contains("error: cannot write to standard output: No space left on device"),
                      ended.standardError, file: file, line: line)
        // One error line (a note before it, such as a model file's unverified weights, is not an error).
        XCTAssertEqual(ended.standardError.split(separator: "\n").filter { !$0.hasPrefix("note: ") }.count, 1, ended.standardError,
                       file: file, line: line)
    }

    func testScheduleShowToAFullDeviceFails() throws {
        // Was: status 0, the JSON lost.
        assertFailedWrite(try run(["schedule", "show", "cosine", "--steps", "10", "--json"], output: try full()))
        assertFailedWrite(try run(["schedule", "show", "cosine", "--steps", "10"], output: try full()))
    }

    func testHelpAndVersionToAFullDeviceFail() throws {
        // Was: status 0, the text lost.
        assertFailedWrite(try run(["--help"], output: try full()))
        assertFailedWrite(try run(["train", "--help"], output: try full()))
        assertFailedWrite(try run(["--version"], output: try full()))
    }

    func testTrainJSONToAFullDeviceFails() throws {
        // Was: status 0, the summary lost.
        assertFailedWrite(try run(["train", "--dataset", "iris", "--epochs", "1", "--hidden", "3", "--json"], output: try full()))
    }

    func testPredictToAFullDeviceFailsWithoutATrap() throws {
        // Was: SIGILL (a try! inside FileHandle.write).
        let model = directory + "/m.safetensors", csv = directory + "/x.csv"
        XCTAssertTrue(FileManager.default.createFile(atPath: model, contents: Data(ModelFixture.linearClassifier)))
        try ("a,b\n" + (0..<5000).map { "\($0),\($0 % 7)" }.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        assertFailedWrite(try run(["predict", "--model", model, "--csv", csv], output: try full()))
    }

    func testAUsageErrorKeepsItsStatusWhenItsJSONCannotBeWritten() throws {
        let ended = try run(["schedule", "show", "cosine", "--steps", "0", "--json"], output: try full())
        XCTAssertEqual(ended.status, 2, ended.standardError)
        XCTAssertTrue(ended.standardError.contains("--steps must be from 1"), ended.standardError)
    }

    func testAReaderThatWentAwayEndsQuietlyAsBySIGPIPE() throws {
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let ended = try run(["schedule", "show", "cosine", "--steps", "10000", "--all"], output: pipe.fileHandleForWriting)
        XCTAssertTrue(ended.bySignal, "status \(ended.status): \(ended.standardError)")
        XCTAssertEqual(ended.status, SIGPIPE)
        XCTAssertEqual(ended.standardError, "", "quiet, as a C tool killed by SIGPIPE")
    }

    private func lastJSON(_ output: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let last = try XCTUnwrap(output.split(separator: "\n").last, "no output", file: file, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], String(last), file: file, line: line)
    }

    func testExploreOutOntoAFullDeviceOrAFIFOStillEndsWithOneJSONObject() throws {
        // Was: status 1 and no JSON object although --json promises one.
        let fifo = directory + "/fifo.html"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // /dev/full fails when written (status 1, kind write); a FIFO with no reader is refused before the work, as
        // every output path that cannot be written is (status 2, kind usage).
        for out in ["/dev/full", fifo] {
            let result = try CommandLineRunner.run(["explore", "--out", out, "--steps", "20", "--json"])
            XCTAssertEqual(result.status, out == fifo ? 2 : 1, result.standardError)
            let object = try lastJSON(result.standardOutput)
            XCTAssertEqual(object["status"] as? String, "failed")
            let error = try XCTUnwrap(object["error"] as? [String: Any])
            XCTAssertEqual(error["kind"] as? String, out == fifo ? "usage" : "write")
            XCTAssertTrue((error["message"] as? String ?? "").contains(out == fifo ? "FIFO with no reader" : "No space left"), "\(error)")
            if out != fifo { XCTAssertEqual(result.standardError.split(separator: "\n").count, 1, result.standardError) }
        }
    }

    func testDemoWhosePageCannotBeWrittenStillEndsWithOneJSONObject() throws {
        // A page that cannot be written at the end (here a FIFO with no reader where index.html goes,
        // as a full disk would fail it): was status 1 and no JSON object.
        let out = directory + "/demo"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(out + "/index.html", 0o600), 0)
        let result = try CommandLineRunner.run(["demo", "--out", out, "--epochs", "1", "--json"])
        XCTAssertEqual(result.status, 1, result.standardError)
        let object = try lastJSON(result.standardOutput)
        XCTAssertEqual(object["status"] as? String, "failed")
        XCTAssertEqual((object["error"] as? [String: Any])?["kind"] as? String, "write")
    }
}

/// A second Ctrl-C ends `train --json` at once, still with one JSON object as its last line.
final class SecondSignalTests: XCTestCase {
    func testASecondSIGINTStillEndsWithOneJSONObject() throws {
        // Was: the second signal exited 130 with no JSON object although --json promises one.
        #if os(Linux)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-signal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The run logs into a FIFO that is never read: once its buffer is full the run blocks in a write,
        // so the first SIGINT cannot end it and the second one must (a user's second Ctrl-C on a stuck run).
        let fifo = directory + "/log.jsonl"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        XCTAssertGreaterThanOrEqual(reader, 0)
        defer { close(reader) }
        let capacity = fcntl(reader, 1032 /* F_GETPIPE_SZ */)
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = ["train", "--dataset", "digits", "--epochs", "500", "--hidden", "8", "--log", fifo, "--json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Full: within a page (PIPE_BUF) of the capacity, and no longer growing.
        var queued: Int32 = 0, before: Int32 = -1
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline && (Int(queued) < Int(capacity) - 4096 || queued != before) {
            before = queued
            usleep(50_000)
            _ = ioctl(reader, 0x541B /* FIONREAD */, &queued)
        }
        kill(process.processIdentifier, SIGINT)
        usleep(200_000)
        kill(process.processIdentifier, SIGINT)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 130)
        let last = try XCTUnwrap(String(decoding: data, as: UTF8.self).split(separator: "\n").last, "no JSON object")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], String(last.prefix(300)))
        XCTAssertEqual(object["status"] as? String, "interrupted")
        let error = try XCTUnwrap(object["error"] as? [String: Any], String(last.prefix(300)))
        XCTAssertTrue((error["message"] as? String ?? "").contains("stopped at once by a second SIGINT"), "\(error)")
        #else
        throw XCTSkip("fills a FIFO through Linux's F_GETPIPE_SZ and FIONREAD")
        #endif
    }
}
