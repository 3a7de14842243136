import Foundation
import GRDB

/// Studies in one SQLite file (through GRDB.swift), shared by any number of worker processes on
/// this machine. The file uses write-ahead logging so readers do not wait for writers; every change
/// is one `BEGIN IMMEDIATE` transaction, so two workers never claim the same trial number, and a
/// busy database is waited for (up to 60 s) rather than failed. Times are this machine's clock.
///
/// ```swift
/// let storage = try SQLiteStudyStorage(path: "descent-studies.sqlite")
/// let study = try storage.openStudy(name: "digits", direction: .minimize, configuration: "…")
/// try storage.claimTrial(studyID: study.id, limit: 50, worker: "host:42", staleAfter: 60)   // .claimed(id: 1, number: 0)
/// ```
public final class SQLiteStudyStorage: StudyStorage, @unchecked Sendable {
    private let queue: DatabaseQueue
    /// The file, as given.
    public let path: String

    public init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw StudyStorageError("--storage sqlite:\(path) is a directory; give a file such as \(path)/studies.sqlite")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.prepareDatabase { db in
            // WAL: readers never block the writer; NORMAL sync is durable across process crashes.
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.inTransaction(.immediate) { db in
                try Self.prepareSchema(db, location: "'\(path)'")
                return .commit
            }
        } catch let error as StudyStorageError {
            throw error
        } catch {
            throw StudyStorageError("cannot open the study database '\(path)': \(Self.describe(error))")
        }
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }

    /// Creates the tables in an empty database; refuses one of another version.
    static func prepareSchema(_ db: Database, location: String) throws {
        if try db.tableExists("descent_schema") {
            let found = try String.fetchOne(db, sql: "SELECT value FROM descent_schema WHERE key = 'version'") ?? "unknown"
            guard found == String(studySchemaVersion) else {
                throw StudyStorageError(schemaMismatchMessage(found: found, location: location))
            }
            return
        }
        try db.execute(sql: """
            CREATE TABLE descent_schema (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO descent_schema VALUES ('version', '\(studySchemaVersion)');
            CREATE TABLE descent_studies (
                id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, direction TEXT NOT NULL,
                configuration TEXT NOT NULL, created REAL NOT NULL);
            CREATE TABLE descent_trials (
                id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL REFERENCES descent_studies(id),
                number INTEGER NOT NULL, state TEXT NOT NULL, value REAL, parameters TEXT NOT NULL DEFAULT '{}',
                worker TEXT NOT NULL, started REAL NOT NULL, heartbeat REAL NOT NULL, finished REAL, message TEXT,
                UNIQUE (study_id, number));
            CREATE TABLE descent_intermediate (
                trial_id INTEGER NOT NULL REFERENCES descent_trials(id), step INTEGER NOT NULL, value REAL,
                PRIMARY KEY (trial_id, step));
            """)
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        var result: T?
        do {
            try queue.inTransaction(.immediate) { db in
                result = try body(db)
                return .commit
            }
        } catch let error as StudyStorageError {
            throw error
        } catch {
            throw StudyStorageError("the study database '\(path)': \(Self.describe(error))")
        }
        return result!
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read(body)
        } catch {
            throw StudyStorageError("the study database '\(path)': \(Self.describe(error))")
        }
    }

    private static func study(_ row: Row) -> StudyRecord {
        StudyRecord(id: row["id"], name: row["name"], direction: StudyDirection(rawValue: row["direction"]) ?? .minimize,
                    configuration: row["configuration"])
    }

    public func openStudy(name: String, direction: StudyDirection, configuration: String) throws -> StudyRecord {
        try write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM descent_studies WHERE name = ?", arguments: [name]) {
                return Self.study(row)
            }
            try db.execute(sql: "INSERT INTO descent_studies (name, direction, configuration, created) VALUES (?, ?, ?, ?)",
                           arguments: [name, direction.rawValue, configuration, Date().timeIntervalSince1970])
            return StudyRecord(id: db.lastInsertedRowID, name: name, direction: direction, configuration: configuration)
        }
    }

    public func findStudy(named name: String) throws -> StudyRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM descent_studies WHERE name = ?", arguments: [name]).map(Self.study)
        }
    }

    public func allStudies() throws -> [StudyRecord] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM descent_studies ORDER BY name").map(Self.study) }
    }

    public func claimTrial(studyID: Int64, limit: Int, worker: String, staleAfter: Double) throws -> TrialClaim {
        try write { db in
            let now = Date().timeIntervalSince1970
            try db.execute(sql: """
                UPDATE descent_trials SET state = 'failed', finished = ?, message = ?
                WHERE study_id = ? AND state = 'running' AND heartbeat < ?
                """, arguments: [now, staleMessage(staleAfter), studyID, now - staleAfter])
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM descent_trials WHERE study_id = ?", arguments: [studyID]) ?? 0
            guard count < limit else {
                let running = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM descent_trials WHERE study_id = ? AND state = 'running'",
                                               arguments: [studyID]) ?? 0
                return running > 0 ? .wait : .done
            }
            try db.execute(sql: """
                INSERT INTO descent_trials (study_id, number, state, worker, started, heartbeat)
                VALUES (?, ?, 'running', ?, ?, ?)
                """, arguments: [studyID, count, worker, now, now])
            return .claimed(id: db.lastInsertedRowID, number: count)
        }
    }

    public func setParameters(trialID: Int64, parameters: [String: ParameterValue]) throws {
        try write { db in
            try db.execute(sql: "UPDATE descent_trials SET parameters = ? WHERE id = ?",
                           arguments: [ParameterCoding.encode(parameters), trialID])
        }
    }

    public func heartbeat(trialID: Int64) throws {
        try write { db in
            try db.execute(sql: "UPDATE descent_trials SET heartbeat = ? WHERE id = ? AND state = 'running'",
                           arguments: [Date().timeIntervalSince1970, trialID])
        }
    }

    public func reportIntermediate(trialID: Int64, step: Int, value: Double) throws {
        try write { db in
            // SQLite stores NaN as NULL; it reads back as NaN.
            try db.execute(sql: "INSERT OR REPLACE INTO descent_intermediate (trial_id, step, value) VALUES (?, ?, ?)",
                           arguments: [trialID, step, value.isNaN ? nil : value])
            try db.execute(sql: "UPDATE descent_trials SET heartbeat = ? WHERE id = ? AND state = 'running'",
                           arguments: [Date().timeIntervalSince1970, trialID])
        }
    }

    public func finishTrial(trialID: Int64, state: TrialState, value: Double?, message: String?) throws -> Bool {
        try write { db in
            try db.execute(sql: """
                UPDATE descent_trials SET state = ?, value = ?, message = ?, finished = ?
                WHERE id = ? AND state = 'running'
                """, arguments: [state.rawValue, value.flatMap { $0.isNaN ? nil : $0 }, message, Date().timeIntervalSince1970, trialID])
            return db.changesCount > 0
        }
    }

    public func trials(studyID: Int64) throws -> [TrialRecord] {
        try read { db in
            var intermediate: [Int64: [Int: Double]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT i.trial_id, i.step, i.value FROM descent_intermediate i
                JOIN descent_trials t ON t.id = i.trial_id WHERE t.study_id = ?
                """, arguments: [studyID]) {
                let value: Double? = row["value"]
                intermediate[row["trial_id"], default: [:]][row["step"]] = value ?? .nan
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM descent_trials WHERE study_id = ? ORDER BY number", arguments: [studyID]).map { row in
                let id: Int64 = row["id"]
                return TrialRecord(id: id, number: row["number"], state: TrialState(rawValue: row["state"]) ?? .failed,
                                   value: row["value"], parameters: ParameterCoding.decode(row["parameters"]),
                                   intermediate: intermediate[id] ?? [:], worker: row["worker"], started: row["started"],
                                   finished: row["finished"], message: row["message"])
            }
        }
    }
}
