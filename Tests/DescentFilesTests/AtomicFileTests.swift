import Foundation
import XCTest
@testable import DescentFiles

/// The one atomic writer: what it does to each kind of path (new, regular, symlink, device, FIFO),
/// the permission bits it keeps, and the temporary files it tidies.
final class AtomicFileTests: XCTestCase {
    var directory: String = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "descent-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func fileType(_ path: String) -> mode_t {
        var status = stat()
        XCTAssertEqual(lstat(path, &status), 0, path)
        return status.st_mode & S_IFMT
    }

    func testNewAndRegularFilesAreReplacedLeavingNoTemporary() throws {
        let path = directory + "/model.bin"
        try AtomicFile.write("first", to: path)
        XCTAssertEqual(try contents(path), "first")
        try AtomicFile.write("second", to: path)
        XCTAssertEqual(try contents(path), "second")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["model.bin"])
    }

    func testAMode600FileStaysMode600() throws {
        // Was: the rename put a fresh mode-644 file in place of a private mode-600 one.
        let path = directory + "/weights.safetensors"
        try AtomicFile.write("old", to: path)
        XCTAssertEqual(chmod(path, 0o600), 0)
        try AtomicFile.write("new", to: path)
        var status = stat()
        XCTAssertEqual(stat(path, &status), 0)
        XCTAssertEqual(status.st_mode & 0o7777, 0o600)
        XCTAssertEqual(try contents(path), "new")
    }

    func testASymlinkKeepsPointingAtItsReplacedTarget() throws {
        // Was: the rename replaced the link itself with a regular file.
        let targetDirectory = directory + "/runs"
        try FileManager.default.createDirectory(atPath: targetDirectory, withIntermediateDirectories: true)
        let target = targetDirectory + "/model.bin"
        try AtomicFile.write("old", to: target)
        let link = directory + "/latest"
        XCTAssertEqual(symlink("runs/model.bin", link), 0)   // relative, resolved from the link's directory
        try AtomicFile.write("new", to: link)
        XCTAssertEqual(fileType(link), S_IFLNK)
        XCTAssertEqual(try contents(target), "new")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: targetDirectory), ["model.bin"])

        // A dangling link creates its target.
        let dangling = directory + "/dangling"
        XCTAssertEqual(symlink(targetDirectory + "/fresh.bin", dangling), 0)
        try AtomicFile.write("fresh", to: dangling)
        XCTAssertEqual(fileType(dangling), S_IFLNK)
        XCTAssertEqual(try contents(targetDirectory + "/fresh.bin"), "fresh")
    }

    func testASymlinkLoopIsRefused() throws {
        let a = directory + "/a", b = directory + "/b"
        XCTAssertEqual(symlink(b, a), 0)
        XCTAssertEqual(symlink(a, b), 0)
        XCTAssertThrowsError(try AtomicFile.write("x", to: a)) { error in
            XCTAssertTrue("\(error)".contains("too many levels of symbolic links"), "\(error)")
        }
    }

    func testDevNullIsWrittenThroughNotReplaced() throws {
        // Was: `--save-weights /dev/null` (as root) replaced the device node with a regular file.
        try AtomicFile.write("discarded", to: "/dev/null")
        XCTAssertEqual(fileType("/dev/null"), S_IFCHR)
        let destination = try FileDestination("/dev/null")
        XCTAssertEqual(destination.kind, .characterDevice)
    }

    func testDevFullReportsTheWriteError() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full") }
        XCTAssertThrowsError(try AtomicFile.write("x", to: "/dev/full")) { error in
            XCTAssertTrue("\(error)".contains("No space left"), "\(error)")
        }
        XCTAssertEqual(fileType("/dev/full"), S_IFCHR)
    }

    func testAFIFOWithNoReaderIsRefusedAndStaysAFIFO() throws {
        let fifo = directory + "/pipe"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertThrowsError(try AtomicFile.write("x", to: fifo)) { error in
            XCTAssertTrue("\(error)".contains("FIFO with no reader"), "\(error)")
        }
        XCTAssertEqual(fileType(fifo), S_IFIFO)
    }

    func testAFIFOWithAReaderGetsTheBytes() throws {
        let fifo = directory + "/pipe"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // A non-blocking read end counts as a reader; the write then fits in the pipe buffer.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        XCTAssertGreaterThanOrEqual(reader, 0)
        defer { close(reader) }
        try AtomicFile.write("through the pipe", to: fifo)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        XCTAssertEqual(String(decoding: buffer[0..<max(count, 0)], as: UTF8.self), "through the pipe")
        XCTAssertEqual(fileType(fifo), S_IFIFO)
    }

    func testDirectoriesAndMissingDirectoriesAreRefusedByName() throws {
        XCTAssertThrowsError(try AtomicFile.write("x", to: directory)) { error in
            XCTAssertTrue("\(error)".contains("is a directory"), "\(error)")
        }
        let missing = directory + "/no/such/file.bin"
        XCTAssertThrowsError(try AtomicFile.check(missing)) { error in
            XCTAssertEqual("\(error)", "cannot write '\(missing)': the directory '\(directory)/no/such' does not exist")
        }
        XCTAssertThrowsError(try AtomicFile.check("")) { error in
            XCTAssertTrue("\(error)".contains("empty"), "\(error)")
        }
    }

    func testStalePartialFilesOfDeadWritersAreRemovedOnTheNextWrite() throws {
        let path = directory + "/model.bin"
        // A process id that is not alive: fork a child that exits at once, and reap it.
        let dead = deadProcessID()
        let stale = ".model.bin.\(dead).12345.partial"
        let live = ".model.bin.1.777.partial"                 // pid 1 is always alive
        let foreign = ".model.bin.notours.partial"            // not our naming
        let otherName = ".other.bin.\(dead).1.partial"        // another file's temporary
        for name in [stale, live, foreign, otherName] {
            XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/" + name, contents: Data("half".utf8)))
        }
        try AtomicFile.write("whole", to: path)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        XCTAssertEqual(left, ["model.bin", live, foreign, otherName])
    }

    func testWriterProcessParsesOnlyOurNaming() {
        XCTAssertEqual(StalePartialFiles.writerProcess(of: ".a.b.42.7.partial", for: "a.b"), 42)
        XCTAssertNil(StalePartialFiles.writerProcess(of: ".a.b.42.partial", for: "a.b"))
        XCTAssertNil(StalePartialFiles.writerProcess(of: ".a.b.x.7.partial", for: "a.b"))
        XCTAssertNil(StalePartialFiles.writerProcess(of: ".a.b.42.7.tmp", for: "a.b"))
        XCTAssertNil(StalePartialFiles.writerProcess(of: "a.b.42.7.partial", for: "a.b"))
    }

    func testSameDestinationSeesThroughSpellingsLinksAndHardLinks() throws {
        let path = directory + "/x.bin"
        XCTAssertTrue(FileDestination.same(path, directory + "/./x.bin"))        // new path, two spellings
        try AtomicFile.write("x", to: path)
        XCTAssertTrue(FileDestination.same(path, directory + "/../" + (directory as NSString).lastPathComponent + "/x.bin"))
        let link = directory + "/link"
        XCTAssertEqual(symlink(path, link), 0)
        XCTAssertTrue(FileDestination.same(path, link))
        let hard = directory + "/hard"
        XCTAssertEqual(Foundation.link(path, hard), 0)
        XCTAssertTrue(FileDestination.same(path, hard))
        XCTAssertFalse(FileDestination.same(path, directory + "/y.bin"))
    }

    /// The id of a process that has exited and been reaped.
    func deadProcessID() -> Int32 {
        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { free(argv[0]) }
        XCTAssertEqual(posix_spawn(&pid, "/bin/true", nil, nil, &argv, nil), 0)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return pid
    }
}

final class AtomicFileStreamTests: XCTestCase {
    func testNothingAppearsUntilCommitAndAbandonLeavesTheOldFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/out.csv"
        let stream = try AtomicFileStream(path)
        for row in 0..<100_000 { try stream.write("\(row)\n") }   // more than one buffer
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        try stream.commit()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").count, 100_000)
        // A stream dropped part-way (an error in the work) leaves the old file and no temporary file.
        do {
            let failing = try AtomicFileStream(path)
            try failing.write(String(repeating: "x", count: 3 << 20))
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), text)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["out.csv"])
        XCTAssertThrowsError(try AtomicFileStream(directory))
    }
}
