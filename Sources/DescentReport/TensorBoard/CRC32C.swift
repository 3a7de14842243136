/// CRC-32C (Castagnoli), the checksum of TFRecord files, and TensorFlow's masked form of it.
///
/// crc = the CRC of the bytes with the reflected polynomial 0x82F63B78 (x³² + x²⁸ + x²⁷ + … + 1,
/// Castagnoli, Bräuer & Herrmann 1993, "Optimization of cyclic redundancy-check codes with 24 and
/// 32 parity bits"), initial value and final XOR 0xFFFFFFFF (RFC 3720 §B.4, the iSCSI checksum).
/// masked = ((crc >> 15) | (crc << 17)) + 0xA282EAD8 (mod 2³²), as `tensorflow/core/lib/hash/crc32c.h`
/// stores it, so that a CRC of data that itself holds CRCs is not degenerate.
///
/// ```swift
/// CRC32C.checksum(Array("123456789".utf8))   // 0xE3069283, the standard check value
/// CRC32C.checksum([UInt8](repeating: 0, count: 32))   // 0x8A9136AA (RFC 3720 B.4)
/// CRC32C.masked(0xE3069283)                  // 0xC78AB0E5
/// ```
public enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0x82F6_3B78 : value >> 1 }
        return value
    }

    /// The CRC-32C of `bytes`.
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// TensorFlow's masked CRC: the CRC rotated right by 15 bits plus 0xA282EAD8.
    public static func masked(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
