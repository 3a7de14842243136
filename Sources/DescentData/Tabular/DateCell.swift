/// A date (and time) as a raw table writes it: `2016-08-15`, `2016/01/01 00:47:36`, `2013-01-01T05:00:00Z`,
/// `2013-01-01 05:00:00-05:00` (ISO 8601's order, year first: R, pandas, SQL and most exports write it so), `Dec 31 2020`,
/// `31-Dec-2020` (a month's name), or `31/12/2020` and `12/31/2020` in the order its column shows (`DateOrder`). A column of them has the role `date` (`TabularProfile`) and becomes numbers a network
/// can use (`DatePart`, fastai's `add_datepart` is the anchor): days since 1970, year, month, day, day of week, day
/// of year, and the hour when the cells have times.
///
/// ```swift
/// let cell = DateCell.parse("2016/01/01 06:30:00")!
/// cell.daysSinceEpoch                 // 16801
/// DatePart.dayOfWeek.value(of: cell)  // 5 (a Friday; Monday is 1)
/// DatePart.hour.value(of: cell)       // 6.5
/// DateCell.parse("01/02/2016")        // nil: month or day first is the column's to tell
/// DateCell.parse("31/12/2016", order: .dayFirst)!.month   // 12
/// DateCell.parse("Dec 31, 2016")!.day                     // 31
/// ```
/// The order of a date's numeric fields when the year comes last: `31/12/2020` (day first, as Europe writes dates) or
/// `12/31/2020` (month first, as the United States writes them). A column's order is found from its cells
/// (`TabularProfile`: a first field above 12 is a day, a second above 12 is a day) and kept in the model file.
public enum DateOrder: String, Codable, Sendable, CaseIterable {
    /// Year first only (ISO 8601): `2020-12-31`; also the unambiguous forms with a month's name.
    case yearFirst = "year_first"
    /// `31/12/2020`, `31.12.2020`, `31-12-2020`.
    case dayFirst = "day_first"
    /// `12/31/2020`.
    case monthFirst = "month_first"
}

