@testable import DescentTune
import DescentTunePostgres
import Foundation
import XCTest

final class StorageTests: XCTestCase {
    private func temporaryPath(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-tune-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory.appendingPathComponent(name).path
    }

    func testInMemoryStorageKeepsThePromises() throws {
        let storage = InMemoryStudyStorage()
        try StorageConformance.run(name: "memory", make: { storage })
    }

    func testSQLiteStorageKeepsThePromises() throws {
        let path = temporaryPath("studies.sqlite")
        try StorageConformance.run(name: "sqlite", make: { try SQLiteStudyStorage(path: path) })
    }

    func testSQLiteRefusesAnotherSchemaVersionAndChangesNothing() throws {
        let path = temporaryPath("future.sqlite")
        _ = try SQLiteStudyStorage(path: path).openStudy(name: "kept", direction: .minimize, configuration: "c")
        // Changed by another program: a plain connection to the same file.
        try SQLiteConnection(path: path, busyTimeout: 5).execute("UPDATE descent_schema SET value = '2' WHERE key = 'version'")
        XCTAssertThrowsError(try SQLiteStudyStorage(path: path)) { error in
            XCTAssertTrue("\(error)".contains("schema version 2, but this descent reads version 1"), "\(error)")
        }
        let names = try SQLiteConnection(path: path, busyTimeout: 5).rows("SELECT name FROM descent_studies").map { $0["name"] }
        XCTAssertEqual(names, [.text("kept")])
    }

    func testSQLiteRefusesADirectoryAndAFileThatIsNotADatabase() throws {
        let directory = temporaryPath("folder")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        XCTAssertThrowsError(try SQLiteStudyStorage(path: directory)) { XCTAssertTrue("\($0)".contains("is a directory"), "\($0)") }
        let text = temporaryPath("notes.txt")
        try Data("not a database, just some text that is long enough to have a header\n".utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertThrowsError(try SQLiteStudyStorage(path: text)) { XCTAssertTrue("\($0)".contains("cannot open the study database"), "\($0)") }
        XCTAssertEqual(try String(contentsOfFile: text, encoding: .utf8), "not a database, just some text that is long enough to have a header\n")
    }

    /// The PostgreSQL storage, against the server in DESCENT_TEST_POSTGRES_URL (CI starts one: scripts/ci_postgres.sh).
    func testPostgresStorageKeepsThePromises() throws {
        let url = try postgresURL()
        let name = "conformance-\(UUID().uuidString.prefix(8))"
        #if PostgreSQL
        try StorageConformance.run(name: name, make: { try PostgresStudyStorage(url: url) })
        #else
        _ = (url, name)
        #endif
    }

    func testPostgresRefusesAWrongPasswordWithoutPrintingIt() throws {
        let url = try postgresURL()
        #if PostgreSQL
        guard var components = URLComponents(string: url) else { return XCTFail("bad DESCENT_TEST_POSTGRES_URL") }
        components.user = components.user ?? "postgres"
        components.password = "Wrong-Secret-4711"
        XCTAssertThrowsError(try PostgresStudyStorage(url: components.string!)) { error in
            XCTAssertFalse("\(error)".contains("Wrong-Secret-4711"), "\(error)")
            XCTAssertTrue("\(error)".contains("cannot connect to the study database"), "\(error)")
        }
        XCTAssertThrowsError(try PostgresStudyStorage(url: "postgres://descent:Secret-4711@127.0.0.1:1/none")) { error in
            XCTAssertFalse("\(error)".contains("Secret-4711"), "\(error)")
            XCTAssertTrue("\(error)".contains("postgres://descent:***@127.0.0.1:1/none"), "\(error)")
        }
        #else
        _ = url
        #endif
    }

    func testRedactionHidesPasswords() {
        XCTAssertEqual(PostgresStorageText.redact("postgres://u:p%40ss@h:5432/d"), "postgres://u:***@h:5432/d")
        XCTAssertEqual(PostgresStorageText.redact("postgres://u@h/d"), "postgres://u@h/d")
        XCTAssertFalse(PostgresStorageText.redact("postgres://u:se cret@h/d").contains("se cret"))
    }

    private func postgresURL() throws -> String {
        guard PostgresStorageText.isAvailable else {
            throw XCTSkip("PostgreSQL tests skipped: built without the PostgreSQL trait (swift test --traits PostgreSQL)")
        }
        guard let url = ProcessInfo.processInfo.environment["DESCENT_TEST_POSTGRES_URL"], !url.isEmpty else {
            print("PostgreSQL tests skipped: DESCENT_TEST_POSTGRES_URL is not set (scripts/ci_postgres.sh starts a server and prints it)")
            throw XCTSkip("PostgreSQL tests skipped: DESCENT_TEST_POSTGRES_URL is not set (scripts/ci_postgres.sh starts a server and prints it)")
        }
        return url
    }
}
