import Foundation
import XCTest
@testable import DescentFiles

/// One holder at a time; the holder is named; a lock file left by a process that ended is taken over.
final class DirectoryLockTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "descent-lock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    func testASecondHolderIsRefusedNamingTheFirstUntilItReleases() throws {
        let lock = try DirectoryLock.acquire(directory: directory, fileName: "x.lock")
        XCTAssertNil(lock.staleHolder)
        // flock belongs to an open file, so a second open in the same process conflicts as another process would.
        XCTAssertThrowsError(try DirectoryLock.acquire(directory: directory, fileName: "x.lock")) { error in
            guard case let .held(path, holder)? = error as? DirectoryLockError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, directory + "/x.lock")
            XCTAssertEqual(holder?.processIdentifier, getpid())
            XCTAssertFalse(holder?.host.isEmpty ?? true)
            XCTAssertNotNil(ISO8601DateFormatter().date(from: holder?.started ?? ""), holder?.started ?? "")
        }
        lock.release()
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/x.lock"), "a released lock leaves no file")
        let next = try DirectoryLock.acquire(directory: directory, fileName: "x.lock")
        XCTAssertNil(next.staleHolder, "a released lock leaves nothing to take over")
        next.release()
    }

    func testALockFileNamingAnEndedHolderIsTakenOver() throws {
        let text = #"{"host":"elsewhere","pid":4242,"started":"2026-12-03T07:01:02Z"}"#
        try text.write(toFile: directory + "/x.lock", atomically: false, encoding: .utf8)
        let lock = try DirectoryLock.acquire(directory: directory, fileName: "x.lock")
        defer { lock.release() }
        XCTAssertEqual(lock.staleHolder, .init(processIdentifier: 4242, host: "elsewhere", started: "2026-12-03T07:01:02Z"))
        XCTAssertEqual(lock.staleHolder?.description, "pid 4242 on elsewhere, started 2026-12-03T07:01:02Z")
        XCTAssertTrue(try String(contentsOfFile: directory + "/x.lock", encoding: .utf8).contains("\"pid\":\(getpid())"))
    }

    func testAnUnusableLockFileIsAnError() throws {
        try FileManager.default.createDirectory(atPath: directory + "/x.lock", withIntermediateDirectories: false)
        XCTAssertThrowsError(try DirectoryLock.acquire(directory: directory, fileName: "x.lock")) { error in
            guard case .unusable? = error as? DirectoryLockError else { return XCTFail("\(error)") }
        }
    }
}
