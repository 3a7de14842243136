/// One column of a raw table as `TabularProfile` sees it: its role, how many distinct values and
/// missing cells it has, and why it got its role.
public struct ColumnProfile: Sendable, Equatable {
    /// The header name.
    public var name: String
    /// The 0-based position in the header.
    public var index: Int
    /// What training does with it.
    public var role: ColumnRole
    /// Distinct non-missing values.
    public var distinct: Int
    /// Missing cells (see `TabularOptions.missingValues`).
    public var missing: Int
    /// Why the column has its role, in words ("text", "every value distinct, 1 … 344", "--ignore").
    public var reason: String
    /// Whether every non-missing cell is a number.
    public var isNumeric = false
    /// How the column's numbers are written (`plain` unless every cell reads in another format: "1,234", "27,5").
    public var numberFormat: NumberFormat = .plain
    /// A date column's order of fields (`yearFirst` unless its dates are written `31/12/2020` or `12/31/2020`).
    public var dateOrder: DateOrder = .yearFirst

    public init(name: String, index: Int, role: ColumnRole, distinct: Int, missing: Int, reason: String) {
        self.name = name
        self.index = index
        self.role = role
        self.distinct = distinct
        self.missing = missing
        self.reason = reason
    }
}

/// The role of every column of a raw table, inferred by these rules in order (overrides first):
///
/// 1. the target column (`--target`, default the last) is the target;
/// 2. `--ignore` columns are ignored; `--categorical` columns are categorical; `--numeric` columns are
///    numeric (a cell that is not a number is then an error naming it);
/// 3. a column with one value (or none) in every non-missing cell and no missing cell is constant;
/// 4. yes/no, true/false, y/n, t/f (any case) or the numbers 0 and 1, two values in all, is boolean;
/// 5. a column whose every non-missing cell is a number is numeric — unless its values are distinct
///    integers forming a run (1, 2, 3 … in any order) or, in the first column of at least 10 rows, rising down the
///    file (2, 5, 9 …: R's row names after rows were removed), a row number: identifier; when at least 95% of the
///    cells are numbers (or at least half, and a cell starts like a number: "12abc", "0x10"), the first
///    that is not is an error (line, column) rather than a text column — unless every text value among the
///    numbers recurs (seen at least twice: grade 9 … 12 and "other", hours "<1", 1 … 4, "5+"), or there are at
///    least 10 distinct text values (ZIP codes beside ZIP+4 codes "98115-4820"), which makes the column
///    categorical, as pandas reads it: a typo is a value seen once, and one of a few; numbers written with thousands
///    separators (`"1,234"`) or decimal commas (`27,5`, in a file of `;`) are numbers (`NumberFormat`);
/// 6. a column of dates (`2016-08-15`, `2016/01/01 00:47:36`, `Dec 31 2020`, `31/12/2020` or `12/31/2020` in the order the
///    column shows, `DateOrder`; `DateCell`) is a date: its parts
///    (`DatePart`: days since 1970, year, month, day, day of week, day of year, hour) are numeric inputs;
/// 7. a text column whose every value is distinct (and present), or of at least 20 present cells 95% distinct
///    (licence numbers with a few repeats), is an identifier (names, keys);
///    other text is categorical.
///
/// ```swift
/// let table = try RawTable.read(path: "penguins.csv")
/// let profile = try TabularProfile(table: table, options: TabularOptions(target: "species"))
/// profile.columns.map(\.role)   // [.identifier, .target, .categorical, .numeric, .numeric, .numeric, .numeric, .categorical, .numeric]
/// profile.ignoredColumns        // ["rownames"]
/// ```
public struct TabularProfile: Sendable, Equatable {
    /// Every column in header order.
    public var columns: [ColumnProfile]
    /// The target column's position.
    public var targetIndex: Int

