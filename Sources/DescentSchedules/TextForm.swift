/// Printing helpers for the schedules' text forms (see ``ScheduleParser`` for the language).
enum TextForm {
    /// Shortest text that reads back as the same `Double` (Swift's own round-trip formatting).
    static func number(_ value: Double) -> String { "\(value)" }

    static func numbers(_ values: [Double]) -> String {
        "[" + values.map(number).joined(separator: ", ") + "]"
    }

    static func integers(_ values: [Int]) -> String {
        "[" + values.map(String.init).joined(separator: ", ") + "]"
    }

    /// `name(label: value, ...)`; arguments whose value is `nil` are left out.
    static func call(_ name: String, _ arguments: [(String, String?)]) -> String {
        let listed = arguments.compactMap { label, value in value.map { "\(label): \($0)" } }
        return "\(name)(" + listed.joined(separator: ", ") + ")"
    }
}
