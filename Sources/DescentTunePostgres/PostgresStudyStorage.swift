#if PostgreSQL
import DescentTune
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Studies in a PostgreSQL database (through postgres-nio), shared by workers on any number of
/// machines. Every change is one transaction; a claim first locks the study's row
/// (`SELECT … FOR UPDATE`), so concurrent claims queue and trial numbers stay gap-free. Times are
/// the server's clock, so machines need not agree on theirs. The password is used to log in and
/// never appears in a message (`redactedURL`).
///
/// ```swift
/// let storage = try PostgresStudyStorage(url: "postgres://descent:secret@db.example:5432/studies")
/// storage.redactedURL   // "postgres://descent:***@db.example:5432/studies"
/// ```
public final class PostgresStudyStorage: StudyStorage, @unchecked Sendable {
    private let connection: PostgresConnection
    private let lock = NSLock()
    private let logger = Logger(label: "descent.tune.postgres")
    private let password: String?
    /// The URL with the password replaced by `***`.
    public let redactedURL: String

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database[?sslmode=MODE&sslrootcert=FILE]`,
    /// or `postgresql://`; `PostgresTLSMode` says what each sslmode does), creating the tables in an
    /// empty database and refusing one of another schema version.
    public init(url: String) throws {
        let parsed = try Self.parse(url)
        password = parsed.configuration.password
        redactedURL = parsed.redacted
        var configuration = parsed.configuration
        configuration.options.connectTimeout = .seconds(10)
        do {
            connection = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                                                        id: 1, logger: logger).wait()
        } catch let error as PSQLError where error.code == .sslUnsupported {
            throw StudyStorageError("cannot connect to the study database \(parsed.redacted): the server does not accept TLS connections, "
                + "and sslmode=\(parsed.tlsMode.rawValue) allows no other; turn on ssl in the server's postgresql.conf, "
                + "or use sslmode=prefer or sslmode=disable on a trusted network")
        } catch {
            let text = Self.describe(error, hiding: password)
            if parsed.tlsMode.verifiesCertificate, text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("failedToValidateHostname") {
                throw StudyStorageError("cannot connect to the study database \(parsed.redacted): the server's certificate did not pass "
                    + "sslmode=\(parsed.tlsMode.rawValue)'s check (" + (parsed.tlsMode == .verifyFull ? "signed by a trusted root and naming the host"
                    : "signed by a trusted root") + "; the roots: sslrootcert, else ~/.postgresql/root.crt, else the system's): \(text)")
            }
            throw StudyStorageError("cannot connect to the study database \(parsed.redacted): \(text)")
        }
        try transaction { run in
            // One worker creates the schema; the others wait for this lock and then find it.
            _ = try run("SELECT pg_advisory_xact_lock(7356021)")
            let exists = try run("SELECT to_regclass('descent_schema') IS NOT NULL").first?.decode(Bool.self) ?? false
            if exists {
                let found = try run("SELECT value FROM descent_schema WHERE key = 'version'").first?.decode(String.self) ?? "unknown"
                guard found == String(studySchemaVersion) else {
                    throw StudyStorageError(Self.schemaMessage(found: found, location: parsed.redacted))
                }
                return
            }
            for statement in [
                "CREATE TABLE descent_schema (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                "INSERT INTO descent_schema VALUES ('version', '\(studySchemaVersion)')",
                """
                CREATE TABLE descent_studies (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, direction TEXT NOT NULL,
                    configuration TEXT NOT NULL, created DOUBLE PRECISION NOT NULL)
                """,
                """
                CREATE TABLE descent_trials (id BIGSERIAL PRIMARY KEY, study_id BIGINT NOT NULL REFERENCES descent_studies(id),
                    number INTEGER NOT NULL, state TEXT NOT NULL, value DOUBLE PRECISION, parameters TEXT NOT NULL DEFAULT '{}',
                    worker TEXT NOT NULL, started DOUBLE PRECISION NOT NULL, heartbeat DOUBLE PRECISION NOT NULL,
                    finished DOUBLE PRECISION, message TEXT, UNIQUE (study_id, number))
                """,
                """
                CREATE TABLE descent_intermediate (trial_id BIGINT NOT NULL REFERENCES descent_trials(id), step INTEGER NOT NULL,
                    value DOUBLE PRECISION, PRIMARY KEY (trial_id, step))
                """,
            ] { _ = try run(PostgresQuery(unsafeSQL: statement)) }
        }
    }

    deinit { try? connection.close().wait() }

    static func schemaMessage(found: String, location: String) -> String {
        "the study database \(location) has schema version \(found), but this descent reads version \(studySchemaVersion); "
            + "use the descent that wrote it, or a new --storage (nothing was changed)"
    }

    /// `postgres://user:password@host:port/database?sslmode=…` → a connection configuration, the URL
    /// without its password and the sslmode (libpq's default `prefer` when the URL has none).
    public static func parse(_ url: String) throws -> (configuration: PostgresConnection.Configuration, redacted: String,
                                                       tlsMode: PostgresTLSMode) {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
              scheme == "postgres" || scheme == "postgresql" else {
            throw StudyStorageError("--storage: '\(redact(url))' is not a postgres://user:password@host:port/database URL")
        }
        let user = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let password = components.password.flatMap { $0.removingPercentEncoding }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw StudyStorageError("--storage: port \(port) is not in 1…65535") }
        var database = components.path
        if database.hasPrefix("/") { database.removeFirst() }
        let query = components.queryItems ?? []
        let tlsMode = try query.last(where: { $0.name == "sslmode" }).map { try PostgresTLSMode(name: $0.value ?? "") } ?? .defaultMode
        let rootCertificate = query.last(where: { $0.name == "sslrootcert" })?.value
        let configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password,
                                                             database: database.isEmpty ? nil : database,
                                                             tls: try tlsMode.connectionTLS(rootCertificate: rootCertificate))
        return (configuration, redact(url), tlsMode)
    }

    /// The URL with any password replaced by `***`.
    public static func redact(_ url: String) -> String { PostgresStorageText.redact(url) }

    static func describe(_ error: Error, hiding password: String?) -> String {
        var text: String
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                text = message
                if let code = error.serverInfo?[.sqlState] { text += " (SQLSTATE \(code))" }
            } else {
                text = "\(error.code)"
                if let underlying = error.underlying { text += ": \(underlying)" }
            }
        } else if let error = error as? StudyStorageError {
            text = error.description
        } else {
            text = "\(error)"
        }
        if let password, !password.isEmpty { text = text.replacingOccurrences(of: password, with: "***") }
        return text
    }

    private typealias Runner = (PostgresQuery) throws -> [PostgresRow]

    private func execute(_ query: PostgresQuery) throws -> [PostgresRow] {
        Array(try connection.query(query, logger: logger).wait())
    }

    /// Runs `body` in one transaction (rolled back on error); calls are serialised on the one connection.
    private func transaction<T>(_ body: (Runner) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            _ = try execute("BEGIN")
            do {
                let result = try body(execute)
                _ = try execute("COMMIT")
                return result
            } catch {
                _ = try? execute("ROLLBACK")
                throw error
            }
        } catch let error as StudyStorageError {
            throw error
        } catch {
            throw StudyStorageError("the study database \(redactedURL): \(Self.describe(error, hiding: password))")
        }
    }

    /// Whether this connection is encrypted (the server's own view: `pg_stat_ssl`).
    func isEncrypted() throws -> Bool {
        try single { run in try run("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first?.decode(Bool.self) ?? false }
    }

    private func single<T>(_ body: (Runner) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try body(execute)
        } catch {
            throw StudyStorageError("the study database \(redactedURL): \(Self.describe(error, hiding: password))")
        }
    }

    private static func study(_ row: PostgresRow) throws -> StudyRecord {
        let (id, name, direction, configuration) = try row.decode((Int64, String, String, String).self)
        return StudyRecord(id: id, name: name, direction: StudyDirection(rawValue: direction) ?? .minimize, configuration: configuration)
    }

    public func openStudy(name: String, direction: StudyDirection, configuration: String) throws -> StudyRecord {
        try transaction { run in
            _ = try run("SELECT pg_advisory_xact_lock(7356022)")
            if let row = try run("SELECT id, name, direction, configuration FROM descent_studies WHERE name = \(name)").first {
                return try Self.study(row)
            }
            let row = try run("""
                INSERT INTO descent_studies (name, direction, configuration, created)
                VALUES (\(name), \(direction.rawValue), \(configuration), EXTRACT(EPOCH FROM clock_timestamp())::double precision)
                RETURNING id, name, direction, configuration
                """)
            return try Self.study(row[0])
        }
    }

    public func findStudy(named name: String) throws -> StudyRecord? {
        try single { run in
            try run("SELECT id, name, direction, configuration FROM descent_studies WHERE name = \(name)").first.map(Self.study)
        }
    }

    public func allStudies() throws -> [StudyRecord] {
        try single { run in try run("SELECT id, name, direction, configuration FROM descent_studies ORDER BY name").map(Self.study) }
    }

    public func claimTrial(studyID: Int64, limit: Int, worker: String, staleAfter: Double) throws -> TrialClaim {
        try transaction { run in
            _ = try run("SELECT id FROM descent_studies WHERE id = \(studyID) FOR UPDATE")
            let message = staleMessage(staleAfter)
            _ = try run("""
                UPDATE descent_trials SET state = 'failed', finished = EXTRACT(EPOCH FROM clock_timestamp())::double precision,
                    message = \(message)
                WHERE study_id = \(studyID) AND state = 'running'
                  AND heartbeat < EXTRACT(EPOCH FROM clock_timestamp())::double precision - \(staleAfter)
                """)
            let count = Int(try run("SELECT COUNT(*) FROM descent_trials WHERE study_id = \(studyID)")[0].decode(Int64.self))
            guard count < limit else {
                let running = try run("SELECT COUNT(*) FROM descent_trials WHERE study_id = \(studyID) AND state = 'running'")[0].decode(Int64.self)
                return running > 0 ? .wait : .done
            }
            let number = count
            let row = try run("""
                INSERT INTO descent_trials (study_id, number, state, worker, started, heartbeat)
                VALUES (\(studyID), \(number), 'running', \(worker), EXTRACT(EPOCH FROM clock_timestamp())::double precision,
                        EXTRACT(EPOCH FROM clock_timestamp())::double precision)
                RETURNING id
                """)
            return .claimed(id: try row[0].decode(Int64.self), number: count)
        }
    }

    public func setParameters(trialID: Int64, parameters: [String: ParameterValue]) throws {
        let text = ParameterCoding.encode(parameters)
        _ = try single { run in try run("UPDATE descent_trials SET parameters = \(text) WHERE id = \(trialID)") }
    }

    public func heartbeat(trialID: Int64) throws {
        _ = try single { run in
            try run("""
                UPDATE descent_trials SET heartbeat = EXTRACT(EPOCH FROM clock_timestamp())::double precision
                WHERE id = \(trialID) AND state = 'running'
                """)
        }
    }

    public func reportIntermediate(trialID: Int64, step: Int, value: Double) throws {
        try transaction { run in
            _ = try run("""
                INSERT INTO descent_intermediate (trial_id, step, value) VALUES (\(trialID), \(step), \(value))
                ON CONFLICT (trial_id, step) DO UPDATE SET value = EXCLUDED.value
                """)
            _ = try run("""
                UPDATE descent_trials SET heartbeat = EXTRACT(EPOCH FROM clock_timestamp())::double precision
                WHERE id = \(trialID) AND state = 'running'
                """)
        }
    }

    public func finishTrial(trialID: Int64, state: TrialState, value: Double?, message: String?) throws -> Bool {
        try single { run in
            let rows = try run("""
                UPDATE descent_trials SET state = \(state.rawValue), value = \(value), message = \(message),
                    finished = EXTRACT(EPOCH FROM clock_timestamp())::double precision
                WHERE id = \(trialID) AND state = 'running' RETURNING id
                """)
            return !rows.isEmpty
        }
    }

    public func trials(studyID: Int64) throws -> [TrialRecord] {
        try single { run in
            var intermediate: [Int64: [Int: Double]] = [:]
            for row in try run("""
                SELECT i.trial_id, i.step, i.value FROM descent_intermediate i
                JOIN descent_trials t ON t.id = i.trial_id WHERE t.study_id = \(studyID)
                """) {
                let (trial, step, value) = try row.decode((Int64, Int32, Double?).self)
                intermediate[trial, default: [:]][Int(step)] = value ?? .nan
            }
            return try run("""
                SELECT id, number, state, value, parameters, worker, started, finished, message
                FROM descent_trials WHERE study_id = \(studyID) ORDER BY number
                """).map { row in
                let (id, number, state, value, parameters, worker, started, finished, message) =
                    try row.decode((Int64, Int32, String, Double?, String, String, Double, Double?, String?).self)
                return TrialRecord(id: id, number: Int(number), state: TrialState(rawValue: state) ?? .failed, value: value,
                                   parameters: ParameterCoding.decode(parameters), intermediate: intermediate[id] ?? [:],
                                   worker: worker, started: started, finished: finished, message: message)
            }
        }
    }
}
#endif
