import ArgumentParser
import DescentTune
import DescentTunePostgres
import Foundation
import DescentCLIShared

/// `--storage`: `sqlite:PATH`, `postgres://…` or `memory`; a bare path is refused (the message says sqlite:PATH).
/// The default is `sqlite:descent-studies.sqlite` in the working directory. PostgreSQL needs a build
/// with the package's `PostgreSQL` trait; without it a postgres:// text is a usage error saying so.
enum StudyStorageOption {
    static let defaultValue = "sqlite:descent-studies.sqlite"
    static let help = "Where studies live: sqlite:PATH (default sqlite:descent-studies.sqlite), or postgres://user:password@host:port/database "
        + "(?sslmode=disable|allow|prefer|require|verify-ca|verify-full as libpq's, default prefer; &sslrootcert=FILE for verify-*)."

    /// Checks the form of `text` without connecting (a usage error names the flag).
    static func validate(_ text: String) throws {
        if PostgresStorageText.names(text) {
            #if PostgreSQL
            do { _ = try PostgresStudyStorage.parse(text) } catch let error as StudyStorageError { throw ValidationError(error.description) }
            #else
            throw ValidationError("--storage \(PostgresStorageText.redact(text)): \(PostgresStorageText.howToEnable)")
            #endif
        } else if text.hasPrefix("sqlite:") {
            guard text.count > "sqlite:".count else { throw ValidationError("--storage sqlite: needs a file path, e.g. sqlite:studies.sqlite") }
        } else if text != "memory" {
            throw ValidationError("--storage '\(PostgresStorageText.redact(text))': use sqlite:PATH or postgres://user:password@host:port/database")
        }
    }

    /// Opens the storage (a runtime error, exit 1, when it cannot be reached or has another schema).
    static func open(_ text: String) throws -> any StudyStorage {
        if PostgresStorageText.names(text) {
            #if PostgreSQL
            return try PostgresStudyStorage(url: text)
            #else
            throw StudyStorageError("--storage \(PostgresStorageText.redact(text)): \(PostgresStorageText.howToEnable)")
            #endif
        }
        if text == "memory" { return InMemoryStudyStorage() }
        return try SQLiteStudyStorage(path: String(text.dropFirst("sqlite:".count)))
    }

    /// The storage text with any password hidden, for messages and printed command lines.
    static func display(_ text: String) -> String { PostgresStorageText.redact(text) }
}

/// The failure of a study command whose storage cannot be used (unreachable, a wrong password, another
/// schema version, no such study): status 1, and with `--json` the failure object as the last line.
func failWork(_ message: String) -> CommandFailure {
    CommandFailure(.input, message)
}
