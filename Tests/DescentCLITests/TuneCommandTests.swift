import Foundation
import DescentTunePostgres
import XCTest

/// `descent tune` and `descent study` end to end, on the bundled iris data with a SQLite study.
final class TuneCommandTests: XCTestCase {
    private func temporaryDirectory() -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-tune-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    private func lastJSON(_ text: String) throws -> [String: Any] {
        let line = try XCTUnwrap(text.split(separator: "\n").last)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    private let common = ["tune", "--dataset", "iris", "--hidden", "8", "--epochs", "4",
                          "--search", "lr=loguniform(1e-3,3e-1); batch_size=choice(16,32); optimizer=choice(adam,sgd)"]

    func testTuneStoresAGapFreeStudyAndShowsExportsAndReportsIt() throws {
        let directory = temporaryDirectory()
        let storage = "sqlite:" + directory.appendingPathComponent("studies.sqlite").path
        let run = try CommandLineRunner.run(common + ["--trials", "12", "--sampler", "tpe", "--pruner", "asha",
                                                      "--storage", storage, "--study", "iris", "--json"])
        XCTAssertEqual(run.status, 0, run.standardError)
        let summary = try lastJSON(run.standardOutput)
        XCTAssertEqual(summary["trials"] as? Int, 12)
        XCTAssertEqual((summary["complete"] as? Int ?? 0) + (summary["pruned"] as? Int ?? 0) + (summary["failed"] as? Int ?? 0), 12)
        let command = try XCTUnwrap(summary["command"] as? String)
        XCTAssertTrue(command.hasPrefix("descent train --dataset iris --hidden 8 --epochs 4 --batch-size "), command)

        // Resuming with a larger total adds trials to the same study.
        let resumed = try CommandLineRunner.run(common + ["--trials", "14", "--pruner", "asha", "--storage", storage, "--study", "iris", "--json"])
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        XCTAssertEqual(try lastJSON(resumed.standardOutput)["trials"] as? Int, 14)
        // Another setup under the same name is refused, and nothing changes.
        let changed = try CommandLineRunner.run(common + ["--trials", "20", "--pruner", "median", "--storage", storage, "--study", "iris"])
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.standardError.contains("was created with another setup"), changed.standardError)

        let show = try CommandLineRunner.run(["study", "show", "--storage", storage, "--study", "iris", "--json"])
        XCTAssertEqual(show.status, 0, show.standardError)
        let study = try lastJSON(show.standardOutput)
        XCTAssertEqual(study["study"] as? String, "iris")
        XCTAssertEqual(study["direction"] as? String, "minimize")
        let trials = try XCTUnwrap(study["trials"] as? [[String: Any]])
        XCTAssertEqual(trials.compactMap { $0["number"] as? Int }, Array(0..<14))
        for trial in trials {
            let params = try XCTUnwrap(trial["params"] as? [String: Any])
            XCTAssertEqual(Set(params.keys), ["learning_rate", "batch_size", "optimizer"])
            let rate = try XCTUnwrap(params["learning_rate"] as? Double)
            XCTAssertTrue(rate >= 1e-3 && rate <= 0.3)
            // A choice of numbers is reported as numbers (issue 23; was the strings "16" and "32").
            XCTAssertTrue([16, 32].contains(params["batch_size"] as? Int ?? 0), "\(params)")
            let intermediate = try XCTUnwrap(trial["intermediate"] as? [Any])
            if trial["state"] as? String == "complete" { XCTAssertEqual(intermediate.count, 4) }
            if trial["state"] as? String == "pruned" { XCTAssertLessThanOrEqual(intermediate.count, 4) }
        }
        let best = try XCTUnwrap(study["best"] as? [String: Any])
        let bestValue = try XCTUnwrap(best["value"] as? Double)
        for trial in trials where trial["state"] as? String == "complete" {
            XCTAssertLessThanOrEqual(bestValue, try XCTUnwrap(trial["value"] as? Double))
        }

        let csv = directory.appendingPathComponent("trials.csv")
        let export = try CommandLineRunner.run(["study", "export", "--storage", storage, "--study", "iris", "--csv", csv.path])
        XCTAssertEqual(export.status, 0, export.standardError)
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 15)
        XCTAssertEqual(lines[0], "number,state,value,params_learning_rate,params_batch_size,params_optimizer,last_step,last_intermediate,message")