    /// The columns training drops, by name, in header order.
    public var ignoredColumns: [String] { columns.filter { $0.role.isDropped }.map(\.name) }
    /// The columns training reads, in header order.
    public var featureColumns: [ColumnProfile] { columns.filter { !$0.role.isDropped && $0.role != .target } }
    /// Whether the table is the plain kind `Dataset.loadCSV` reads as it is: every cell of every feature a
    /// number, none missing, no identifier and none ignored (a constant column is then kept, as before).
    public var isPlainNumeric: Bool {
        columns.allSatisfy { column in
            column.numberFormat == .plain && (column.role == .target
                || (column.isNumeric && column.missing == 0 && column.role != .identifier && column.role != .ignored))
        }
    }

    /// The fraction of numeric cells from which a non-number is a malformed cell rather than a sign of text.
    public static let numericShare = 0.95
    /// A text value seen at least this often among numbers is a level (the column is categorical), not a malformed cell.
    public static let recurringTextCount = 2
    /// This many distinct text values among numbers make the column codes (categorical), not numbers with typos.
    public static let codeTextValues = 10
    /// A text column with distinct values in at least this share of its present cells (and at least
    /// `nearlyDistinctMinimum` of them) is a key: an identifier.
    public static let nearlyDistinctShare = 0.95
    public static let nearlyDistinctMinimum = 20

    /// Infers the roles of `table`'s columns under `options`.
    /// - Throws: `DataError` naming the column: an unknown target or override name, a column named by two
    ///   overrides, a malformed cell in a (mostly) numeric column.
    public init(table: RawTable, options: TabularOptions) throws {
        let file = table.file
        let targetIndex: Int
        if let target = options.target {
            guard let index = table.index(of: target) else {
                throw DataError.invalidCSV(file: file, "unknown target column \"\(target)\"; the columns are: "
                                           + table.header.joined(separator: ", ") + RawTable.delimiterHint(header: table.header))
            }
            targetIndex = index
        } else {
            targetIndex = table.header.count - 1
        }
        for (flag, names) in [("--categorical", options.categorical), ("--numeric", options.numeric), ("--ignore", options.ignore)] {
            for name in names {
                guard let index = table.index(of: name) else {
                    throw DataError.invalidArgument(parameter: flag, "\(file) has no column \"\(name)\"; the columns are: "
                                                    + table.header.joined(separator: ", "))
                }
                if index == targetIndex {
                    throw DataError.invalidArgument(parameter: flag, "\"\(name)\" is the target column; it cannot be a feature or ignored")
                }
            }
        }
        let overlap = Set(options.categorical).intersection(options.numeric).union(Set(options.ignore).intersection(options.categorical + options.numeric))
        if let name = overlap.sorted().first {
            throw DataError.invalidArgument(parameter: "--categorical/--numeric/--ignore", "\"\(name)\" is named by more than one of them")
        }
        let missingCells = options.missingValues.isEmpty ? MissingCells([]) : options.missingCells
        var columns: [ColumnProfile] = []
        for (index, name) in table.header.enumerated() {
            columns.append(try Self.profile(column: index, name: name, table: table, isTarget: index == targetIndex,
                                            options: options, missingCells: missingCells))
        }
        self.columns = columns
        self.targetIndex = targetIndex
    }

    /// Why a cell is not read as a number: out of Float32's range, or not a (decimal) number at all.
    static func notANumber(_ text: String) -> String {
        if let value = NumberParser.parse(text), !value.isNaN {
            return "\(text.prefix(80)) is out of the Float32 range (±3.4028235e38)"
        }
        return CSVTable.notANumber(text)
    }