public struct DateCell: Equatable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int
    /// Seconds since midnight (nil: a date without a time).
    public var secondsOfDay: Double?

    public init(year: Int, month: Int, day: Int, secondsOfDay: Double? = nil) {
        self.year = year
        self.month = month
        self.day = day
        self.secondsOfDay = secondsOfDay
    }

    /// English month names and their three-letter abbreviations ("Jan", "January"; "Sept" too), lowercased.
    static let monthNames: [String: Int] = {
        let names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                     "november", "december"]
        var table: [String: Int] = ["sept": 9]
        for (index, name) in names.enumerated() {
            table[name] = index + 1
            table[String(name.prefix(3))] = index + 1
        }
        return table
    }()

    /// The date of `text`, nil when it is not a date in one of these forms or names a day that does not exist
    /// (2019-02-29):
    /// * year first (every order): `2016-08-15`, `2016/08/15`;
    /// * a month's English name (every order): `Dec 31 2020`, `Dec 31, 2020`, `December 31, 2020`, `31 Dec 2020`,
    ///   `31-Dec-2020`;
    /// * with `order` `.dayFirst`: `31/12/2020`, `31.12.2020`, `31-12-2020`; `.monthFirst`: `12/31/2020`, `12-31-2020`;
    /// each with an optional time (`T` or a space, `HH:MM`, optional `:SS` and fraction) and zone (`Z`, `+01:00`,
    /// `-0500`, ` UTC`): the parts are the time as written (the local time of day; the zone is not applied).
    public static func parse(_ text: String, order: DateOrder = .yearFirst) -> DateCell? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(maximumDigits: Int, minimumDigits: Int = 1) -> Int? {
            var value = 0, digits = 0
            while index < bytes.count, digits < maximumDigits, (48...57).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
                digits += 1
            }
            return digits >= minimumDigits ? value : nil
        }
        func monthName() -> Int? {
            let start = index
            while index < bytes.count, (65...90).contains(bytes[index]) || (97...122).contains(bytes[index]) { index += 1 }
            let word = String(decoding: bytes[start..<index], as: UTF8.self).lowercased()
            if index < bytes.count, bytes[index] == UInt8(ascii: "."), index > start { index += 1 }   // "Dec."
            return monthNames[word]
        }
        func skip(_ characters: String) { while index < bytes.count, characters.utf8.contains(bytes[index]) { index += 1 } }
        guard bytes.count >= 6 else { return nil }
        var year = 0, month = 0, day = 0
        let startsWithDigit = (48...57).contains(bytes[0])
        let leadingDigits = bytes.prefix { (48...57).contains($0) }.count
        if startsWithDigit && leadingDigits == 4 {
            // Year first: 2016-08-15, 2016/08/15.
            guard let parsedYear = number(maximumDigits: 4, minimumDigits: 4), index < bytes.count else { return nil }
            let separator = bytes[index]
            guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") else { return nil }
            index += 1
            guard let parsedMonth = number(maximumDigits: 2), index < bytes.count, bytes[index] == separator else { return nil }
            index += 1
            guard let parsedDay = number(maximumDigits: 2) else { return nil }
            (year, month, day) = (parsedYear, parsedMonth, parsedDay)
        } else if startsWithDigit {
            // 31/12/2020, 12/31/2020, 31.12.2020, 31 Dec 2020, 31-Dec-2020.
            guard let first = number(maximumDigits: 2), index < bytes.count else { return nil }
            let separator = bytes[index]
            guard separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-") || separator == UInt8(ascii: ".")
                    || separator == UInt8(ascii: " ") else { return nil }
            index += 1
            if index < bytes.count, !(48...57).contains(bytes[index]) {
                guard let named = monthName(), index < bytes.count, bytes[index] == separator
                        || (separator == UInt8(ascii: " ") && bytes[index] == UInt8(ascii: ",")) else { return nil }
                skip(", ")
                if separator != UInt8(ascii: " ") { index += 1 }
                (month, day) = (named, first)
            } else {
                guard separator != UInt8(ascii: " "), let second = number(maximumDigits: 2), index < bytes.count,
                      bytes[index] == separator else { return nil }
                index += 1
                switch order {
                case .yearFirst: return nil
                case .dayFirst: (day, month) = (first, second)
                case .monthFirst:
                    guard separator != UInt8(ascii: ".") else { return nil }
                    (month, day) = (first, second)
                }
            }
            guard let parsedYear = number(maximumDigits: 4, minimumDigits: 4) else { return nil }
            year = parsedYear
        } else {
            // Dec 31 2020, Dec 31, 2020, December 31, 2020.
            guard let named = monthName(), index < bytes.count, bytes[index] == UInt8(ascii: " ") else { return nil }
            skip(" ")
            guard let parsedDay = number(maximumDigits: 2) else { return nil }
            skip(", ")
            guard let parsedYear = number(maximumDigits: 4, minimumDigits: 4) else { return nil }
            (year, month, day) = (parsedYear, named, parsedDay)
        }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        var cell = DateCell(year: year, month: month, day: day, secondsOfDay: nil)
        guard index < bytes.count else { return cell }
        guard bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: " ") else { return nil }
        index += 1
        guard let hour = number(maximumDigits: 2), hour < 24, index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        guard let minute = number(maximumDigits: 2, minimumDigits: 2), minute < 60 else { return nil }
        var seconds = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            index += 1
            guard let whole = number(maximumDigits: 2, minimumDigits: 2), whole < 61 else { return nil }
            seconds = Double(whole)
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                var scale = 0.1
                let start = index
                while index < bytes.count, (48...57).contains(bytes[index]) {
                    seconds += Double(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
                guard index > start else { return nil }
            }
        }
        // The zone: Z, +01:00, -0500, +01, " UTC", " GMT".
        if index < bytes.count, bytes[index] == UInt8(ascii: "Z") {
            index += 1
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            index += 1
            guard let zoneHours = number(maximumDigits: 2, minimumDigits: 2), zoneHours <= 14 else { return nil }
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") { index += 1 }
            if index < bytes.count { guard let zoneMinutes = number(maximumDigits: 2, minimumDigits: 2), zoneMinutes < 60 else { return nil } }
        } else if bytes.count - index == 4, [" UTC", " GMT"].contains(String(decoding: bytes[index...], as: UTF8.self)) {
            index = bytes.count
        }
        guard index == bytes.count else { return nil }
        cell.secondsOfDay = Double(hour * 3600 + minute * 60) + seconds
        return cell
    }

    /// The order of a column's dates written with the year last (`31/12/2020`, `12/31/2020`), from its distinct `texts`:
    /// day first when a first field is above 12, month first when a second is; when no field tells (every day ≤ 12),
    /// day first in a file separated by `;` or with dates written `31.12.2020` (European), else month first (as
    /// pandas reads them). Nil when some cell is not such a date in the order found, or both fields exceed 12 somewhere.
    static func order(of texts: some Collection<String>, delimiter: UInt8) -> DateOrder? {
        var firstAbove12 = false, secondAbove12 = false, dotted = false
        for text in texts {
            let fields = text.prefix { $0 != " " && $0 != "T" }.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" })
            guard fields.count == 3, fields[2].count == 4, let first = Int(fields[0]), let second = Int(fields[1]) else { continue }
            if first > 12 { firstAbove12 = true }
            if second > 12 { secondAbove12 = true }
            if text.contains(".") { dotted = true }
        }
        if firstAbove12 && secondAbove12 { return nil }
        let order: DateOrder = firstAbove12 ? .dayFirst : secondAbove12 ? .monthFirst
            : (delimiter == UInt8(ascii: ";") || dotted) ? .dayFirst : .monthFirst
        return texts.allSatisfy({ parse($0, order: order) != nil }) ? order : nil
    }

    /// Days from 1970-01-01 to this date (negative before), by the proleptic Gregorian calendar
    /// (H. Hinnant's `days_from_civil`).
    public var daysSinceEpoch: Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// One number taken from a date for the network (a column of dates gives one input per part, each standardised).
public enum DatePart: String, Codable, Sendable, CaseIterable {
    /// Days since 1970-01-01, with the time of day as a fraction: the trend.
    case elapsedDays = "elapsed_days"
    case year, month, day
    /// 1 (Monday) … 7 (Sunday), ISO 8601's numbering.
    case dayOfWeek = "day_of_week"
    /// 1 … 366.
    case dayOfYear = "day_of_year"
    /// The hour with its minutes and seconds as a fraction (only for cells with times).
    case hour

    /// The parts a column gives: all but `hour`, and `hour` when its cells have times.
    public static func parts(withTime: Bool) -> [DatePart] { withTime ? allCases : allCases.filter { $0 != .hour } }

    /// This part of `cell`.
    public func value(of cell: DateCell) -> Double {
        let days = cell.daysSinceEpoch
        switch self {
        case .elapsedDays: return Double(days) + (cell.secondsOfDay ?? 0) / 86_400
        case .year: return Double(cell.year)
        case .month: return Double(cell.month)
        case .day: return Double(cell.day)
        case .dayOfWeek: return Double(((days % 7) + 7 + 3) % 7 + 1)   // 1970-01-01 was a Thursday (4)
        case .dayOfYear: return Double(days - DateCell(year: cell.year, month: 1, day: 1).daysSinceEpoch + 1)
        case .hour: return (cell.secondsOfDay ?? 0) / 3600
        }
    }
}
