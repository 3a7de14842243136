import DescentTune
import Foundation
import XCTest

/// `descent tune --workers N` when a process dies: a worker killed by SIGKILL has its trial failed by the
/// parent at once, the other worker finishes the study, the summary is printed and the command exits 1
/// naming the worker and the signal; the parent killed by SIGKILL takes its workers with it.
final class TuneWorkerDeathTests: XCTestCase {
    private func temporaryDirectory() -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-tune-death-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    /// The parent with 2 workers; each epoch of each trial sleeps `pause` seconds (a test hook).
    private func startParent(database: String, study: String, trials: Int, pause: Double) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        // A grace period far beyond the test: only the parent's verdict can end a dead worker's trial in time.
        process.arguments = ["tune", "--dataset", "iris", "--hidden", "8", "--epochs", "3", "--search", "lr=loguniform(1e-3,1e-1)",
                             "--trials", "\(trials)", "--sampler", "random", "--pruner", "none", "--workers", "2",
                             "--storage", "sqlite:" + database, "--study", study, "--heartbeat-interval", "0.25",
                             "--grace-period", "600", "--json"]
        process.environment = ProcessInfo.processInfo.environment.merging(["DESCENT_TUNE_EPOCH_PAUSE": "\(pause)"]) { $1 }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return (process, output, error)
    }

    /// The study's trials as stored (nil while the database or study does not exist yet).
    private func storedTrials(_ database: String, study name: String) -> [TrialRecord]? {
        guard FileManager.default.fileExists(atPath: database), let storage = try? SQLiteStudyStorage(path: database),
              let study = try? storage.findStudy(named: name) else { return nil }
        return try? storage.trials(studyID: study.id)
    }

    /// The process id in a worker name `host:pid`.
    private func processIdentifier(_ worker: String) -> Int32? { worker.split(separator: ":").last.flatMap { Int32($0) } }

    /// Whether process `pid` still runs (a zombie waiting for its new parent to reap it does not).
    private func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        #if os(Linux)
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")"),
           let state = stat[stat.index(after: end)...].split(separator: " ").first {
            return state != "Z" && state != "X"
        }
        #endif
        return true
    }

    func testAWorkerKilledBySIGKILLFailsItsTrialAtOnceAndTheOtherFinishesTheStudy() throws {
        let database = temporaryDirectory().appendingPathComponent("kill.sqlite").path
        let (parent, output, error) = try startParent(database: database, study: "kill", trials: 4, pause: 0.5)
        defer { if parent.isRunning { kill(parent.processIdentifier, SIGKILL) } }
        nonisolated(unsafe) var printed = Data(), complaints = Data()
        let readers = DispatchGroup()
        DispatchQueue.global().async(group: readers) { printed = output.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: readers) { complaints = error.fileHandleForReading.readDataToEndOfFile() }

        // Kill a worker in the middle of a trial: it has reported its first of 3 epochs and sleeps after it.
        var victim: TrialRecord?
        let deadline = Date().addingTimeInterval(120)
        while victim == nil, parent.isRunning, Date() < deadline {
            usleep(20_000)
            victim = storedTrials(database, study: "kill")?.first { $0.state == .running && $0.intermediate.count == 1 }
        }
        let trial = try XCTUnwrap(victim, "no trial reached its middle")
        let pid = try XCTUnwrap(processIdentifier(trial.worker))
        XCTAssertEqual(kill(pid, SIGKILL), 0)

        // Was: the other worker waited for the dead one's heartbeat to go stale (here 600 s), then the parent
        // failed with "1 of 2 worker processes failed (exit status 9); their errors are above" and no summary.
        let finished = Date().addingTimeInterval(120)
        while parent.isRunning, Date() < finished { usleep(20_000) }
        XCTAssertFalse(parent.isRunning, "the study did not end without the dead worker")
        if parent.isRunning { kill(parent.processIdentifier, SIGKILL) }
        parent.waitUntilExit()
        readers.wait()
        let standardError = String(decoding: complaints, as: UTF8.self)
        XCTAssertEqual(parent.terminationStatus, 1, standardError)
        XCTAssertTrue(standardError.contains("(pid \(pid)) was killed by SIGKILL; its trial #\(trial.number) is stored as failed"),
                      standardError)
        XCTAssertFalse(standardError.contains("errors are above"), standardError)
        let line = try XCTUnwrap(String(decoding: printed, as: UTF8.self).split(separator: "\n").last)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(summary["status"] as? String, "failed")
        XCTAssertEqual(summary["trials"] as? Int, 4)
        XCTAssertEqual(summary["running"] as? Int, 0)
        XCTAssertEqual(summary["failed"] as? Int, 1)
        XCTAssertNotNil(summary["best"] as? [String: Any], "the summary names the best trial")
        let message = (summary["error"] as? [String: Any])?["message"] as? String
        XCTAssertTrue(message?.contains("SIGKILL") ?? false, "\(summary)")

        let stored = try XCTUnwrap(storedTrials(database, study: "kill"))
        XCTAssertEqual(stored.map(\.number), Array(0..<4))
        let failed = stored.filter { $0.state == .failed }
        XCTAssertEqual(failed.map(\.number), [trial.number])
        XCTAssertEqual(failed.first?.message, "worker process \(pid) was killed by SIGKILL")
    }

    func testWorkersStopWhenTheParentIsKilled() throws {
        let database = temporaryDirectory().appendingPathComponent("orphans.sqlite").path
        // Each epoch sleeps 60 s: a worker that ends within the wait below did not end by finishing its trial.
        let (parent, _, _) = try startParent(database: database, study: "orphans", trials: 4, pause: 60)
        var workers: [Int32] = []
        defer { for pid in workers where isRunning(pid) { kill(pid, SIGKILL) } }
        let deadline = Date().addingTimeInterval(120)
        while workers.count < 2, parent.isRunning, Date() < deadline {
            usleep(20_000)
            let running = storedTrials(database, study: "orphans")?.filter { $0.state == .running } ?? []
            workers = Array(Set(running.compactMap { processIdentifier($0.worker) })).sorted()
        }
        XCTAssertEqual(workers.count, 2, "both workers hold a trial")
        kill(parent.processIdentifier, SIGKILL)
        parent.waitUntilExit()
        // Was: the workers ran on, orphaned, until their trials ended.
        let gone = Date().addingTimeInterval(30)
        while workers.contains(where: isRunning), Date() < gone { usleep(20_000) }
        XCTAssertEqual(workers.filter(isRunning), [], "workers still running after their parent was killed")
        // A worker that could end its trial in time (it normally can) stored it as failed, saying why.
        for trial in storedTrials(database, study: "orphans") ?? [] where trial.state == .failed {
            XCTAssertEqual(trial.message, "interrupted by the end of the parent process")
        }
    }
}
