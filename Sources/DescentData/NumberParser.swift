/// Parses a decimal number from ASCII bytes without creating a `String`.
///
/// The common case (at most 19 significant digits, a power of ten within ±22)
/// is exact by Clinger's fast path (W. D. Clinger, "How to read floating point
/// numbers accurately", PLDI 1990): the mantissa and 10^e are both exact doubles,
/// so one multiplication or division rounds correctly. Anything else (long
/// mantissas, huge exponents, `inf`, `nan`, hex floats) falls back to Swift's
/// `Double(String)`.
///
/// ```swift
/// NumberParser.parse(bytes of " -12.5e1 ")   // -125.0
/// NumberParser.parse(bytes of "abc")         // nil
/// ```
public enum NumberParser {
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        guard start < end else { return nil }
        var index = start
        var negative = false
        if bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        else if bytes[index] == UInt8(ascii: "+") { index += 1 }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var digitCount = 0
        var exponent = 0
        var exact = true
        while index < end, bytes[index] &- 48 < 10 {
            let digit = UInt64(bytes[index] &- 48)
            if significantDigits < 19 {
                mantissa = mantissa * 10 + digit
                if mantissa != 0 { significantDigits += 1 }
            } else {
                exponent += 1
                if digit != 0 { exact = false }
            }
            digitCount += 1
            index += 1
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, bytes[index] &- 48 < 10 {
                let digit = UInt64(bytes[index] &- 48)
                if significantDigits < 19 {
                    mantissa = mantissa * 10 + digit
                    if mantissa != 0 { significantDigits += 1 }
                    exponent -= 1
                } else if digit != 0 {
                    exact = false
                }
                digitCount += 1
                index += 1
            }
        }
        guard digitCount > 0 else { return fallback(bytes, start, end) }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "-") { exponentNegative = true; index += 1 }
            else if index < end, bytes[index] == UInt8(ascii: "+") { index += 1 }
            var written = 0
            var exponentDigits = 0
            while index < end, bytes[index] &- 48 < 10 {
                if written < 100_000 { written = written * 10 + Int(bytes[index] &- 48) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == end else { return fallback(bytes, start, end) }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if exact, mantissa <= (1 << 53), exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            if exponent >= 0 { value *= powersOfTen[exponent] } else { value /= powersOfTen[-exponent] }
            return negative ? -value : value
        }
        return fallback(bytes, start, end)
    }

    /// The slow path, for decimal text only: digits, sign, point and exponent, or NaN and
    /// infinity spelled as NumPy and pandas read them (`nan`, `inf`, `infinity`, any case, signed).
    /// `Double(String)` alone would read `0x10` as 16 and stop `2\0garbage` at the NUL as 2.
    private static func fallback(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        guard end - start <= 400 else { return nil }
        let decimal = bytes[start..<end].allSatisfy { byte in
            byte &- 48 < 10 || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }
        if !decimal {
            var word = bytes[start..<end].map { $0 | 0x20 }   // ASCII lower case
            if let sign = word.first, sign == UInt8(ascii: "+") | 0x20 || sign == UInt8(ascii: "-") | 0x20 { word.removeFirst() }
            guard ["nan", "inf", "infinity"].contains(where: { Array($0.utf8) == word }) else { return nil }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        return Double(text)
    }

    /// Parses a Swift string (for target cells kept as text).
    public static func parse(_ text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }
}
