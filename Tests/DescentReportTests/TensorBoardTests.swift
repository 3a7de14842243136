import DescentReport
import Foundation
import XCTest

/// TensorBoard event files: CRC-32C against its published check values, the TFRecord framing against
/// bytes computed independently (a bit-by-bit CRC in Python), and the `Event` protobuf read back.
final class TensorBoardTests: XCTestCase {
    func testCRC32CMatchesThePublishedCheckValues() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)   // the CRC catalogue's "check"
        // RFC 3720 (iSCSI) appendix B.4.
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
        XCTAssertEqual(CRC32C.checksum([UInt8]()), 0)
    }

    func testTheMaskRotatesAndAddsTensorFlowsConstant() {
        XCTAssertEqual(CRC32C.masked(0), 0xA282_EAD8)
        XCTAssertEqual(CRC32C.masked(0xE306_9283), 0xC78A_B0E5)
    }

    func testFramingMatchesIndependentlyComputedBytes() throws {
        XCTAssertEqual(hex(TFRecord.frame([])), "000000000000000029039807d8ea82a2")
        XCTAssertEqual(hex(TFRecord.frame(Array("a".utf8))), "01000000000000000175de4161786ee428")
        let bytes = TFRecord.frame([1, 2, 3]) + TFRecord.frame([]) + TFRecord.frame(Array("a".utf8))
        XCTAssertEqual(try TFRecord.records(in: bytes), [[1, 2, 3], [], [0x61]])
    }

    func testACutOrCorruptedRecordIsCaught() {
        let record = TFRecord.frame(Array("hello".utf8))
        XCTAssertThrowsError(try TFRecord.records(in: record + record.dropLast(2))) { error in
            XCTAssertEqual(error as? TFRecord.ReadError, .truncated(offset: record.count))
        }
        var corrupted = record
        corrupted[13] ^= 1
        XCTAssertThrowsError(try TFRecord.records(in: corrupted)) { error in
            XCTAssertEqual(error as? TFRecord.ReadError, .badChecksum(offset: 0))
        }
    }

    func testAScalarEventHasTheProtobufBytesOfTheEventMessage() throws {
        let event = TensorBoardEvent(wallTime: 1.5, step: 3, content: .scalars([.init(tag: "loss", value: 0.25)]))
        // wall_time (field 1, fixed64 1.5), step (field 2, varint 3), summary (field 5) { value (field 1)
        // { tag (field 1) "loss", simple_value (field 2, fixed32 0.25) } }.
        XCTAssertEqual(hex(event.encoded()), "09000000000000f83f" + "1003" + "2a0d" + "0a0b" + "0a046c6f7373" + "150000803e")
        XCTAssertEqual(try TensorBoardEvent(decoding: event.encoded()), event)
        let version = TensorBoardEvent(wallTime: 2, step: 0, content: .fileVersion("brain.Event:2"))
        XCTAssertEqual(hex(version.encoded()), "0900000000000000401a0d" + hex(Array("brain.Event:2".utf8)))
        let restart = TensorBoardEvent(wallTime: 2, step: 300, content: .sessionStart)
        XCTAssertEqual(hex(restart.encoded()), "090000000000000040" + "10ac02" + "3a020801")
        XCTAssertEqual(try TensorBoardEvent(decoding: restart.encoded()), restart)
    }

    func testALargeNegativeStepTakesTenVarintBytes() throws {
        let event = TensorBoardEvent(wallTime: 0, step: -1, content: .scalars([]))
        XCTAssertEqual(try TensorBoardEvent(decoding: event.encoded()), event)
        XCTAssertTrue(hex(event.encoded()).contains("10ffffffffffffffffff01"))
    }

    func testTheWriterStartsWithTheFileVersionAndReadsBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tb-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try TensorBoardWriter(directory: directory, hostName: "testhost", now: { 1_700_000_000.25 })
        XCTAssertEqual(URL(fileURLWithPath: writer.path).lastPathComponent, "events.out.tfevents.1700000000.testhost")
        try writer.add("training/loss", 2.5, step: 1)
        try writer.add([.init(tag: "epoch/validation_loss", value: 0.5), .init(tag: "epoch/learning_rate", value: 0.003)], step: 45)
        try writer.restart(at: 46)
        try writer.finish()
        let second = try TensorBoardWriter(directory: directory, hostName: "testhost", now: { 1_700_000_000.25 })
        XCTAssertEqual(URL(fileURLWithPath: second.path).lastPathComponent, "events.out.tfevents.1700000000.testhost.1",
                       "a name that is taken is never reused")

        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: writer.path)))
        let events = try TFRecord.records(in: bytes).map(TensorBoardEvent.init(decoding:))
        XCTAssertEqual(events, [
            TensorBoardEvent(wallTime: 1_700_000_000.25, step: 0, content: .fileVersion("brain.Event:2")),
            TensorBoardEvent(wallTime: 1_700_000_000.25, step: 1, content: .scalars([.init(tag: "training/loss", value: 2.5)])),
            TensorBoardEvent(wallTime: 1_700_000_000.25, step: 45, content: .scalars([
                .init(tag: "epoch/validation_loss", value: 0.5), .init(tag: "epoch/learning_rate", value: 0.003),
            ])),
            TensorBoardEvent(wallTime: 1_700_000_000.25, step: 46, content: .sessionStart),
        ])
    }

    func testTheWriterRefusesAFileAsItsDirectory() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tb-file-\(UUID().uuidString)").path
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("keep".utf8)))
        defer { try? FileManager.default.removeItem(atPath: file) }
        XCTAssertThrowsError(try TensorBoardWriter(directory: file)) { error in
            XCTAssertTrue("\(error)".contains("it is not a directory"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "keep")
        XCTAssertThrowsError(try TensorBoardWriter(directory: "/nonexistent-\(UUID().uuidString)/runs")) { error in
            XCTAssertTrue("\(error)".contains("parent directory"), "\(error)")
        }
    }

    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
