import Descent
import Foundation
import XCTest

/// The README's whole-run library example is `Examples/TrainingRun/main.swift`, byte for byte; it builds (a target
/// of the package) and runs; and at the rate it chose it trains what `descent train` trains at that rate, weight for weight.
final class LibraryExampleTests: XCTestCase {
    func testTheReadmeBlockIsTheExampleFile() throws {
        let root = CommandLineRunner.repositoryRoot
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try String(contentsOf: root.appendingPathComponent("Examples/TrainingRun/main.swift"), encoding: .utf8)
        let marker = "<!-- Examples/TrainingRun/main.swift -->\n```swift\n"
        let start = try XCTUnwrap(readme.range(of: marker), "README.md has no block marked \(marker)")
        let end = try XCTUnwrap(readme.range(of: "```\n", range: start.upperBound..<readme.endIndex))
        XCTAssertEqual(String(readme[start.upperBound..<end.lowerBound]), example)
    }

    func testTheExampleRunsAndTrainsWhatTrainTrains() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = CommandLineRunner.executable.deletingLastPathComponent().appendingPathComponent("TrainingRunExample")
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("epoch 30: validation loss"), text)
        XCTAssertTrue(text.contains("predicted [\"0\", \"2\"]"), text)
        let saved = try ModelFile.load(path: directory.appendingPathComponent("iris.safetensors").path)
        let spec = try XCTUnwrap(saved.card?.specification)
        XCTAssertEqual(spec.schedule, "warmup(20) >> cosine")
        guard case .automatic(chosen: let chosen?) = spec.learningRate else { return XCTFail("\(spec.learningRate)") }

        // The same run through the command line, its rate automatic too: the library's auto is train's (the range test,
        // then the race on validation loss, one call), so it chooses the same rate and trains the same weights, bit for bit.
        let weights = directory.appendingPathComponent("train.safetensors").path
        let train = try CommandLineRunner.run(["train", "--dataset", "iris", "--schedule", "warmup(20) >> cosine",
                                               "--epochs", "30", "--save-weights", weights, "--json"])
        XCTAssertEqual(train.status, 0, train.standardError)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data((train.standardOutput.split(separator: "\n").last ?? "").utf8))
                                    as? [String: Any])
        let automatic = try XCTUnwrap(summary["automatic_learning_rate"] as? [String: Any])
        XCTAssertEqual(automatic["source"] as? String, "validation-race", "iris has 30 validation rows: the race decides")
        XCTAssertEqual(try XCTUnwrap(automatic["learning_rate"] as? Double), chosen, "the same rate, chosen the same way")
        let cli = try ModelFile.load(path: weights)
        XCTAssertEqual(cli.tensors.keys.sorted(), saved.tensors.keys.sorted())
        for (name, tensor) in saved.tensors {
            XCTAssertEqual(cli.tensors[name]?.scalars.map(\.bitPattern), tensor.scalars.map(\.bitPattern), name)
        }
    }
}
