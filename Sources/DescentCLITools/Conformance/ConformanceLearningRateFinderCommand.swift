import ArgumentParser
import DescentConformance
import Foundation

/// `descent conformance lr-finder FILE`: runs every case of a range-test conformance file
/// (the form of conformance/lr_finder.json, fastai's values) with `RangeTestConformance`.
struct ConformanceLearningRateFinderCommand: ConformanceFileCommand {
    static let configuration = commandConfiguration(
        "lr-finder", "Run every case of a learning-rate range test (LR finder) conformance file (conformance/lr_finder.json).")
    @OptionGroup var arguments: ConformanceFileArguments
    static func report(fileURL: URL) throws -> ConformanceReport { try RangeTestConformance.run(fileURL: fileURL) }
}
