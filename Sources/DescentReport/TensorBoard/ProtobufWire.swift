/// The few pieces of the protocol-buffer wire format that TensorBoard's `Event` needs, written by
/// hand (https://protobuf.dev/programming-guides/encoding/): a field is a key varint
/// (field number << 3 | wire type) followed by a varint (type 0), 8 little-endian bytes (type 1),
/// a length varint and that many bytes (type 2), or 4 little-endian bytes (type 5).
///
/// ```swift
/// var writer = ProtobufWriter()
/// writer.varint(2, 150)        // [0x10, 0x96, 0x01]: field 2, varint 150
/// writer.string(1, "loss")     // [0x0A, 0x04, 0x6C, 0x6F, 0x73, 0x73]
/// ```
public struct ProtobufWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// An unsigned varint: 7 bits a byte, low bits first, the high bit set on all but the last.
    mutating func rawVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private mutating func key(_ field: Int, _ wireType: UInt64) { rawVarint(UInt64(field) << 3 | wireType) }

    /// An int64 or enum field (wire type 0); a negative value takes ten bytes, as in protobuf.
    public mutating func varint(_ field: Int, _ value: Int64) {
        key(field, 0)
        rawVarint(UInt64(bitPattern: value))
    }

    /// A double field (wire type 1).
    public mutating func double(_ field: Int, _ value: Double) {
        key(field, 1)
        bytes += TFRecord.littleEndianBytes(value.bitPattern)
    }

    /// A float field (wire type 5).
    public mutating func float(_ field: Int, _ value: Float) {
        key(field, 5)
        bytes += TFRecord.littleEndianBytes(value.bitPattern)
    }

    /// A bytes or embedded-message field (wire type 2).
    public mutating func lengthDelimited(_ field: Int, _ value: [UInt8]) {
        key(field, 2)
        rawVarint(UInt64(value.count))
        bytes += value
    }

    /// A string field (UTF-8, wire type 2).
    public mutating func string(_ field: Int, _ value: String) { lengthDelimited(field, Array(value.utf8)) }
}

/// Reads the fields of one protocol-buffer message (the inverse of `ProtobufWriter`).
public struct ProtobufReader: Sendable {
    /// One field's value, by wire type.
    public enum Value: Equatable, Sendable {
        case varint(UInt64)
        case fixed64(UInt64)
        case lengthDelimited([UInt8])
        case fixed32(UInt32)
    }

    /// Why bytes are not a message.
    public struct ReadError: Error, Equatable, Sendable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "protobuf byte \(offset): \(reason)" }
    }

    /// The message's fields in order, as (field number, value).
    public static func fields(of bytes: [UInt8]) throws -> [(field: Int, value: Value)] {
        var fields: [(field: Int, value: Value)] = []
        var offset = 0
        func varint() throws -> UInt64 {
            var result: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard offset < bytes.count else { throw ReadError(offset: offset, reason: "the message ends inside a varint") }
                guard shift < 64 else { throw ReadError(offset: offset, reason: "a varint longer than 10 bytes") }
                let byte = bytes[offset]
                offset += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
        }
        func fixed(_ count: Int) throws -> UInt64 {
            guard bytes.count - offset >= count else { throw ReadError(offset: offset, reason: "the message ends inside a field") }
            defer { offset += count }
            return (0..<count).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << ($1 * 8) }
        }
        while offset < bytes.count {
            let key = try varint()
            let field = Int(key >> 3)
            switch key & 7 {
            case 0: fields.append((field, .varint(try varint())))
            case 1: fields.append((field, .fixed64(try fixed(8))))
            case 2:
                let length = try varint()
                guard length <= UInt64(bytes.count - offset) else {
                    throw ReadError(offset: offset, reason: "a length of \(length) runs past the message's end")
                }
                fields.append((field, .lengthDelimited(Array(bytes[offset..<offset + Int(length)]))))
                offset += Int(length)
            case 5: fields.append((field, .fixed32(UInt32(try fixed(4)))))
            default: throw ReadError(offset: offset, reason: "unsupported wire type \(key & 7)")
            }
        }
        return fields
    }
}