    /// Whether `text` begins as a number does: a digit, or a sign or point followed by a digit.
    static func startsLikeANumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8.prefix(3))
        func digit(_ index: Int) -> Bool { index < bytes.count && (48...57).contains(bytes[index]) }
        if digit(0) { return true }
        guard let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: ".") else { return false }
        return digit(1) || (bytes.count > 2 && bytes[1] == UInt8(ascii: ".") && digit(2))
    }

    static let booleanPairs: [Set<String>] = [["yes", "no"], ["true", "false"], ["y", "n"], ["t", "f"]]

    private static func profile(column: Int, name: String, table: RawTable, isTarget: Bool, options: TabularOptions,
                                missingCells: MissingCells) throws -> ColumnProfile {
        var counts: [String: Int] = [:]
        var missing = 0
        for row in table.rows {
            let cell = row[column]
            if missingCells.contains(cell) { missing += 1 } else { counts[cell, default: 0] += 1 }
        }
        let distinct = counts.count
        // Numbers among the distinct values (each parsed once).
        var numbers: [String: Double] = [:]
        var textCells = 0
        // Cells that are numbers beyond Float32's range (1e308, -1e308, inf): numbers, but not ones a model can take.
        var outOfRangeCells = 0
        for (text, count) in counts {
            if let value = NumberParser.parse(text), value.isFinite, Float(value).isFinite {
                numbers[text] = value
            } else {
                textCells += count
                if let value = NumberParser.parse(text), !value.isNaN { outOfRangeCells += count }
            }
        }
        // Numbers written with thousands separators ("1,234") or decimal commas ("27,5"): every present cell reads so.
        var format = NumberFormat.plain
        if textCells > 0, !options.categorical.contains(name), !options.ignore.contains(name),
           let found = NumberFormat.detect(counts.keys, delimiter: table.delimiter) {
            format = found
            numbers = counts.keys.reduce(into: [:]) { numbers, text in numbers[text] = found.parse(text) }
            textCells = 0
        }
        let present = table.count - missing
        func make(_ role: ColumnRole, _ reason: String) -> ColumnProfile {
            let written = format == .thousandsSeparators ? " (written with thousands separators: 1,234)"
                : format == .decimalComma ? " (written with decimal commas: 27,5)"
                : format.isAccounting ? " (written with currency, percent or accounting signs: $1,234.50, 12%, (3.5))" : ""
            var profile = ColumnProfile(name: name, index: column, role: role, distinct: distinct, missing: missing, reason: reason + written)
            profile.isNumeric = textCells == 0 && distinct > 0
            profile.numberFormat = format
            return profile
        }
        if isTarget { return make(.target, "--target") }
        if options.ignore.contains(name) { return make(.ignored, "--ignore") }
        if options.categorical.contains(name) { return make(.categorical, "--categorical") }
        func malformed(_ detail: String) -> DataError {
            // The first row (in file order) holding a cell that is not a number: one seen once (a typo) first, then
            // one that starts like a number, then any.
            let bad = { (cell: String) in !missingCells.contains(cell) && numbers[cell] == nil }
            let row = table.rows.firstIndex { bad($0[column]) && counts[$0[column]] == 1 }
                ?? table.rows.firstIndex { bad($0[column]) && Self.startsLikeANumber($0[column]) }
                ?? table.rows.firstIndex { bad($0[column]) } ?? 0
            return DataError.malformedCSV(file: table.file, line: table.lines[row], column: column + 1, columnName: name,
                                          Self.notANumber(table.rows[row][column]) + detail)
        }
        if options.numeric.contains(name) {
            if textCells > 0 { throw malformed(" (--numeric \(name))") }
            return make(.numeric, "--numeric")
        }
        // A column of numbers some of which are beyond Float32 (and no text): refused, naming the first such cell (was:
        // read as text — ±1e308 became a 2-level category, distinct huge values an ignored key, without a word).
        let malformedHint = " (\(present - textCells) of the column's \(present) cells are numbers: a malformed cell? "
            + "--categorical \(name) reads the column as categories, --missing-values adds a missing-value marker)"
        if outOfRangeCells > 0, outOfRangeCells == textCells { throw malformed(present > textCells ? malformedHint : "") }
        if distinct == 0 { return make(.constant, "every cell missing") }
        if distinct == 1 && missing == 0 && table.count >= 2 { return make(.constant, "a single value, \"\(counts.keys.first ?? "")\"") }
        // Year-first dates (and times): numbers of the date (DatePart), not categories of days never seen again.
        if textCells == present, distinct >= 2 {
            let keys = Array(counts.keys)
            if let order = keys.allSatisfy({ DateCell.parse($0) != nil }) ? .yearFirst : DateCell.order(of: keys, delimiter: table.delimiter) {
                let dates = keys.map { DateCell.parse($0, order: order) }
                var profile = make(.date, (dates.contains { $0?.secondsOfDay != nil } ? "dates and times" : "dates")
                                   + (order == .dayFirst ? ", day first (31/12/2020)" : order == .monthFirst ? ", month first (12/31/2020)" : ""))
                profile.dateOrder = order
                return profile
            }
        }
        if distinct <= 2 {
            let lowered = Set(counts.keys.map { $0.lowercased() })
            if booleanPairs.contains(where: { lowered.isSubset(of: $0) }) && distinct == lowered.count {
                return make(.boolean, lowered.sorted().joined(separator: "/"))
            }
            if textCells == 0, Set(numbers.values).isSubset(of: [0, 1]), distinct == 2 { return make(.boolean, "0/1") }
        }
        if textCells == 0 {
            if missing == 0, distinct == present, distinct >= 3 {
                let values = numbers.values
                if values.allSatisfy({ $0.rounded() == $0 }), let low = values.min(), let high = values.max() {
                    if high - low == Double(distinct - 1) {
                        return make(.identifier, "every value distinct, a run \(Int(low)) … \(Int(high)) (a row number)")
                    }
                    // Row numbers with gaps (rows removed), where R writes them: the first column, distinct integers
                    // rising down the file.
                    let inOrder = column == 0 && table.count >= 10 ? table.rows.map { numbers[$0[column]] ?? 0 } : []
                    if !inOrder.isEmpty && zip(inOrder, inOrder.dropFirst()).allSatisfy({ $0 < $1 }) {
                        return make(.identifier, "every value distinct, rising \(Int(low)) … \(Int(high)) down the file (a row number)")
                    }
                }
            }
            return make(.numeric, "numbers")
        }
        // A column of numbers with a bad cell: at least 95% numbers, or a majority of numbers and a cell that
        // starts like one ("12abc", "0x10", "1,5") — a malformed number, not a category. Unless every text value
        // recurs: codes with a few text levels beside them (a school grade 9 … 12 or "other"; hours "<1", 1 … 4,
        // "5+"), read as categories, as pandas reads them; a typo is a value seen once.
        let share = Double(present - textCells) / Double(present)
        // Text keys with a few repeats (licence numbers, 52,497 distinct in 52,519): a category of one level, (other),
        // in training and (unknown) at prediction — no information, and an input that shifts. Dropped as keys.
        let nearlyDistinct = present >= nearlyDistinctMinimum && Double(distinct) >= nearlyDistinctShare * Double(present)
        let textValues = counts.filter { numbers[$0.key] == nil }
        if textValues.allSatisfy({ $0.value >= recurringTextCount }) {
            let shown = textValues.sorted { $0.value > $1.value }.prefix(3).map { "\"\($0.key.prefix(20))\" \($0.value)×" }
            return make(.categorical, "numbers and recurring text (\(shown.joined(separator: ", "))\(textValues.count > 3 ? ", …" : ""))")
        }
        if share >= numericShare || (share >= 0.5 && counts.keys.contains { numbers[$0] == nil && Self.startsLikeANumber($0) }) {
            // Many different text values among the numbers are codes written two ways (ZIP codes beside ZIP+4
            // "98115-4820", "A12" beside "12"), not typos: categories, as pandas reads them.
            if textValues.count >= codeTextValues {
                if nearlyDistinct { return make(.identifier, "codes, \(distinct) distinct in \(present) cells (a key)") }
                let first = table.rows.first { numbers[$0[column]] == nil && !missingCells.contains($0[column]) }?[column] ?? ""
                return make(.categorical, "numbers and \(textValues.count) distinct text values (e.g. \"\(first.prefix(20))\"): codes")
            }
            throw malformed(malformedHint)
        }
        if missing == 0, distinct == present, distinct >= 3 { return make(.identifier, "text, every value distinct (a key or name)") }
        if nearlyDistinct { return make(.identifier, "text, \(distinct) distinct in \(present) cells (a key)") }
        return make(.categorical, "text")
    }
}
