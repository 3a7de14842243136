/// Windows-1252 ("ANSI", Latin-1 with printable characters in 0x80…0x9F), the encoding Excel on Windows saves a
/// "CSV (Comma delimited)" file in: a raw table whose bytes are not UTF-8 is read in it (`RawTable`, `RawTableReader`),
/// since every byte is a character there, rather than refused. UTF-8 stays the first reading: a file that is valid
/// UTF-8 is never read otherwise.
///
/// ```swift
/// Windows1252.utf8(from: [0x43, 0x61, 0x66, 0xE9])      // "Café" in UTF-8: [0x43, 0x61, 0x66, 0xC3, 0xA9]
/// Windows1252.utf8(from: [0x80])                         // "€": [0xE2, 0x82, 0xAC]
/// ```
public enum Windows1252 {
    /// The characters of 0x80…0x9F (the five bytes Windows leaves undefined are read as Latin-1's control characters).
    static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// The UTF-8 bytes of `bytes` read as Windows-1252 (ASCII bytes, `"` and line breaks among them, are unchanged).
    public static func utf8(from bytes: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 { out.append(byte); continue }
            let scalar = (0x80...0x9F).contains(byte) ? high[Int(byte - 0x80)] : UInt32(byte)
            out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "?")).utf8))
        }
        return out
    }
}
