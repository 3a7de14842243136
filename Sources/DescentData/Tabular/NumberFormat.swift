import Foundation

/// How the numbers of a raw table's column are written, found by `TabularProfile` and kept in the model file
/// (`ColumnEncoding.numberFormat`, `TargetEncoding.numberFormat`) so that prediction reads a file as training did.
///
/// * `plain`: `NumberParser`'s numbers (`1234.5`, `-3`, `1e-3`).
/// * `thousandsSeparators`: commas grouping the digits in threes before a decimal point, as spreadsheets and
///   statistics offices export them in English (`"1,234"`, `"1,234,567.5"`; a quoted cell in a comma-separated
///   file); plain numbers are read too. A comma elsewhere (`"1,5"`, `"12,34"`) is not a number.
/// * `decimalComma`: a comma for the decimal point, as European spreadsheets write numbers (`27,5`, `-79,0`),
///   optionally with points grouping the digits in threes (`1.234,5`); integers are read too. A point elsewhere
///   (`1.5`) is not a number.
///
/// * `accounting`, `accountingDecimalComma`: numbers as a spreadsheet's currency, percent and accounting formats show
///   them, in the grouping of `thousandsSeparators` or `decimalComma`: a currency sign before or after (`$1,234.50`,
///   `-$5`, `12,50 €`), a percent sign after (`13.99%`, read as 13.99), a negative in parentheses (`(3.936)`,
///   `($1,234.50)`); plain numbers are read too.
///
/// ```swift
/// NumberFormat.accounting.parse("($1,234.50)")        // -1234.5
/// NumberFormat.accounting.parse("13.99%")             // 13.99
/// NumberFormat.accountingDecimalComma.parse("12,50 €") // 12.5
/// NumberFormat.thousandsSeparators.parse("215,000")   // 215000
/// NumberFormat.thousandsSeparators.parse("2,5")       // nil
/// NumberFormat.decimalComma.parse("-79,5")            // -79.5
/// NumberFormat.decimalComma.parse("1.234,5")          // 1234.5
/// NumberFormat.decimalComma.parse("1.5")              // nil
/// ```
public enum NumberFormat: String, Codable, Sendable, CaseIterable {
    case plain
    case thousandsSeparators = "thousands_separators"
    case decimalComma = "decimal_comma"
    case accounting
    case accountingDecimalComma = "accounting_decimal_comma"

    /// The signs a currency, percent or accounting format adds around a number.
    static let currencySigns: Set<Character> = ["$", "€", "£", "¥"]
    static let decorations: Set<Character> = currencySigns.union(["%", "(", ")"])

    /// The number inside a decorated cell and whether it is negative: "($1,234.50)" → ("1,234.50", true),
    /// "-$5" → ("5", true), "13.99%" → ("13.99", false); nil when a sign is left over or the body is empty.
    static func undecorated(_ text: String) -> (body: String, negative: Bool)? {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        var negative = false
        if body.first == "(" && body.last == ")" {
            negative = true
            body = body.dropFirst().dropLast()
        }
        func trim() { while let first = body.first, first == " " || first == "\u{00A0}" { body = body.dropFirst() }
                      while let last = body.last, last == " " || last == "\u{00A0}" { body = body.dropLast() } }
        trim()
        if !negative, body.first == "-" { negative = true; body = body.dropFirst() }
        if let first = body.first, currencySigns.contains(first) { body = body.dropFirst(); trim() }
        else if let last = body.last, currencySigns.contains(last) { body = body.dropLast(); trim() }
        if body.last == "%" { body = body.dropLast(); trim() }
        if !negative, body.first == "-" { negative = true; body = body.dropFirst() }
        guard let first = body.first, first.isASCII, first.isNumber || first == ".",
              !body.contains(where: { decorations.contains($0) }) else { return nil }
        return (String(body), negative)
    }

