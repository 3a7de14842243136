/// What a scalar is: by its tag when it has one, else quoted text is text and plain text is read by
/// YAML 1.2's core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution). A plain scalar that
/// YAML 1.1 reads otherwise is refused in words, naming the key it belongs to:
///
/// | plain text | YAML 1.1 (PyYAML) | YAML 1.2 (ruamel.yaml) | here |
/// |---|---|---|---|
/// | `yes`, `No`, `on`, `OFF` | boolean | text | refused: write true/false, or quote it |
/// | `010`, `00`, `012.5` | octal 8, 0, 12.5 | 10, 0, 12.5 | refused: leading zeros |
/// | `0o17`, `0x1F`, `0b101` | text, 31, 5 | 15, 31, text | refused: not decimal |
/// | `1_000`, `1:30` | 1000, 90 | text | refused |
/// | `2024-01-31` | a date | a date (ruamel) | refused: no setting takes a date |
/// | `5e-2`, `1.0e5`, `+.5` | text | float | float |
/// | `y`, `n` | text (PyYAML) | text | text |
///
/// Example: `epochs: 010` throws `'epochs': 010 is not a decimal number …`; `rate: 5e-2` is 0.05.
extension YAMLParser {
    /// The value of a scalar of `text`, counted as one node.
    mutating func scalar(_ text: String, plain: Bool, tag: YAMLProperties.Tag?, mark: YAMLMark) throws -> ConfigurationValue {
        try count(1)
        // The non-specific tag `!` changes nothing (as ruamel.yaml and PyYAML read it).
        if let tag, tag.name != "!" {
            switch tag.name {
            case "!!str": return .string(text)
            case "!!null": return .null
            case "!!bool":
                if ["true", "True", "TRUE"].contains(text) { return .boolean(true) }
                if ["false", "False", "FALSE"].contains(text) { return .boolean(false) }
                throw error("\(owner)'\(cut(text))' is not a boolean (!!bool takes true or false)", at: mark, kind: .refused)
            case "!!int":
                let value = try resolve(text, mark: mark)
                guard case .integer = value else {
                    throw error("\(owner)'\(cut(text))' is not an integer in decimal digits (!!int)", at: mark, kind: .refused)
                }
                return value
            case "!!float":
                switch try resolve(text, mark: mark) {
                case let .integer(number): return .float(Double(number))
                case let .float(number): return .float(number)
                default: throw error("\(owner)'\(cut(text))' is not a number (!!float)", at: mark, kind: .refused)
                }
            case "!!seq", "!!map":
                throw error("the tag \(tag.name) cannot be on a scalar", at: tag.mark, kind: .refused)
            default:
                throw error("the tag '\(cut(tag.name))' is not read (only !!str, !!int, !!float, !!bool, !!null, !!seq and !!map)",
                            at: tag.mark, kind: .refused)
            }
        }
        guard plain else { return .string(text) }
        return try resolve(text, mark: mark)
    }

    /// "'key': " for a value under a key, else "".
    var owner: String { key.map { "'\(cut($0))': " } ?? "" }

