import Foundation

/// Studies in one SQLite file (through SQLite's C API, `SQLiteConnection`), shared by any number of worker processes on
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
    private let connection: SQLiteConnection
    /// The file, as given.
    public let path: String

    public init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw StudyStorageError("--storage sqlite:\(path) is a directory; give a file such as \(path)/studies.sqlite")
        }
        // As every output: a regular file (through links) or a new path. SQLite would open /dev/null and
        // then create /dev/null-journal and /dev/null-wal beside it.
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            let what = status.st_mode & S_IFMT == S_IFCHR ? "a device" : status.st_mode & S_IFMT == S_IFIFO ? "a FIFO" : "not a regular file"
            throw StudyStorageError("--storage sqlite:\(path) is \(what); a study database is a regular file or a new path, "
                + "e.g. sqlite:studies.sqlite")
        }
        do {
            connection = try SQLiteConnection(path: path, busyTimeout: 60)
            // WAL: readers never block the writer; NORMAL sync is durable across process crashes; the
            // REFERENCES clauses are checked (as GRDB did by default).
            try connection.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
            try connection.transaction(.immediate) { db in try Self.prepareSchema(db, location: "'\(path)'") }
        } catch let error as StudyStorageError {
            throw error
        } catch {
            throw StudyStorageError("cannot open the study database '\(path)': \(Self.describe(error))")
        }
    }

    static func describe(_ error: Error) -> String { "\(error)" }

    /// Creates the tables in an empty database; refuses one of another version.
    static func prepareSchema(_ db: SQLiteConnection, location: String) throws {
        if try !db.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'descent_schema'").isEmpty {
            let row = try db.rows("SELECT value FROM descent_schema WHERE key = 'version'").first
            let found: String
            switch row?["value"] {
            case let .text(text)?: found = text
            case let .integer(number)?: found = String(number)
            default: found = "unknown"
            }
            guard found == String(studySchemaVersion) else {
                throw StudyStorageError(schemaMismatchMessage(found: found, location: location))
            }
            return
        }
        try db.execute("""
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

    private func write<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        do {
            return try connection.transaction(.immediate, body)
        } catch let error as StudyStorageError {
            throw error
        } catch {
            throw StudyStorageError("the study database '\(path)': \(Self.describe(error))")
        }
    }

    private func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        do {
            return try connection.transaction(.deferred, body)
        } catch let error as StudyStorageError {
            throw error
        } catch {
            throw StudyStorageError("the study database '\(path)': \(Self.describe(error))")
        }
    }

    /// A value of a row, or a `StudyStorageError` naming the table, the row and the column when the
    /// database holds something else there (text where a number belongs, a NULL where one must be):
    /// a database changed by hand or by another program is refused in words, never trapped on.
    static func column<Value: SQLiteColumnValue>(_ row: SQLiteRow, _ name: String, table: String) throws -> Value {
        let found = row[name] ?? .null
        if let value = Value(column: found) { return value }
        var id = ""
        if case let .integer(number)? = row["id"] { id = " \(number)" }
        let shown: String
        switch found {
        case .null: shown = "NULL"
        case let .text(text): shown = "the text \"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
        case let .integer(number): shown = "the integer \(number)"
        case let .real(number): shown = "the number \(number)"
        case .blob: shown = "a blob"
        }
        throw StudyStorageError("the study database's \(table) row\(id) has \(shown) in the column \(name), "
            + "where \(Self.expected(Value.self)) belongs; was it changed by another program?")
    }

    /// `SELECT COUNT(*) AS n …` with one integer bound.
    private static func count(_ db: SQLiteConnection, _ sql: String, _ argument: Int64) throws -> Int {
        guard case let .integer(number)? = try db.rows(sql, [.integer(argument)]).first?["n"] else { return 0 }
        return Int(number)
    }

    private static func expected<Value>(_ type: Value.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int?.Type, is Int64?.Type: return "an integer"
        case is Double.Type, is Double?.Type: return "a number"
        default: return "text"
        }
    }

    private static func study(_ row: SQLiteRow) throws -> StudyRecord {
        let direction: String = try column(row, "direction", table: "descent_studies")
        guard let known = StudyDirection(rawValue: direction) else {
            throw StudyStorageError("the study database's descent_studies row has the direction '\(direction.prefix(40))'; "
                + "it must be minimize or maximize")
        }
        return StudyRecord(id: try column(row, "id", table: "descent_studies"), name: try column(row, "name", table: "descent_studies"),
                           direction: known, configuration: try column(row, "configuration", table: "descent_studies"))
    }

    public func openStudy(name: String, direction: StudyDirection, configuration: String) throws -> StudyRecord {
        try write { db in
            if let row = try db.rows("SELECT * FROM descent_studies WHERE name = ?", [.text(name)]).first {
                return try Self.study(row)
            }
            try db.run("INSERT INTO descent_studies (name, direction, configuration, created) VALUES (?, ?, ?, ?)",
                       [.text(name), .text(direction.rawValue), .text(configuration), .real(Date().timeIntervalSince1970)])
            return StudyRecord(id: db.lastInsertedRowID, name: name, direction: direction, configuration: configuration)
        }
    }

    public func findStudy(named name: String) throws -> StudyRecord? {
        try read { db in
            try db.rows("SELECT * FROM descent_studies WHERE name = ?", [.text(name)]).first.map { try Self.study($0) }
        }
    }

    public func allStudies() throws -> [StudyRecord] {
        try read { db in try db.rows("SELECT * FROM descent_studies ORDER BY name").map { try Self.study($0) } }
    }

    public func claimTrial(studyID: Int64, limit: Int, worker: String, staleAfter: Double) throws -> TrialClaim {
        try write { db in
            let now = Date().timeIntervalSince1970
            try db.run("""
                UPDATE descent_trials SET state = 'failed', finished = ?, message = ?
                WHERE study_id = ? AND state = 'running' AND heartbeat < ?
                """, [.real(now), .text(staleMessage(staleAfter)), .integer(studyID), .real(now - staleAfter)])
            let count = try Self.count(db, "SELECT COUNT(*) AS n FROM descent_trials WHERE study_id = ?", studyID)
            guard count < limit else {
                let running = try Self.count(db, "SELECT COUNT(*) AS n FROM descent_trials WHERE study_id = ? AND state = 'running'", studyID)
                return running > 0 ? .wait : .done
            }
            try db.run("""
                INSERT INTO descent_trials (study_id, number, state, worker, started, heartbeat)
                VALUES (?, ?, 'running', ?, ?, ?)
                """, [.integer(studyID), .integer(Int64(count)), .text(worker), .real(now), .real(now)])
            return .claimed(id: db.lastInsertedRowID, number: count)
        }
    }

    public func setParameters(trialID: Int64, parameters: [String: ParameterValue]) throws {
        try write { db in
            try db.run("UPDATE descent_trials SET parameters = ? WHERE id = ?", [.text(ParameterCoding.encode(parameters)), .integer(trialID)])
        }
    }

    public func heartbeat(trialID: Int64) throws {
        try write { db in
            try db.run("UPDATE descent_trials SET heartbeat = ? WHERE id = ? AND state = 'running'",
                       [.real(Date().timeIntervalSince1970), .integer(trialID)])
        }
    }

    public func reportIntermediate(trialID: Int64, step: Int, value: Double) throws {
        try write { db in
            // SQLite stores NaN as NULL; it reads back as NaN.
            try db.run("INSERT OR REPLACE INTO descent_intermediate (trial_id, step, value) VALUES (?, ?, ?)",
                       [.integer(trialID), .integer(Int64(step)), value.isNaN ? .null : .real(value)])
            try db.run("UPDATE descent_trials SET heartbeat = ? WHERE id = ? AND state = 'running'",
                       [.real(Date().timeIntervalSince1970), .integer(trialID)])
        }
    }

    public func finishTrial(trialID: Int64, state: TrialState, value: Double?, message: String?) throws -> Bool {
        try write { db in
            try db.run("""
                UPDATE descent_trials SET state = ?, value = ?, message = ?, finished = ?
                WHERE id = ? AND state = 'running'
                """, [.text(state.rawValue), value.flatMap { $0.isNaN ? nil : SQLiteValue.real($0) } ?? .null,
                      message.map(SQLiteValue.text) ?? .null, .real(Date().timeIntervalSince1970), .integer(trialID)])
            return db.changes > 0
        }
    }

    public func trials(studyID: Int64) throws -> [TrialRecord] {
        try read { db in
            var intermediate: [Int64: [Int: Double]] = [:]
            for row in try db.rows("""
                SELECT i.trial_id, i.step, i.value FROM descent_intermediate i
                JOIN descent_trials t ON t.id = i.trial_id WHERE t.study_id = ?
                """, [.integer(studyID)]) {
                let table = "descent_intermediate"
                let value: Double? = try Self.column(row, "value", table: table)
                let trial: Int64 = try Self.column(row, "trial_id", table: table), step: Int = try Self.column(row, "step", table: table)
                intermediate[trial, default: [:]][step] = value ?? .nan
            }
            return try db.rows("SELECT * FROM descent_trials WHERE study_id = ? ORDER BY number", [.integer(studyID)]).map { row in
                let table = "descent_trials"
                let id: Int64 = try Self.column(row, "id", table: table)
                let state: String = try Self.column(row, "state", table: table)
                let parameters: String = try Self.column(row, "parameters", table: table)
                return TrialRecord(id: id, number: try Self.column(row, "number", table: table), state: TrialState(rawValue: state) ?? .failed,
                                   value: try Self.column(row, "value", table: table), parameters: ParameterCoding.decode(parameters),
                                   intermediate: intermediate[id] ?? [:], worker: try Self.column(row, "worker", table: table),
                                   started: try Self.column(row, "started", table: table),
                                   finished: try Self.column(row, "finished", table: table), message: try Self.column(row, "message", table: table))
            }
        }
    }
}

/// A Swift type that a column of a study row is read as; nil when the stored value is not one
/// (the caller then names the table, row and column).
protocol SQLiteColumnValue {
    init?(column: SQLiteValue)
}

extension Int64: SQLiteColumnValue {
    init?(column: SQLiteValue) {
        switch column {
        case let .integer(number): self = number
        case let .real(number): guard let exact = Int64(exactly: number) else { return nil }; self = exact
        default: return nil
        }
    }
}

extension Int: SQLiteColumnValue {
    init?(column: SQLiteValue) {
        guard let number = Int64(column: column), let fitting = Int(exactly: number) else { return nil }
        self = fitting
    }
}

extension Double: SQLiteColumnValue {
    init?(column: SQLiteValue) {
        switch column {
        case let .integer(number): self = Double(number)
        case let .real(number): self = number
        default: return nil
        }
    }
}

extension String: SQLiteColumnValue {
    init?(column: SQLiteValue) {
        guard case let .text(text) = column else { return nil }
        self = text
    }
}

/// NULL is nil; anything else must be a `Wrapped`.
extension Optional: SQLiteColumnValue where Wrapped: SQLiteColumnValue {
    init?(column: SQLiteValue) {
        if case .null = column {
            self = nil
            return
        }
        guard let value = Wrapped(column: column) else { return nil }
        self = value
    }
}
