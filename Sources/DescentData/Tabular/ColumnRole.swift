/// What training does with one column of a raw table, inferred by `TabularProfile` or given by a flag.
///
/// | role | when (inferred) | training |
/// | --- | --- | --- |
/// | `numeric` | every non-missing cell is a number | median-filled, `<name>_missing` indicator, standardised |
/// | `boolean` | two values: yes/no, true/false, y/n, t/f or the numbers 0/1 | 0/1, then as numeric |
/// | `categorical` | text (or `--categorical`) | one-hot up to 10 levels, a learned embedding above |
/// | `date` | every non-missing cell a date (`2016-08-15`, `2016/01/01 00:47:36`, `Dec 31 2020`, `31/12/2020` in the column's order) | `DatePart`s, each as numeric |
/// | `identifier` | every value distinct: sequential integers (1, 2, 3 …) or text keys | dropped |
/// | `constant` | a single value in every row (or no value at all) | dropped |
/// | `ignored` | named by `--ignore` | dropped |
/// | `target` | named by `--target` (default: the last column) | predicted |
public enum ColumnRole: String, Codable, Sendable, CaseIterable {
    case numeric, boolean, categorical, identifier, constant, ignored, target, date

    /// Whether training drops a column of this role.
    public var isDropped: Bool { self == .identifier || self == .constant || self == .ignored }
}

/// How a regression target is transformed before it is standardised (and inverted at prediction).
public enum TargetTransform: String, Codable, Sendable, CaseIterable {
    /// The values as they are.
    case none
    /// The natural logarithm: for positive, right-skewed targets such as prices; every value must be > 0.
    case log
}
