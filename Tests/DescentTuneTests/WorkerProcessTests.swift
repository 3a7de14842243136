import DescentTune
import DescentTunePostgres
import Foundation
import XCTest

/// Real worker processes (the built `descent` executable) sharing one study: four at once, one
/// killed with SIGKILL in the middle of a trial. Afterwards the study must hold exactly the asked
/// number of trials, numbered without gaps, the killed one failed (after the grace period) and
/// every other one finished — nothing lost, nothing run twice, nothing left running.
final class WorkerProcessTests: XCTestCase {
    static var executable: URL {
        #if os(macOS)
        let directory = Bundle(for: WorkerProcessTests.self).bundleURL.deletingLastPathComponent()
        #else
        let directory = Bundle.main.bundleURL
        #endif
        return directory.appendingPathComponent("descent")
    }

    private func temporaryPath(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-tune-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory.appendingPathComponent(name).path
    }

    private func worker(_ storage: String, study: String, trials: Int, pause: Double? = nil) throws -> Process {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["tune", "--dataset", "iris", "--hidden", "8", "--epochs", "3", "--search", "lr=loguniform(1e-3,1e-1)",
                             "--trials", "\(trials)", "--sampler", "tpe", "--pruner", "median", "--storage", storage, "--study", study,
                             "--heartbeat-interval", "0.25", "--grace-period", "3", "--worker"]
        var environment = ProcessInfo.processInfo.environment
        if let pause { environment["DESCENT_TUNE_EPOCH_PAUSE"] = "\(pause)" }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func killOneOfFour(storageText: String, open: () throws -> any StudyStorage, study name: String) throws {
        let trials = 10
        // The victim sleeps after each epoch, so it is surely mid-trial when killed.
        // It starts first and the others join once it holds a trial, so it surely gets one.
        let victim = try worker(storageText, study: name, trials: trials, pause: 30)
        var others: [Process] = []
        defer { (others + [victim]).filter(\.isRunning).forEach { kill($0.processIdentifier, SIGKILL) } }
        let suffix = ":\(victim.processIdentifier)"
        let deadline = Date().addingTimeInterval(60)
        var victimTrial: Int?
        while victimTrial == nil, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            guard let study = try? open().findStudy(named: name), let stored = try? open().trials(studyID: study.id) else { continue }
            if others.isEmpty, stored.contains(where: { $0.worker.hasSuffix(suffix) }) {
                others = try (0..<3).map { _ in try worker(storageText, study: name, trials: trials) }
            }
            victimTrial = stored.first { $0.worker.hasSuffix(suffix) && $0.state == .running && !$0.intermediate.isEmpty }?.number
        }
        // Let the others work alongside the paused victim for a moment, then kill it mid-trial.
        Thread.sleep(forTimeInterval: 0.3)
        let killedNumber = try XCTUnwrap(victimTrial, "the victim never reached the middle of a trial")
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        for process in others { process.waitUntilExit() }
        XCTAssertEqual(others.map(\.terminationStatus), [0, 0, 0])

        let storage = try open()
        let study = try XCTUnwrap(try storage.findStudy(named: name))
        let stored = try storage.trials(studyID: study.id)
        XCTAssertEqual(stored.map(\.number), Array(0..<trials), "gap-free numbers, none twice")
        XCTAssertFalse(stored.contains { $0.state == .running })
        let failed = stored.filter { $0.state == .failed }
        XCTAssertEqual(failed.map(\.number), [killedNumber])
        XCTAssertTrue(failed.first?.message?.contains("no heartbeat") ?? false, failed.first?.message ?? "")
        XCTAssertEqual(stored.filter { $0.state == .complete || $0.state == .pruned }.count, trials - 1)
        for trial in stored where trial.state != .failed { XCTAssertFalse(trial.worker.hasSuffix(suffix)) }
        XCTAssertEqual(stored.filter { $0.worker.hasSuffix(suffix) }.count, 1, "the victim held exactly one trial")
    }

    func testFourSQLiteWorkersOneKilledMidTrial() throws {
        let path = temporaryPath("kill.sqlite")
        try killOneOfFour(storageText: "sqlite:\(path)", open: { try SQLiteStudyStorage(path: path) }, study: "kill")
    }

    func testFourPostgresWorkersOneKilledMidTrial() throws {
        guard let url = ProcessInfo.processInfo.environment["DESCENT_TEST_POSTGRES_URL"], !url.isEmpty else {
            print("PostgreSQL tests skipped: DESCENT_TEST_POSTGRES_URL is not set (scripts/ci_postgres.sh starts a server and prints it)")
            throw XCTSkip("PostgreSQL tests skipped: DESCENT_TEST_POSTGRES_URL is not set")
        }
        #if PostgreSQL
        let storage = try PostgresStudyStorage(url: url)
        try killOneOfFour(storageText: url, open: { storage }, study: "kill-\(UUID().uuidString.prefix(8))")
        #else
        _ = url
        throw XCTSkip("PostgreSQL tests skipped: built without the PostgreSQL trait (swift test --traits PostgreSQL)")
        #endif
    }
}
