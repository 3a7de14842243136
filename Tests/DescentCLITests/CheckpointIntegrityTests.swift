import Foundation
import XCTest

/// A checkpoint knows its data by content, not by file name; one run at a time writes a checkpoint directory.
final class CheckpointIntegrityTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-checkpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func summary(_ output: String) throws -> [String: Any] {
        let line = try XCTUnwrap(output.split(separator: "\n").last, output)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
    }

    private var iris: String {
        get throws {
            try String(contentsOf: CommandLineRunner.repositoryRoot.appendingPathComponent("Sources/DescentData/Resources/iris.csv"), encoding: .utf8)
        }
    }

    private func train(_ csv: String, epochs: Int, checkpoints: String, resume: Bool) throws -> CommandLineRunner.Result {
        // A fixed rate and constant schedule: a resume may extend --epochs without changing the schedule.
        try CommandLineRunner.run(["train", "--csv", csv, "--hidden", "8", "--learning-rate", "0.01", "--schedule", "constant",
                                   "--epochs", "\(epochs)", "--checkpoint-dir", checkpoints, "--json"]
                                  + (resume ? ["--resume"] : []))
    }

    func testACheckpointKnowsItsDataByContentNotByName() throws {
        let original = try iris
        let (first, renamed, checkpoints) = (path("first.csv"), path("renamed.csv"), path("run"))
        try original.write(toFile: first, atomically: true, encoding: .utf8)
        let started = try train(first, epochs: 2, checkpoints: checkpoints, resume: false)
        XCTAssertEqual(started.status, 0, started.standardError)

        // The same bytes under another name are the same data (was: refused, "data is first.csv: … there, renamed.csv: … here").
        try original.write(toFile: renamed, atomically: true, encoding: .utf8)
        let moved = try train(renamed, epochs: 3, checkpoints: checkpoints, resume: true)
        XCTAssertEqual(moved.status, 0, moved.standardError)
        XCTAssertEqual(try summary(moved.standardOutput)["resumed_from_epoch"] as? Int, 2)

        // Another file of the same shape under the same name is other data (was: resumed silently).
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var edited = lines
        edited[1] = edited[1].replacingOccurrences(of: "5.1,", with: "5.2,")
        XCTAssertNotEqual(edited, lines)
        try edited.joined(separator: "\n").write(toFile: renamed, atomically: true, encoding: .utf8)
        let changed = try train(renamed, epochs: 4, checkpoints: checkpoints, resume: true)
        XCTAssertEqual(changed.status, 1, changed.standardError)
        XCTAssertTrue(changed.standardError.contains("other data of the same shape (120 training and 30 validation examples, 4 features, 3 classes): "
                                                     + "the contents differ, SHA-256 17e9e19553ed7fa1… there"), changed.standardError)
        XCTAssertEqual(try summary(changed.standardOutput)["status"] as? String, "failed")

        // Fewer rows: the shape differs, and the message says how.
        try lines.dropLast(2).joined(separator: "\n").write(toFile: renamed, atomically: true, encoding: .utf8)
        let shorter = try train(renamed, epochs: 4, checkpoints: checkpoints, resume: true)
        XCTAssertEqual(shorter.status, 1, shorter.standardError)
        XCTAssertTrue(shorter.standardError.contains("it was trained on other data: 120 training and 30 validation examples, 4 features, 3 classes "
                                                     + "there, 119 training and 30 validation examples"), shorter.standardError)
    }

    func testACheckpointWrittenBeforeTheDigestResumesWithOneNote() throws {
        let (csv, checkpoints) = (path("iris.csv"), path("old"))
        try iris.write(toFile: csv, atomically: true, encoding: .utf8)
        XCTAssertEqual(try train(csv, epochs: 2, checkpoints: checkpoints, resume: false).status, 0)
        // Rewrite its description as checkpoints had it: the data named by its file, no digest (and no checksum of the contents).
        let file = checkpoints + "/checkpoint.json"
        var text = CheckpointRewriting.unsealed(try String(contentsOfFile: file, encoding: .utf8))
        let digest = try XCTUnwrap(text.range(of: #","data_sha256":"[0-9a-f]{64}""#, options: .regularExpression))
        text.removeSubrange(digest)
        let shape = "120 training and 30 validation examples, 4 features, 3 classes"
        text = text.replacingOccurrences(of: #""data":"\#(shape)""#, with: #""data":"\#(csv): \#(shape)""#)
        try text.write(toFile: file, atomically: true, encoding: .utf8)

        let resumed = try train(csv, epochs: 3, checkpoints: checkpoints, resume: true)
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        XCTAssertEqual(resumed.standardError.components(separatedBy: "its contents are not verified").count - 1, 1, resumed.standardError)
        // Its next checkpoints carry the digest: resuming again says nothing.
        let again = try train(csv, epochs: 4, checkpoints: checkpoints, resume: true)
        XCTAssertEqual(again.status, 0, again.standardError)
        XCTAssertFalse(again.standardError.contains("not verified"), again.standardError)
        // Under the old rule it is still a name: another file name is another run.
        let other = path("copy.csv")
        try iris.write(toFile: other, atomically: true, encoding: .utf8)
        var legacy = CheckpointRewriting.unsealed(try String(contentsOfFile: file, encoding: .utf8))
        legacy.removeSubrange(try XCTUnwrap(legacy.range(of: #","data_sha256":"[0-9a-f]{64}""#, options: .regularExpression)))
        legacy = legacy.replacingOccurrences(of: #""data":"\#(shape)""#, with: #""data":"\#(csv): \#(shape)""#)
        try legacy.write(toFile: file, atomically: true, encoding: .utf8)
        let renamed = try train(other, epochs: 5, checkpoints: checkpoints, resume: true)
        XCTAssertEqual(renamed.status, 1)
        XCTAssertTrue(renamed.standardError.contains("another run: data is \(csv): \(shape) there"), renamed.standardError)
    }

    func testASecondRunOnACheckpointDirectoryFailsNamingTheFirstAndAKilledRunsLockIsTakenOver() throws {
        let checkpoints = path("shared")
        let lockFile = checkpoints + "/checkpoint.lock"
        let first = Process()
        first.executableURL = CommandLineRunner.executable
        first.arguments = ["train", "--dataset", "iris", "--hidden", "8", "--epochs", "100000", "--checkpoint-dir", checkpoints]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        let holder = "\"pid\":\(first.processIdentifier)"
        let deadline = Date().addingTimeInterval(60)
        while first.isRunning, Date() < deadline, !((try? String(contentsOfFile: lockFile, encoding: .utf8))?.contains(holder) ?? false) {
            usleep(10_000)
        }
        XCTAssertTrue(first.isRunning)

        // Was: both ran, each overwriting the other's checkpoint.
        let second = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--checkpoint-dir", checkpoints, "--json"])
        XCTAssertEqual(second.status, 1, second.standardError)
        XCTAssertTrue(second.standardError.contains("--checkpoint-dir \(checkpoints) is in use by another run (pid \(first.processIdentifier) on "),
                      second.standardError)
        XCTAssertTrue(second.standardError.contains(", started 20"), second.standardError)
        XCTAssertEqual(try summary(second.standardOutput)["status"] as? String, "failed")

        // Killed, the first run leaves its name in the lock file but no lock: the next run takes it over.
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let third = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--checkpoint-dir", checkpoints])
        XCTAssertEqual(third.status, 0, third.standardError)
        XCTAssertTrue(third.standardError.contains("locked by a run that ended without unlocking it (pid \(first.processIdentifier) on "),
                      third.standardError)
        // A run that ends releases the lock and removes its file.
        XCTAssertFalse(FileManager.default.fileExists(atPath: lockFile))
    }

    /// A digit changed in a checkpoint's losses, or in the curves beside it: refused in one line naming the file, the
    /// checkpoint left as it was (was: resumed silently); a checkpoint without a checksum resumes with a note.
    func testADamagedCheckpointOrCurvesFileIsRefusedNamingItAndNotOverwritten() throws {
        let (csv, checkpoints) = (path("iris.csv"), path("run"))
        try iris.write(toFile: csv, atomically: true, encoding: .utf8)
        XCTAssertEqual(try train(csv, epochs: 2, checkpoints: checkpoints, resume: false).status, 0)
        for name in ["checkpoint.json", "curves.json"] {
            let file = checkpoints + "/" + name
            let original = try Data(contentsOf: URL(fileURLWithPath: file))
            var bytes = [UInt8](original)
            // The first digit after "trainingLoss": one more (a 4 becomes a 5): still a number, still valid JSON.
            let key = Array(#""trainingLoss":"#.utf8)
            let start = try XCTUnwrap((0..<(bytes.count - key.count)).first { bytes[$0..<($0 + key.count)].elementsEqual(key) })
            let digit = try XCTUnwrap((start + key.count..<bytes.count).first { (48...56).contains(bytes[$0]) })
            bytes[digit] += 1
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(bytes)))
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let resumed = try train(csv, epochs: 3, checkpoints: checkpoints, resume: true)
            XCTAssertEqual(resumed.status, 1, resumed.standardError)
            XCTAssertEqual(resumed.standardError.split(separator: "\n").count, 1, resumed.standardError)
            XCTAssertTrue(resumed.standardError.contains("\(file) is damaged: its contents do not match the checksum saved with it"),
                          resumed.standardError)
            XCTAssertEqual(try summary(resumed.standardOutput)["status"] as? String, "failed")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), Data(bytes), "nothing was overwritten")
            try original.write(to: URL(fileURLWithPath: file))
        }
        // Without a checksum (an older descent's): resumed, with one note.
        let file = checkpoints + "/checkpoint.json"
        try CheckpointRewriting.unsealed(try String(contentsOfFile: file, encoding: .utf8)).write(toFile: file, atomically: true, encoding: .utf8)
        let older = try train(csv, epochs: 3, checkpoints: checkpoints, resume: true)
        XCTAssertEqual(older.status, 0, older.standardError)
        XCTAssertEqual(older.standardError.components(separatedBy: "records no checksum of its contents").count - 1, 1, older.standardError)
    }
}
