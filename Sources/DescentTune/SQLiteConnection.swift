import CSQLite
import Foundation

/// One value of an SQLite row, as SQLite stores it (its five storage classes).
enum SQLiteValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// What SQLite said when a call failed: its result code and its message.
struct SQLiteError: Error, CustomStringConvertible {
    var code: Int32
    var message: String

    var description: String { message }
}

/// A row by column name.
struct SQLiteRow {
    var values: [String: SQLiteValue]

    subscript(name: String) -> SQLiteValue? { values[name] }
}

/// One connection to an SQLite file through SQLite's C API (the system's libsqlite3), the few calls
/// the study storage needs: statements with bound values, rows read whole, transactions. Calls are
/// serialized by a lock, so one connection may be shared by the threads of a process; processes
/// share the file through SQLite's own locking (a busy file is waited for up to `busyTimeout`).
///
/// Example: `try connection.transaction(.immediate) { try $0.run("INSERT INTO t VALUES (?)", [.integer(1)]) }`.
final class SQLiteConnection: @unchecked Sendable {
    enum TransactionKind: String {
        /// Takes the write lock at `BEGIN`: two writers never interleave (`BEGIN IMMEDIATE`).
        case immediate = "IMMEDIATE"
        /// Reads a consistent snapshot (`BEGIN DEFERRED`).
        case deferred = "DEFERRED"
    }

    private let handle: OpaquePointer
    private let lock = NSLock()

    /// Opens (creating when missing) the database at `path`.
    init(path: String, busyTimeout: Double) throws {
        var opened: OpaquePointer?
        let status = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nil)
        guard status == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            if let opened { sqlite3_close_v2(opened) }
            throw SQLiteError(code: status, message: message)
        }
        handle = opened
        sqlite3_busy_timeout(handle, Int32(max(0, min(busyTimeout * 1000, Double(Int32.max)))))
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ kind: TransactionKind, _ body: (SQLiteConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        try execute("BEGIN \(kind.rawValue) TRANSACTION")
        do {
            let result = try body(self)
            try execute("COMMIT TRANSACTION")
            return result
        } catch {
            if sqlite3_get_autocommit(handle) == 0 { _ = sqlite3_exec(handle, "ROLLBACK TRANSACTION", nil, nil, nil) }
            throw error
        }
    }

    /// Runs `sql` (one or more statements, no values bound), discarding any rows.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        guard status == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: status, message: text)
        }
    }

    /// Runs one statement with `arguments` bound to its `?`s.
    func run(_ sql: String, _ arguments: [SQLiteValue] = []) throws {
        _ = try rows(sql, arguments)
    }

    /// The rows of one statement with `arguments` bound to its `?`s.
    func rows(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> [SQLiteRow] {
        var prepared: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &prepared, nil) == SQLITE_OK, let statement = prepared else { throw lastError() }
        defer { sqlite3_finalize(statement) }
        for (offset, argument) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch argument {
            case .null: status = sqlite3_bind_null(statement, index)
            case let .integer(number): status = sqlite3_bind_int64(statement, index, number)
            case let .real(number): status = number.isNaN ? sqlite3_bind_null(statement, index) : sqlite3_bind_double(statement, index, number)
            case let .text(text): status = sqlite3_bind_text(statement, index, text, -1, descent_sqlite_transient())
            case let .blob(bytes):
                status = bytes.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), descent_sqlite_transient()) }
            }
            guard status == SQLITE_OK else { throw lastError() }
        }
        let names = (0..<sqlite3_column_count(statement)).map { String(cString: sqlite3_column_name(statement, $0)) }
        var result: [SQLiteRow] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return result }
            guard status == SQLITE_ROW else { throw lastError() }
            var values: [String: SQLiteValue] = [:]
            for (column, name) in names.enumerated() {
                let index = Int32(column)
                switch sqlite3_column_type(statement, index) {
                case SQLITE_INTEGER: values[name] = .integer(sqlite3_column_int64(statement, index))
                case SQLITE_FLOAT: values[name] = .real(sqlite3_column_double(statement, index))
                case SQLITE_TEXT:
                    let count = Int(sqlite3_column_bytes(statement, index))
                    let bytes = sqlite3_column_text(statement, index).map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
                    values[name] = .text(String(decoding: bytes, as: UTF8.self))
                case SQLITE_BLOB:
                    let count = Int(sqlite3_column_bytes(statement, index))
                    let start = sqlite3_column_blob(statement, index)?.assumingMemoryBound(to: UInt8.self)
                    values[name] = .blob(start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
                default: values[name] = .null
                }
            }
            result.append(SQLiteRow(values: values))
        }
    }

    /// The rowid of the last row inserted on this connection.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes(handle)) }

    private func lastError() -> SQLiteError {
        SQLiteError(code: sqlite3_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
    }
}
