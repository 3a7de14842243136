import Foundation
import DescentTensor
import DescentFiles

/// Element types found in binary array files, with their conversion to Float32.
enum BinaryScalar {
    case float64, float32, float16, bfloat16, int64, int32, int16, int8, uint64, uint32, uint16, uint8, bool

    var byteCount: Int {
        switch self {
        case .float64, .int64, .uint64: return 8
        case .float32, .int32, .uint32: return 4
        case .float16, .bfloat16, .int16, .uint16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    /// Converts `count` elements starting at `offset` in `bytes` to Float32.
    /// The caller has checked that `offset + count × byteCount ≤ bytes.count`.
    func convert(_ bytes: UnsafeRawBufferPointer, offset: Int, count: Int, bigEndian: Bool) -> [Float] {
        var result = [Float](repeating: 0, count: count)
        result.withUnsafeMutableBufferPointer { out in
            let base = offset
            func u16(_ i: Int) -> UInt16 {
                let v = bytes.loadUnaligned(fromByteOffset: base + i * 2, as: UInt16.self)
                return bigEndian ? UInt16(bigEndian: v) : UInt16(littleEndian: v)
            }
            func u32(_ i: Int) -> UInt32 {
                let v = bytes.loadUnaligned(fromByteOffset: base + i * 4, as: UInt32.self)
                return bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
            }
            func u64(_ i: Int) -> UInt64 {
                let v = bytes.loadUnaligned(fromByteOffset: base + i * 8, as: UInt64.self)
                return bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
            }
            switch self {
            case .float64: for i in 0..<count { out[i] = Float(Double(bitPattern: u64(i))) }
            case .float32:
                if !bigEndian && UInt32(littleEndian: 1) == 1 {
                    // Same layout as memory: one copy.
                    memcpy(out.baseAddress!, bytes.baseAddress! + base, count * 4)
                } else {
                    for i in 0..<count { out[i] = Float(bitPattern: u32(i)) }
                }
            case .float16: for i in 0..<count { out[i] = BinaryScalar.halfToFloat(u16(i)) }
            case .bfloat16: for i in 0..<count { out[i] = Float(bitPattern: UInt32(u16(i)) << 16) }
            case .int64: for i in 0..<count { out[i] = Float(Int64(bitPattern: u64(i))) }
            case .int32: for i in 0..<count { out[i] = Float(Int32(bitPattern: u32(i))) }
            case .int16: for i in 0..<count { out[i] = Float(Int16(bitPattern: u16(i))) }
            case .uint64: for i in 0..<count { out[i] = Float(u64(i)) }
            case .uint32: for i in 0..<count { out[i] = Float(u32(i)) }
            case .uint16: for i in 0..<count { out[i] = Float(u16(i)) }
            case .int8: for i in 0..<count { out[i] = Float(Int8(bitPattern: bytes[base + i])) }
            case .uint8: for i in 0..<count { out[i] = Float(bytes[base + i]) }
            case .bool: for i in 0..<count { out[i] = bytes[base + i] == 0 ? 0 : 1 }
            }
        }
        return result
    }

    /// IEEE 754 binary16 → binary32 (exact).
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = UInt32(bits & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: fraction × 2^-24.
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 31 {
            return Float(bitPattern: sign | 0x7F80_0000 | (fraction << 13))
        }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (fraction << 13))
    }
}

/// Multiplies dimensions, failing on a negative dimension or overflow.
func checkedElementCount(_ shape: [Int]) -> Int? {
    var count = 1
    for dimension in shape {
        guard dimension >= 0 else { return nil }
        let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
        if overflow { return nil }
        count = product
    }
    return count
}

/// Reads a whole file into memory, with errors naming it.
func readWholeFile(_ path: String) throws -> [UInt8] {
    try CSVTable.readFile(path)
}

/// Writes bytes to a file, with errors naming it, without ever leaving a half-written file
/// or damaging what is at the path: see `AtomicFile` (temporary file + fsync + rename over a
/// regular file; a symlink's target replaced; devices written through; permission bits kept).
func writeWholeFile(_ bytes: [UInt8], to path: String) throws {
    do {
        try AtomicFile.write(bytes, to: path)
    } catch let error as FileWriteError {
        throw DataError.io(file: path, "cannot be written: \(error.reason)")
    }
}