    /// The value of `text` written in this format, nil when it is not a number so written.
    public func parse(_ text: String) -> Double? {
        switch self {
        case .plain:
            return NumberParser.parse(text)
        case .thousandsSeparators:
            guard text.contains(",") else { return NumberParser.parse(text) }
            guard Self.isGrouped(text, group: UInt8(ascii: ","), decimal: UInt8(ascii: ".")) else { return nil }
            return NumberParser.parse(text.replacingOccurrences(of: ",", with: ""))
        case .decimalComma:
            var digits = text
            if text.contains(".") {
                guard Self.isGrouped(text, group: UInt8(ascii: "."), decimal: UInt8(ascii: ",")) else { return nil }
                digits = text.replacingOccurrences(of: ".", with: "")
            }
            guard digits.utf8.filter({ $0 == UInt8(ascii: ",") }).count <= 1 else { return nil }
            let plain = digits.replacingOccurrences(of: ",", with: ".")
            // Digits, a sign and one separator only: "1,5e3" and "inf" are not European numbers.
            guard plain.utf8.allSatisfy({ (48...57).contains($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
                                            || $0 == UInt8(ascii: "+") }) else { return nil }
            return NumberParser.parse(plain)
        case .accounting, .accountingDecimalComma:
            if let value = NumberParser.parse(text) { return value }
            guard let (body, negative) = Self.undecorated(text),
                  let value = (self == .accounting ? NumberFormat.thousandsSeparators : .decimalComma).parse(body) else { return nil }
            return negative ? -value : value
        }
    }

    /// Whether the format reads currency, percent and accounting signs.
    public var isAccounting: Bool { self == .accounting || self == .accountingDecimalComma }

    /// Whether `text` is a sign, one to three digits, one or more groups of `group` and three digits, then optionally
    /// `decimal` and digits: "1,234", "-12,345,678.25" for (",", ".").
    static func isGrouped(_ text: String, group: UInt8, decimal: UInt8) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
        let lead = bytes.prefix { isDigit($0) }.count
        guard (1...3).contains(lead) else { return false }
        bytes = bytes.dropFirst(lead)
        var groups = 0
        while bytes.first == group {
            let digits = bytes.dropFirst().prefix { isDigit($0) }
            guard digits.count == 3 else { return false }
            bytes = bytes.dropFirst(4)
            groups += 1
        }
        guard groups > 0 else { return false }
        if bytes.first == decimal {
            bytes = bytes.dropFirst()
            guard !bytes.isEmpty, bytes.allSatisfy(isDigit) else { return false }
            return true
        }
        return bytes.isEmpty
    }

    /// The format in which every one of `texts` (a column's distinct present cells) is a number, when they are not all
    /// plain numbers: nil when some cell without a comma is not a plain number, or no format reads them all, or a format
    /// would read a plain number otherwise — unless that number is written in the format's own grouping (in a column
    /// with decimal commas, "1.013" beside "1.009,5" is 1013). In a file separated by `;` a decimal comma is tried
    /// first (European spreadsheets), else thousands separators first — "1,234" reads as either. Cells with a currency,
    /// percent or parenthesis sign are tried in the accounting formats (in the same order) when no other reads them all.
    static func detect(_ texts: some Collection<String>, delimiter: UInt8) -> NumberFormat? {
        let unusual = texts.filter { NumberParser.parse($0).map { !$0.isFinite } ?? true }
        guard !unusual.isEmpty else { return nil }
        let decorated = unusual.contains { $0.contains(where: { decorations.contains($0) }) }
        guard unusual.allSatisfy({ $0.contains(",") || $0.contains(where: { decorations.contains($0) }) }) else { return nil }
        var order: [NumberFormat] = delimiter == UInt8(ascii: ";") ? [.decimalComma, .thousandsSeparators]
            : [.thousandsSeparators, .decimalComma]
        if decorated { order = order.map { $0 == .decimalComma ? .accountingDecimalComma : .accounting } }
        return order.first { format in
            texts.allSatisfy { text in
                guard let value = format.parse(text), value.isFinite, Float(value).isFinite else { return false }
                if (format == .decimalComma || format == .accountingDecimalComma)
                    && isGrouped(text, group: UInt8(ascii: "."), decimal: UInt8(ascii: ",")) { return true }
                return NumberParser.parse(text).map { $0 == value } ?? true
            }
        }
    }
}
