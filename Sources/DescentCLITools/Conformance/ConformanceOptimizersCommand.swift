import ArgumentParser
import DescentConformance
import Foundation

/// `descent conformance optimizers FILE`: runs every case of an optimizer conformance file with
/// `OptimizerConformance` (`PASS name (max rel err …)` or `FAIL name: …` a case).
struct ConformanceOptimizersCommand: ConformanceFileCommand {
    static let configuration = commandConfiguration("optimizers", "Run every case of an optimizers conformance file (conformance/optimizers.json).")
    @OptionGroup var arguments: ConformanceFileArguments
    static func report(fileURL: URL) throws -> ConformanceReport { try OptimizerConformance.run(fileURL: fileURL) }
}
