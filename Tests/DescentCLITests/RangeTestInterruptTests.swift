import Foundation
import XCTest

/// SIGINT or SIGTERM during `descent range-test` end the sweep within a step: one interrupted JSON object last,
/// 130 or 143, no report written (the settings saved before the sweep stay).
final class RangeTestInterruptTests: XCTestCase {
    func testASignalDuringTheSweepStopsItWithOneInterruptedObject() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-range-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let settings = directory.appendingPathComponent("settings-\(signal).toml").path
            let report = directory.appendingPathComponent("report-\(signal).html").path
            // Three sweeps of 100 steps on a 256-256 network: seconds in a debug build, so the signal lands in them.
            let process = Process()
            process.executableURL = CommandLineRunner.executable
            process.arguments = ["range-test", "--dataset", "digits", "--hidden", "256,256", "--repeats", "3",
                                 "--save-config", settings, "--report", report, "--json"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The settings are saved after the signals are watched and before the sweep starts.
            let deadline = Date().addingTimeInterval(120)
            while !FileManager.default.fileExists(atPath: settings) && process.isRunning && Date() < deadline { usleep(2_000) }
            kill(process.processIdentifier, signal)
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .exit, "it ends by itself, not killed by the signal")
            XCTAssertEqual(process.terminationStatus, status, printed)
            let lines = printed.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "exactly one JSON object: \(printed)")
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data((lines.last ?? "").utf8)) as? [String: Any])
            XCTAssertEqual(object["status"] as? String, "interrupted")
            let error = try XCTUnwrap(object["error"] as? [String: Any])
            XCTAssertEqual(error["kind"] as? String, "interrupted")
            let message = try XCTUnwrap(error["message"] as? String)
            XCTAssertTrue(message.contains(signal == SIGINT ? "SIGINT" : "SIGTERM") && message.contains("sweep steps"), message)
            XCTAssertFalse(FileManager.default.fileExists(atPath: report), "no report of a sweep cut short")
            XCTAssertTrue(FileManager.default.fileExists(atPath: settings), "what was saved before stays")
        }
    }
}
