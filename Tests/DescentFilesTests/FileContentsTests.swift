import DescentFiles
import Foundation
import XCTest

/// Reading a whole input file that may be anything a path can name: a limit that holds on a file that never ends,
/// and a FIFO refused without waiting for a writer.
final class FileContentsTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-contents-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    func testALimitStopsReadingADeviceThatNeverEnds() throws {
        #if os(Linux) || os(macOS)
        // /dev/zero has no end: without a limit it was read until memory ran out.
        XCTAssertThrowsError(try FileContents.read("/dev/zero", limit: 1 << 16)) { error in
            XCTAssertEqual("\(error)", "cannot read '/dev/zero': it holds more than the 65536 bytes allowed")
        }
        #endif
    }

    func testALimitRefusesALargerRegularFileByItsSize() throws {
        let path = directory + "/big.toml"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(count: 1001)))
        XCTAssertThrowsError(try FileContents.read(path, limit: 1000)) { error in
            XCTAssertEqual("\(error)", "cannot read '\(path)': it holds 1001 bytes, more than the 1000 allowed")
        }
        XCTAssertEqual(try FileContents.read(path, limit: 1001).count, 1001)
    }

    func testARegularFileOnlyReadRefusesAFIFOWithoutWaitingAndADevice() throws {
        let fifo = directory + "/checkpoint.json"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // No writer ever comes: a blocking open would wait here for ever.
        XCTAssertThrowsError(try FileContents.read(fifo, regularFileOnly: true)) { error in
            XCTAssertEqual("\(error)", "cannot read '\(fifo)': it is a FIFO, not a regular file")
        }
        XCTAssertThrowsError(try FileContents.read("/dev/null", regularFileOnly: true)) { error in
            XCTAssertEqual("\(error)", "cannot read '/dev/null': it is a device, not a regular file")
        }
        let file = directory + "/ok.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("{}".utf8)))
        XCTAssertEqual(try FileContents.read(file, regularFileOnly: true), Data("{}".utf8))
    }
}