    /// A plain scalar by the core schema, refusing what YAML 1.1 reads otherwise.
    mutating func resolve(_ text: String, mark: YAMLMark) throws -> ConfigurationValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .boolean(true)
        case "false", "False", "FALSE": return .boolean(false)
        case "yes", "Yes", "YES", "on", "On", "ON", "no", "No", "NO", "off", "Off", "OFF":
            let truth = ["yes", "Yes", "YES", "on", "On", "ON"].contains(text)
            throw error("\(owner)\(text) is \(truth) in YAML 1.1 and the text \"\(text)\" in YAML 1.2; write \(truth) "
                + "(or \"\(text)\" in quotes for the text)", at: mark, kind: .refused)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        let utf8 = Array(text.utf8)
        guard let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            || Self.isDigit(first) else { return .string(text) }
        if Self.isDate(utf8) {
            throw error("\(owner)\(cut(text)) is a date or time, which no setting takes; write it in quotes if it is text",
                        at: mark, kind: .refused)
        }
        let unsigned = first == UInt8(ascii: "-") || first == UInt8(ascii: "+") ? Array(utf8.dropFirst()) : utf8
        let digits = unsigned.prefix(while: Self.isDigit)
        // What YAML 1.1 reads as a number and YAML 1.2 as another number or as text.
        let prefixed = unsigned.count > 2 && unsigned[0] == UInt8(ascii: "0") && "xXoObB".utf8.contains(unsigned[1])
            && unsigned.dropFirst(2).allSatisfy { Self.hexValue($0) != nil || $0 == UInt8(ascii: "_") }
        let startsLikeNumber = !digits.isEmpty || (unsigned.count > 1 && unsigned[0] == UInt8(ascii: ".") && Self.isDigit(unsigned[1]))
        let numberLike = startsLikeNumber && unsigned.allSatisfy {
            Self.isDigit($0) || "_:.eE+-".utf8.contains($0)
        }
        let leadingZero = digits.count > 1 && digits.first == UInt8(ascii: "0") && numberLike
        let underscoreOrColon = numberLike && (unsigned.contains(UInt8(ascii: "_")) || unsigned.contains(UInt8(ascii: ":")))
            && (Self.isYAML11Number(unsigned) || unsigned[0] == UInt8(ascii: "."))
        if prefixed || leadingZero || underscoreOrColon {
            let suggestion = leadingZero && unsigned.allSatisfy(Self.isDigit) ? String(Int(String(decoding: digits, as: UTF8.self)) ?? 0) : "10"
            throw error("\(owner)\(cut(text)) is not a decimal number (YAML 1.1 reads leading zeros as octal, '_' and ':' as digits, "
                + "YAML 1.2 '0o' as octal); write it in decimal digits, e.g. \(suggestion)", at: mark, kind: .refused)
        }
        // YAML 1.2: [-+]? [0-9]+ is an integer; [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? a float.
        if !digits.isEmpty && digits.count == unsigned.count {
            guard let number = Int64(text) else {
                throw error("\(owner)the integer \(cut(text)) does not fit in 64 bits", at: mark, kind: .refused)
            }
            return .integer(number)
        }
        if Self.isCoreFloat(unsigned), let number = Double(text) { return .float(number) }
        return .string(text)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?` (the sign already taken).
    static func isCoreFloat(_ text: [UInt8]) -> Bool {
        var position = 0
        let whole = text.prefix(while: isDigit).count
        position = whole
        var fraction = 0
        if position < text.count, text[position] == UInt8(ascii: ".") {
            position += 1
            fraction = text[position...].prefix(while: isDigit).count
            position += fraction
        }
        guard whole > 0 || fraction > 0 else { return false }
        if position < text.count, text[position] == UInt8(ascii: "e") || text[position] == UInt8(ascii: "E") {
            position += 1
            if position < text.count, text[position] == UInt8(ascii: "-") || text[position] == UInt8(ascii: "+") { position += 1 }
            let exponent = text[position...].prefix(while: isDigit).count
            guard exponent > 0 else { return false }
            position += exponent
        }
        return position == text.count
    }

    /// YAML 1.1's integers and floats with '_' or base 60 (the sign already taken): `[0-9][0-9_]*(:[0-5]?[0-9])*(\.[0-9_]*)?([eE][-+][0-9]+)?`.
    static func isYAML11Number(_ text: [UInt8]) -> Bool {
        guard let first = text.first, isDigit(first) else { return false }
        var position = text.prefix { isDigit($0) || $0 == UInt8(ascii: "_") }.count
        while position < text.count, text[position] == UInt8(ascii: ":") {
            let group = text[(position + 1)...].prefix(while: isDigit).count
            guard group == 1 || group == 2 else { return false }
            if group == 2, text[position + 1] > UInt8(ascii: "5") { return false }
            position += 1 + group
        }
        if position < text.count, text[position] == UInt8(ascii: ".") {
            position += 1
            position += text[position...].prefix { isDigit($0) || $0 == UInt8(ascii: "_") }.count
        }
        if position < text.count, text[position] == UInt8(ascii: "e") || text[position] == UInt8(ascii: "E") {
            position += 1
            if position < text.count, text[position] == UInt8(ascii: "-") || text[position] == UInt8(ascii: "+") { position += 1 }
            let exponent = text[position...].prefix(while: isDigit).count
            guard exponent > 0 else { return false }
            position += exponent
        }
        return position == text.count
    }

    /// YAML 1.1's timestamp: `YYYY-MM-DD`, or `YYYY-M-D` followed by `T` or blanks and `H:MM:SS(.f)? (Z|±H(:MM)?)?`.
    static func isDate(_ text: [UInt8]) -> Bool {
        func digits(_ from: Int, _ count: ClosedRange<Int>) -> Int? {
            var end = from
            while end < text.count, isDigit(text[end]), end - from < count.upperBound { end += 1 }
            return count.contains(end - from) ? end : nil
        }
        guard let year = digits(0, 4...4), year < text.count, text[year] == UInt8(ascii: "-"),
              let month = digits(year + 1, 1...2), month < text.count, text[month] == UInt8(ascii: "-"),
              let day = digits(month + 1, 1...2) else { return false }
        if day == text.count { return month - year == 3 && day - month == 3 }
        var position = day
        if text[position] == UInt8(ascii: "T") || text[position] == UInt8(ascii: "t") {
            position += 1
        } else {
            let blanks = text[position...].prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
            guard blanks > 0 else { return false }
            position += blanks
        }
        guard let hour = digits(position, 1...2), hour < text.count, text[hour] == UInt8(ascii: ":"),
              let minute = digits(hour + 1, 2...2), minute < text.count, text[minute] == UInt8(ascii: ":"),
              var end = digits(minute + 1, 2...2) else { return false }
        if end < text.count, text[end] == UInt8(ascii: ".") { end = digits(end + 1, 0...64) ?? end + 1 }
        end += text[end...].prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
        if end == text.count { return true }
        if text[end] == UInt8(ascii: "Z") { return end + 1 == text.count }
        guard text[end] == UInt8(ascii: "-") || text[end] == UInt8(ascii: "+"), let zone = digits(end + 1, 1...2) else { return false }
        if zone == text.count { return true }
        guard text[zone] == UInt8(ascii: ":"), let minutes = digits(zone + 1, 2...2) else { return false }
        return minutes == text.count
    }
}
