import Foundation

/// Fixed, locale-independent text for numbers in charts and reports, so the same data always
/// gives byte-identical SVG and HTML.
///
/// Tick labels use as many decimals as the tick step needs (`0.2` → `"0.2"`, `5` → `"5"`), and
/// scientific notation for very small or large magnitudes (`0.00001` → `"1e-5"`).
/// Coordinates are written with two decimals (`12.345` → `"12.35"`).
public enum ChartNumberFormat {
    /// A coordinate with two decimals and no `-0.00`.
    public static func coordinate(_ value: Double) -> String {
        let text = String(format: "%.2f", value)
        return text == "-0.00" ? "0.00" : text
    }

    /// A tick label for `value` on a linear axis whose ticks are `step` apart.
    public static func linearTick(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = Swift.max(Swift.abs(value), step)
        if magnitude >= 1e6 || step < 1e-4 { return scientific(value, significantDigits: significantDigits(value, step: step)) }
        let decimals = Swift.max(0, Int(-floor(log10(step) + 1e-9)))
        return trimmed(String(format: "%.\(decimals)f", value))
    }

    /// A tick label on a log axis: plain for 0.001…10000, `1e-5` style outside.
    public static func logTick(_ value: Double) -> String {
        let exponent = log10(value)
        if exponent >= -3 - 1e-9 && exponent <= 4 + 1e-9 {
            let decimals = Swift.max(0, Int(-floor(exponent + 1e-9)))
            return trimmed(String(format: "%.\(decimals)f", value))
        }
        return scientific(value, significantDigits: 1)
    }

    /// A value for a table or tooltip: up to `significantDigits` digits, scientific when tiny or huge;
    /// `nan`, `inf`, `-inf` for non-finite values.
    public static func value(_ value: Double, significantDigits: Int = 4) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return "0" }
        let magnitude = Swift.abs(value)
        if magnitude < 1e-3 || magnitude >= 1e6 { return scientific(value, significantDigits: significantDigits) }
        let digitsBeforePoint = Int(floor(log10(magnitude))) + 1
        let decimals = Swift.max(0, significantDigits - digitsBeforePoint)
        return trimmed(String(format: "%.\(decimals)f", value))
    }

    /// `value` as `m.mmme±x` with no `+` and no leading zeros in the exponent (`2.5e-4`).
    static func scientific(_ value: Double, significantDigits: Int) -> String {
        let text = String(format: "%.\(Swift.max(significantDigits - 1, 0))e", value)
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = trimmed(String(text[..<e]))
        var exponent = String(text[text.index(after: e)...])
        let negative = exponent.hasPrefix("-")
        exponent = String(exponent.drop(while: { $0 == "+" || $0 == "-" }).drop(while: { $0 == "0" }))
        if exponent.isEmpty { exponent = "0" }
        return mantissa + "e" + (negative ? "-" : "") + exponent
    }

    private static func significantDigits(_ value: Double, step: Double) -> Int {
        let digits = Int(floor(log10(Swift.abs(value)) + 1e-9) - floor(log10(step) + 1e-9)) + 1
        return Swift.min(Swift.max(digits, 1), 15)
    }

    /// Drops trailing zeros after a decimal point ("0.50" → "0.5", "2.0" → "2").
    static func trimmed(_ text: String) -> String {
        guard text.contains("."), !text.contains("e") else { return text }
        var result = text
        while result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return result == "-0" ? "0" : result
    }
}
