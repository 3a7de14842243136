/// A date (and time) as a raw table writes it: `2016-08-15`, `2016/01/01 00:47:36`, `2013-01-01T05:00:00Z` —
/// ISO 8601's order, year first (R, pandas, SQL and most exports write it so; day-first and month-first dates are
/// ambiguous and stay text). A column of them has the role `date` (`TabularProfile`) and becomes numbers a network
/// can use (`DatePart`, fastai's `add_datepart` is the anchor): days since 1970, year, month, day, day of week, day
/// of year, and the hour when the cells have times.
///
/// ```swift
/// let cell = DateCell.parse("2016/01/01 06:30:00")!
/// cell.daysSinceEpoch                 // 16801
/// DatePart.dayOfWeek.value(of: cell)  // 5 (a Friday; Monday is 1)
/// DatePart.hour.value(of: cell)       // 6.5
/// DateCell.parse("01/02/2016")        // nil: month or day first is ambiguous
/// ```
public struct DateCell: Equatable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int
    /// Seconds since midnight (nil: a date without a time).
    public var secondsOfDay: Double?

    /// The date of `text`, nil when it is not a year-first date (with an optional time: `T` or a space, `HH:MM`,
    /// optional `:SS` and fraction, optional `Z`) or names a day that does not exist (2019-02-29).
    public static func parse(_ text: String) -> DateCell? {
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
        guard bytes.count >= 8, let year = number(maximumDigits: 4, minimumDigits: 4), index < bytes.count else { return nil }
        let separator = bytes[index]
        guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") else { return nil }
        index += 1
        guard let month = number(maximumDigits: 2), index < bytes.count, bytes[index] == separator else { return nil }
        index += 1
        guard let day = number(maximumDigits: 2), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else {
            return nil
        }
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
        if index < bytes.count, bytes[index] == UInt8(ascii: "Z") { index += 1 }
        guard index == bytes.count else { return nil }
        cell.secondsOfDay = Double(hour * 3600 + minute * 60) + seconds
        return cell
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