        // The study database (or its journal) as the output: refused before anything is written, the study intact.
        let database = directory.appendingPathComponent("studies.sqlite").path
        for (command, flag, path) in [("export", "--csv", directory.appendingPathComponent("./studies.sqlite").path),
                                      ("report", "--out", database + "-wal")] {
            let clobber = try CommandLineRunner.run(["study", command, "--storage", storage, "--study", "iris", flag, path])
            XCTAssertEqual(clobber.status, 2, clobber.standardError)
            XCTAssertTrue(clobber.standardError.contains("is the input --storage file"), clobber.standardError)
        }

        let list = try CommandLineRunner.run(["study", "list", "--storage", storage, "--json"])
        XCTAssertEqual(list.status, 0, list.standardError)
        let studies = try XCTUnwrap(try lastJSON(list.standardOutput)["studies"] as? [[String: Any]])
        XCTAssertEqual(studies.map { $0["study"] as? String }, ["iris"])

        let html = directory.appendingPathComponent("study.html")
        let report = try CommandLineRunner.run(["study", "report", "--storage", storage, "--study", "iris", "--out", html.path])
        XCTAssertEqual(report.status, 0, report.standardError)
        let page = try String(contentsOf: html, encoding: .utf8)
        XCTAssertTrue(page.contains("Optimisation history"))
        XCTAssertTrue(page.contains("Value against learning_rate"))
        XCTAssertTrue(page.contains("log axis, the scale it was searched on"))
        XCTAssertTrue(page.contains("Validation loss per epoch"))
    }

    func testWorkersSplitTheTrials() throws {
        let directory = temporaryDirectory()
        let storage = "sqlite:" + directory.appendingPathComponent("workers.sqlite").path
        let run = try CommandLineRunner.run(common + ["--trials", "8", "--sampler", "random", "--pruner", "none", "--workers", "2",
                                                      "--storage", storage, "--study", "two", "--json"])
        XCTAssertEqual(run.status, 0, run.standardError)
        let summary = try lastJSON(run.standardOutput)
        XCTAssertEqual(summary["trials"] as? Int, 8)
        XCTAssertEqual(summary["running"] as? Int, 0)
        let show = try CommandLineRunner.run(["study", "show", "--storage", storage, "--study", "two", "--json"])
        let trials = try XCTUnwrap(try lastJSON(show.standardOutput)["trials"] as? [[String: Any]])
        XCTAssertEqual(trials.compactMap { $0["number"] as? Int }, Array(0..<8))
    }

    func testSIGTERMToTheParentStopsTheWorkersAndLeavesNoTrialRunning() throws {
        let directory = temporaryDirectory()
        let database = directory.appendingPathComponent("signal.sqlite").path
        let arguments = common + ["--trials", "6", "--sampler", "random", "--pruner", "none", "--workers", "2",
                                  "--storage", "sqlite:" + database, "--study", "signal", "--json"]
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = arguments
        // Each epoch sleeps 0.3 s, so trials are in progress when the signal comes.
        process.environment = ProcessInfo.processInfo.environment.merging(["DESCENT_TUNE_EPOCH_PAUSE": "0.3"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: database) && process.isRunning && Date() < deadline { usleep(10_000) }
        // Wait until the study stores a running trial (not a fixed pause: under load the workers start late).
        func aTrialIsRunning() -> Bool {
            guard let show = try? CommandLineRunner.run(["study", "show", "--storage", "sqlite:" + database, "--study", "signal", "--json"]),
                  let trials = (try? lastJSON(show.standardOutput))?["trials"] as? [[String: Any]] else { return false }
            return trials.contains { $0["state"] as? String == "running" }
        }
        while process.isRunning && !aTrialIsRunning() && Date() < deadline { usleep(100_000) }
        kill(process.processIdentifier, SIGTERM)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let summary = try lastJSON(printed)
        if summary["status"] as? String == "completed" { return }   // it finished before the signal arrived
        XCTAssertEqual(process.terminationStatus, 143)
        XCTAssertEqual(summary["status"] as? String, "interrupted")
        XCTAssertEqual(summary["running"] as? Int, 0, "the trials in progress are stored as failed, not left running")
        XCTAssertGreaterThanOrEqual(summary["failed"] as? Int ?? 0, 1)
        // The same command goes on: 6 trials numbered without gaps, none running.
        let resumed = try CommandLineRunner.run(arguments)
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        let show = try CommandLineRunner.run(["study", "show", "--storage", "sqlite:" + database, "--study", "signal", "--json"])
        let trials = try XCTUnwrap(try lastJSON(show.standardOutput)["trials"] as? [[String: Any]])
        XCTAssertEqual(trials.compactMap { $0["number"] as? Int }, Array(0..<6))
        XCTAssertFalse(trials.contains { $0["state"] as? String == "running" })
    }

    func testAStudyWhoseEveryTrialFailedFailsAndSaysWhy() throws {
        // Was: `--search hidden=choice(1000000000)` ended "completed" with status 0 and "2 failed", the reason
        // (the model needs 596 GiB) said only by `study export`.
        let database = temporaryDirectory().appendingPathComponent("study.sqlite").path
        let run = try CommandLineRunner.run(["tune", "--dataset", "iris", "--epochs", "1", "--trials", "2", "--storage", "sqlite:" + database,
                                             "--search", "hidden=choice(1000000000)", "--json"])
        XCTAssertEqual(run.status, 1, run.standardError)
        XCTAssertTrue(run.standardError.contains("note: trial #0 failed: --hidden 1000000000: a model with layer widths"), run.standardError)
        XCTAssertTrue(run.standardError.contains("error: every trial of the study failed (2); trial #1: --hidden 1000000000"), run.standardError)
        let summary = try lastJSON(run.standardOutput)
        XCTAssertEqual(summary["status"] as? String, "failed")
        XCTAssertEqual(summary["failed"] as? Int, 2)
        let error = try XCTUnwrap(summary["error"] as? [String: Any])
        XCTAssertTrue((error["message"] as? String)?.contains("more memory than") == true, "\(error)")
        // One good trial among failed ones: the study did its work.
        let mixed = try CommandLineRunner.run(["tune", "--dataset", "iris", "--epochs", "1", "--trials", "4", "--sampler", "grid",
                                               "--storage", "sqlite:" + database + "2", "--search", "hidden=choice(1000000000,3)"])
        XCTAssertEqual(mixed.status, 0, mixed.standardError)
    }

    func testMalformedSearchIsAUsageErrorPointingAtTheColumn() throws {
        let cases: [(String, String, Int)] = [
            ("lr=lognormal(1,2)", "unknown distribution", 4),
            ("lr=uniform(2,1)", "above high", 12),
            ("lr=loguniform(0,1)", "log bounds must be > 0", 15),
            ("lr=uniform(0.1,1); colour=choice(red)", "unknown parameter 'colour'", 20),
            ("optimizer=choice(adam,lbfgs)", "optimizer 'lbfgs' is unknown", 1),
        ]
        for (search, message, column) in cases {
            let run = try CommandLineRunner.run(["tune", "--dataset", "iris", "--search", search, "--storage", "memory"])
            XCTAssertEqual(run.status, 2, search)
            XCTAssertTrue(run.standardError.contains(message), run.standardError)
            let lines = run.standardError.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let caret = try XCTUnwrap(lines.first { $0.trimmingCharacters(in: .whitespaces) == "^" }, run.standardError)
            // "  " + text is printed above; the caret sits under the column.
            XCTAssertEqual(caret.count - 2, column, "\(search): \(run.standardError)")
        }
    }

    func testUnreachableStorageIsARuntimeErrorThatHidesThePassword() throws {
        let run = try CommandLineRunner.run(common + ["--trials", "1", "--storage", "postgres://descent:Hidden-Secret@127.0.0.1:1/none"])
        #if PostgreSQL
        XCTAssertEqual(run.status, 1)
        #else
        // A build without the trait refuses the URL before any work and says how to get PostgreSQL.
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.standardError.contains("--traits PostgreSQL"), run.standardError)
        #endif
        XCTAssertTrue(run.standardError.contains("postgres://descent:***@127.0.0.1:1/none"), run.standardError)
        XCTAssertFalse((run.standardOutput + run.standardError).contains("Hidden-Secret"))
        let bad = try CommandLineRunner.run(common + ["--storage", "mysql://x"])
        XCTAssertEqual(bad.status, 2)
        let missing = try CommandLineRunner.run(["study", "show", "--storage", "sqlite:/nonexistent/s.sqlite", "--study", "x"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.standardError.contains("no study database"), missing.standardError)
    }

    func testGridPointsCutTheRangesAndAreRangeChecked() throws {
        let directory = temporaryDirectory()
        let storage = "sqlite:" + directory.appendingPathComponent("grid.sqlite").path
        // loguniform(1e-3,1e-1) at 3 points is {1e-3, 1e-2, 1e-1}; with choice(adam,sgd) the grid has 6 points,
        // and 6 trials visit each once.
        let run = try CommandLineRunner.run(["tune", "--dataset", "iris", "--hidden", "4", "--epochs", "1",
                                             "--search", "lr=loguniform(1e-3,1e-1); optimizer=choice(adam,sgd)",
                                             "--sampler", "grid", "--grid-points", "3", "--pruner", "none", "--trials", "6",
                                             "--storage", storage, "--study", "grid", "--json"])
        XCTAssertEqual(run.status, 0, run.standardError)
        let show = try CommandLineRunner.run(["study", "show", "--storage", storage, "--study", "grid", "--json"])
        let trials = try XCTUnwrap(try lastJSON(show.standardOutput)["trials"] as? [[String: Any]])
        let points = Set(trials.compactMap { trial -> String? in
            guard let parameters = trial["params"] as? [String: Any], let rate = parameters["learning_rate"] as? Double else { return nil }
            return String(format: "%.0e ", rate) + "\(parameters["optimizer"] ?? "")"
        })
        XCTAssertEqual(points, ["1e-03 adam", "1e-02 adam", "1e-01 adam", "1e-03 sgd", "1e-02 sgd", "1e-01 sgd"])
        let cases: [([String], String)] = [
            (["--sampler", "grid", "--grid-points", "1"], "--grid-points must be in 2…1000, got 1"),
            (["--sampler", "grid", "--grid-points", "1001"], "--grid-points must be in 2…1000, got 1001"),
            (["--sampler", "tpe", "--grid-points", "3"], "--grid-points goes with --sampler grid"),
            (["--sampler", "grid", "--grid-points", "1000", "--search", "lr=loguniform(1e-3,1); wd=uniform(0,1); momentum=uniform(0,0.9)"],
             "makes a grid of 1000000000 points, more than 1000000"),
        ]
        for (flags, message) in cases {
            var arguments = ["tune", "--dataset", "iris", "--search", "lr=loguniform(1e-3,1)", "--storage", "memory"]
            arguments += flags
            let bad = try CommandLineRunner.run(arguments)
            XCTAssertEqual(bad.status, 2, flags.joined(separator: " "))
            XCTAssertTrue(bad.standardError.contains(message), bad.standardError)
        }
    }

    func testUnknownSSLModeIsAUsageErrorNamingIt() throws {
        guard PostgresStorageText.isAvailable else {
            throw XCTSkip("built without the PostgreSQL trait (swift test --traits PostgreSQL)")
        }
        let run = try CommandLineRunner.run(common + ["--storage", "postgres://descent:Hidden-Secret@127.0.0.1:1/none?sslmode=verify-some"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.standardError.contains("sslmode=verify-some is not a PostgreSQL sslmode"), run.standardError)
        XCTAssertTrue(run.standardError.contains("disable, allow, prefer, require, verify-ca, verify-full"), run.standardError)
        XCTAssertFalse(run.standardError.contains("Hidden-Secret"))
        let missing = try CommandLineRunner.run(common + ["--storage", "postgres://descent@127.0.0.1:1/none?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.standardError.contains("sslrootcert=/nonexistent/ca.pem: cannot read the file"), missing.standardError)
    }
}
