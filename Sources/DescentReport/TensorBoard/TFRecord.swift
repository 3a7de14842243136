/// The TFRecord framing of TensorFlow's record files (event files among them): each record is
///
///     uint64  length          (little-endian)
///     uint32  masked CRC-32C of the 8 length bytes
///     byte    data[length]
///     uint32  masked CRC-32C of the data
///
/// (`tensorflow/core/lib/io/record_writer.cc`). A reader checks both CRCs, so a record cut short
/// by a killed writer is detected and the records before it still read.
///
/// ```swift
/// let record = TFRecord.frame([0x61])   // 8 + 4 + 1 + 4 = 17 bytes
/// try TFRecord.records(in: record)      // [[0x61]]
/// ```
public enum TFRecord {
    /// Why bytes are not a sequence of TFRecords.
    public enum ReadError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The bytes end inside the record that starts at `offset`.
        case truncated(offset: Int)
        /// A CRC does not match at `offset`.
        case badChecksum(offset: Int)

        public var description: String {
            switch self {
            case let .truncated(offset): return "the record at byte \(offset) is cut short"
            case let .badChecksum(offset): return "the record at byte \(offset) has a wrong checksum"
            }
        }
    }

    /// The framed record of `data`.
    public static func frame(_ data: [UInt8]) -> [UInt8] {
        let length = littleEndianBytes(UInt64(data.count))
        var record = length
        record.reserveCapacity(16 + data.count)
        record += littleEndianBytes(CRC32C.masked(CRC32C.checksum(length)))
        record += data
        record += littleEndianBytes(CRC32C.masked(CRC32C.checksum(data)))
        return record
    }

    /// The data of each record in `bytes`, checking both CRCs of every record.
    public static func records(in bytes: [UInt8]) throws -> [[UInt8]] {
        var records: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 12 else { throw ReadError.truncated(offset: offset) }
            let lengthBytes = Array(bytes[offset..<offset + 8])
            guard readUInt32(bytes, at: offset + 8) == CRC32C.masked(CRC32C.checksum(lengthBytes)) else {
                throw ReadError.badChecksum(offset: offset)
            }
            let length = lengthBytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard length <= UInt64(bytes.count - offset - 16) else { throw ReadError.truncated(offset: offset) }
            let start = offset + 12, end = start + Int(length)
            let data = Array(bytes[start..<end])
            guard readUInt32(bytes, at: end) == CRC32C.masked(CRC32C.checksum(data)) else {
                throw ReadError.badChecksum(offset: offset)
            }
            records.append(data)
            offset = end + 4
        }
        return records
    }

    static func littleEndianBytes<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
        (0..<Value.bitWidth / 8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << ($1 * 8) }
    }
}
