import DescentTensor

/// NumPy's `.npy` array files (format versions 1.0, 2.0 and 3.0).
///
/// Reads float32, float64, int64, int32, int16, int8, uint8, uint16, uint32,
/// uint64 and bool arrays of either byte order in C order and converts them to a
/// Float32 `Tensor`; writes Float32 (`'<f4'`) in version 1.0 exactly as
/// `numpy.save` does (header padded with spaces to a multiple of 64 bytes).
/// Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
///
/// ```swift
/// let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// try NPY.write(x, to: "x.npy")          // np.load("x.npy") → array([[1., 2., 3.], [4., 5., 6.]], dtype=float32)
/// let y = try NPY.read(path: "x.npy")    // shape [2, 3]
/// ```
public enum NPY {
    private static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]   // \x93NUMPY

    /// Reads an `.npy` file.
    /// - Throws: `DataError` naming the file for a bad magic string, an unsupported
    ///   dtype or Fortran order, a malformed header, or data shorter or longer than the shape says.
    public static func read(path: String) throws -> Tensor {
        try decode(try readWholeFile(path), source: path)
    }

    /// Writes `tensor` as a Float32 `.npy` file.
    public static func write(_ tensor: Tensor, to path: String) throws {
        try writeWholeFile(encode(tensor), to: path)
    }

    /// The bytes of a Float32 `.npy` file holding `tensor`.
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        let shapeText: String
        switch tensor.shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(tensor.shape[0]),)"
        default: shapeText = "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
        }
        let dictionary = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        // Version 1.0 stores the header length in 2 bytes; a longer header (a tensor of thousands
        // of axes) needs version 2.0's 4 bytes, as numpy.save does.
        func paddedHeader(prefixLength: Int) -> String {
            dictionary + String(repeating: " ", count: (64 - (prefixLength + dictionary.utf8.count + 1) % 64) % 64) + "\n"
        }
        let version1 = paddedHeader(prefixLength: magic.count + 4).utf8.count <= Int(UInt16.max)
        let header = paddedHeader(prefixLength: magic.count + (version1 ? 4 : 6))
        var bytes = magic + [version1 ? 1 : 2, 0]
        let length = header.utf8.count
        for index in 0..<(version1 ? 2 : 4) { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * index))) }
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + tensor.count * 4)
        tensor.withUnsafeBufferPointer { buffer in
            for value in buffer {
                let bits = value.bitPattern.littleEndian
                withUnsafeBytes(of: bits) { bytes += $0 }
            }
        }
        return bytes
    }

    /// Parses the bytes of an `.npy` file; `source` names it in errors.
    public static func decode(_ bytes: [UInt8], source: String) throws -> Tensor {
        func fail(_ detail: String) -> DataError { .malformedFile(file: source, format: "NPY", detail) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw fail("does not start with the magic string \\x93NUMPY")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("file ends inside the header length") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw fail("unsupported format version \(major).\(bytes[7])")
        }
        guard headerLength <= bytes.count - headerStart else {
            throw fail("header length \(headerLength) is longer than the rest of the file (\(bytes.count - headerStart) bytes)")
        }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        let header = String(decoding: headerBytes, as: UTF8.self)
        let fields = try NPYHeader.parse(header, fail: fail)
        guard !fields.fortranOrder else {
            throw fail("fortran_order is True; only C-order arrays are supported (save with np.ascontiguousarray)")
        }
        let (scalar, bigEndian) = try dtype(fields.descr, fail: fail)
        guard let count = checkedElementCount(fields.shape) else {
            throw fail("shape \(fields.shape) has an invalid or overflowing element count")
        }
        let dataStart = headerStart + headerLength
        let available = bytes.count - dataStart
        let (needed, overflow) = count.multipliedReportingOverflow(by: scalar.byteCount)
        guard !overflow, needed == available else {
            throw fail("shape \(fields.shape) of '\(fields.descr)' needs \(overflow ? "too many" : String(needed)) data bytes, the file has \(available)")
        }
        let values = bytes.withUnsafeBytes { scalar.convert($0, offset: dataStart, count: count, bigEndian: bigEndian) }
        return try Tensor(shape: fields.shape, scalars: values)
    }

    private static func dtype(_ descr: String, fail: (String) -> DataError) throws -> (BinaryScalar, Bool) {
        guard descr.count >= 2 else { throw fail("unsupported dtype '\(descr)'") }
        let order = descr.first!
        let code = String(descr.dropFirst())
        let littleHost = UInt32(littleEndian: 1) == 1
        let bigEndian: Bool
        switch order {
        case "<": bigEndian = false
        case ">": bigEndian = true
        case "|", "=": bigEndian = !littleHost
        default: throw fail("unsupported dtype '\(descr)'")
        }
        let table: [String: BinaryScalar] = [
            "f8": .float64, "f4": .float32, "f2": .float16, "i8": .int64, "i4": .int32, "i2": .int16, "i1": .int8,
            "u8": .uint64, "u4": .uint32, "u2": .uint16, "u1": .uint8, "b1": .bool,
        ]
        guard let scalar = table[code] else {
            throw fail("unsupported dtype '\(descr)' (supported: f8 f4 f2 i8 i4 i2 i1 u8 u4 u2 u1 b1)")
        }
        return (scalar, bigEndian)
    }
}

