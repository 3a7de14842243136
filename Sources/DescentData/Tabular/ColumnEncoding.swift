import Foundation

/// How one feature column of a raw table becomes network inputs, fitted on the training part:
/// part of `TabularPreprocessing`.
///
/// * numeric (and boolean, read as 0/1): a missing cell becomes the training part's `median`; with
///   `missingIndicator` a second input `<name>_missing` is 1 for a missing cell, else 0; the value is
///   then standardised, z = (x − mean) / standardDeviation, mean and deviation of the filled training
///   values (a deviation of 0 is taken as 1).
///   Example: bill_length_mm with median 44.45, mean 43.92, deviation 5.46: "39.1" → −0.883; "NA" → 0.097
///   and bill_length_mm_missing = 1.
/// * a date column (`datePart` set) gives one numeric encoding per `DatePart`, all reading the same cell (the
///   first alone with the `<name>_missing` indicator): `date` 2016-01-01 → date.elapsed_days 16801, date.year 2016, …
/// * categorical: `levels[0]` is "(unknown)" (a value not seen in training, at prediction: it contributes
///   a zero vector), then "(other)" when the training part had levels seen fewer than the minimum count,
///   "(missing)" when it had missing cells, then the other levels sorted. With `embeddingDimension` nil
///   the column is one-hot over `levels[1...]`, else its code (the level's index) goes to an embedding
///   table of `levels.count` rows of that dimension.
public struct ColumnEncoding: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case numeric, boolean, categorical }

    public var name: String
    public var kind: Kind
    /// Numeric and boolean: the fill value, the standardisation and whether a missing indicator follows.
    public var median: Float?
    public var mean: Float?
    public var standardDeviation: Float?
    public var missingIndicator: Bool?
    /// Boolean: the text (lowercased) read as 1; the other value of the pair is 0.
    public var trueText: String?
    /// Categorical: the levels, code = index.
    public var levels: [String]?
    /// Categorical with an embedding: its dimension (nil: one-hot).
    public var embeddingDimension: Int?
    /// Numeric: how the numbers are written when not plainly ("1,234", "27,5"); nil: plain.
    public var numberFormat: NumberFormat?
    /// Numeric, from a column of dates: the part of each cell's date this input is (`name.part` in `denseNames`).
    public var datePart: DatePart?
    /// A date column written with the year last: the order of its day and month (nil: year first, or a month's name).
    public var dateOrder: DateOrder?

    enum CodingKeys: String, CodingKey {
        case name, kind, median, mean, levels
        case standardDeviation = "standard_deviation", missingIndicator = "missing_indicator", trueText = "true_text"
        case embeddingDimension = "embedding_dimension", numberFormat = "number_format", datePart = "date_part"
        case dateOrder = "date_order"
    }

    public static let unknownLevel = "(unknown)"
    public static let otherLevel = "(other)"
    public static let missingLevel = "(missing)"

    /// The number of dense inputs this column gives (an embedded column gives none: its code goes after them).
    public var denseWidth: Int {
        switch kind {
        case .numeric, .boolean: return (missingIndicator ?? false) ? 2 : 1
        case .categorical: return embeddingDimension == nil ? (levels?.count ?? 1) - 1 : 0
        }
    }

    /// The names of the dense inputs ("bill_length_mm", "bill_length_mm_missing", "island=Biscoe", …).
    public var denseNames: [String] {
        switch kind {
        case .numeric, .boolean:
            let value = datePart.map { "\(name).\($0.rawValue)" } ?? name
            return (missingIndicator ?? false) ? [value, name + "_missing"] : [value]
        case .categorical: return embeddingDimension == nil ? (levels ?? []).dropFirst().map { "\(name)=\($0)" } : []
        }
    }

    /// fastai's embedding size rule, `min(600, round(1.6 × levels^0.56))`
    /// (fastai `emb_sz_rule`; Guo & Berkhahn 2016 for entity embeddings). Example: 11 levels → 6, 100 → 21, 1000 → 77.
    public static func embeddingSize(levels: Int) -> Int {
        min(600, Int((1.6 * pow(Double(levels), 0.56)).rounded()))
    }
}
