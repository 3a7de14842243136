import ArgumentParser
import Foundation
import DescentData
import DescentTrain

/// How a raw CSV file's columns are read (`descent train`, `range-test`, `tune` and `inspect`):
/// role overrides, the missing-value markers, the rare-category threshold and the target transform.
/// Every flag has the default that `descent train --csv F --target T` uses alone (see `TabularProfile`).
///
/// ```
/// $ descent train --csv penguins.csv --target species --ignore year --categorical island
/// $ descent train --csv prices.csv --target price --target-transform log --missing-values ',NA,-'
/// ```
package struct TabularArguments: ParsableArguments {
    @Option(help: "Columns of --csv to read as categories, comma-separated (e.g. a year or a code).")
    var categorical: String?
    @Option(help: "Columns of --csv to read as numbers, comma-separated (a cell that is not a number is then an error).")
    var numeric: String?
    @Option(help: "Columns of --csv to leave out, comma-separated.")
    var ignore: String?
    @Option(name: .customLong("missing-values"),
            help: "Cell texts that mean missing, comma-separated, compared without case (default: ',NA,NaN,?,null,N/A,<NA>,#N/A,#N/A N/A,#NA,-NaN,-1.#IND,1.#IND,-1.#QNAN,1.#QNAN': what R, pandas, the UCI files and spreadsheets write; the empty cell is the leading empty item).")
    var missingValues: String?
    @Option(name: .customLong("min-category-count"),
            help: "Categories seen fewer times in the training part share one level, (other) (default 5; 1 keeps every one).")
    var minCategoryCount: Int = 5
    @Option(name: .customLong("target-transform"), help: "A regression target's transform: none or log (for positive, skewed values such as prices).")
    var targetTransform: TargetTransform = .none

    /// Checks the numbers and names.
    package func validate() throws {
        guard (1...1_000_000).contains(minCategoryCount) else {
            throw ValidationError("--min-category-count must be in 1...1000000, got \(minCategoryCount)")
        }
        for (flag, text) in [("--categorical", categorical), ("--numeric", numeric), ("--ignore", ignore)] {
            if let text, Self.names(text).isEmpty { throw ValidationError("\(flag) needs one or more column names, e.g. \(flag) a,b") }
        }
    }

    /// Whether any of these flags was given (a plain numeric file then still goes through the preprocessing).
    var isGiven: Bool {
        categorical != nil || numeric != nil || ignore != nil || missingValues != nil || minCategoryCount != 5 || targetTransform != .none
    }

    /// The options these flags describe for `target` and `task` (read as a specification's fields are).
    package func options(target: String?, task: PredictionTask?) -> TabularOptions {
        RunSpecification.tabularOptions(target: target, task: task, categorical: categorical, numeric: numeric, ignore: ignore,
                                        missingValues: missingValues, minCategoryCount: minCategoryCount,
                                        targetTransform: targetTransform)
    }

    /// "a, b,c" → ["a", "b", "c"].
    static func names(_ text: String) -> [String] { RunSpecification.columnNames(text) }

    package init() {}
}

extension TargetTransform: ExpressibleByArgument {}