/// The Python dict literal at the head of an `.npy` file, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
struct NPYHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    static func parse(_ text: String, fail: (String) -> DataError) throws -> NPYHeader {
        var scanner = LiteralScanner(characters: Array(text.unicodeScalars))
        var descr: String?, fortran: Bool?, shape: [Int]?
        try scanner.expect("{", fail)
        while true {
            scanner.skipSpace()
            if scanner.consume("}") { break }
            let key = try scanner.string(fail)
            scanner.skipSpace()
            try scanner.expect(":", fail)
            scanner.skipSpace()
            switch key {
            case "descr": descr = try scanner.string(fail)
            case "fortran_order": fortran = try scanner.boolean(fail)
            case "shape": shape = try scanner.tuple(fail)
            default: throw fail("unexpected header key '\(key)'")
            }
            scanner.skipSpace()
            if scanner.consume(",") { continue }
            try scanner.expect("}", fail)
            break
        }
        guard let descr, let fortran, let shape else {
            throw fail("header must have 'descr', 'fortran_order' and 'shape'")
        }
        return NPYHeader(descr: descr, fortranOrder: fortran, shape: shape)
    }

    struct LiteralScanner {
        let characters: [Unicode.Scalar]
        var index = 0

        mutating func skipSpace() {
            while index < characters.count, characters[index] == " " || characters[index] == "\n" || characters[index] == "\t" { index += 1 }
        }
        mutating func consume(_ c: Unicode.Scalar) -> Bool {
            if index < characters.count, characters[index] == c { index += 1; return true }
            return false
        }
        mutating func expect(_ c: Unicode.Scalar, _ fail: (String) -> DataError) throws {
            skipSpace()
            guard consume(c) else { throw fail("header: expected '\(c)' at character \(index)") }
        }
        mutating func string(_ fail: (String) -> DataError) throws -> String {
            guard index < characters.count, characters[index] == "'" || characters[index] == "\"" else {
                throw fail("header: expected a quoted string at character \(index)")
            }
            let quote = characters[index]
            index += 1
            var result = ""
            while index < characters.count, characters[index] != quote {
                result.unicodeScalars.append(characters[index])
                index += 1
            }
            guard consume(quote) else { throw fail("header: unterminated string") }
            return result
        }
        mutating func boolean(_ fail: (String) -> DataError) throws -> Bool {
            let rest = String(String.UnicodeScalarView(characters[index...].prefix(5)))
            if rest.hasPrefix("True") { index += 4; return true }
            if rest.hasPrefix("False") { index += 5; return false }
            throw fail("header: expected True or False at character \(index)")
        }
        mutating func tuple(_ fail: (String) -> DataError) throws -> [Int] {
            try expect("(", fail)
            var values: [Int] = []
            while true {
                skipSpace()
                if consume(")") { return values }
                var digits = ""
                while index < characters.count, ("0"..."9").contains(characters[index]) {
                    digits.unicodeScalars.append(characters[index])
                    index += 1
                    if digits.count > 18 { throw fail("header: shape dimension too large") }
                }
                if index < characters.count, characters[index] == "L" { index += 1 }   // Python 2 longs
                guard let value = Int(digits) else { throw fail("header: expected a dimension at character \(index)") }
                values.append(value)
                skipSpace()
                if consume(",") { continue }
                try expect(")", fail)
                return values
            }
        }
    }
}
