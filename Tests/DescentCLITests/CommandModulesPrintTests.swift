import Foundation
import XCTest

/// The command line is split into modules (DescentCLIShared, DescentCLITrain, DescentCLIRuns, DescentCLITune,
/// DescentCLITools, DescentCLI). Every command prints through DescentCLIShared's `print`, which goes through
/// `StandardOutput` so that a failed write ends the command with status 1; it shadows `Swift.print` only in a
/// file that imports DescentCLIShared. A command file that prints without that import would compile and print
/// through `Swift.print`, silently: this test reads the sources and names such a file.
final class CommandModulesPrintTests: XCTestCase {
    func testEveryCommandFileThatPrintsImportsTheSharedPrint() throws {
        let sources = CommandLineRunner.repositoryRoot.appendingPathComponent("Sources")
        let modules = try FileManager.default.contentsOfDirectory(atPath: sources.path)
            .filter { $0.hasPrefix("DescentCLI") && $0 != "DescentCLIShared" }
        XCTAssertEqual(Set(modules), ["DescentCLI", "DescentCLITrain", "DescentCLIRuns", "DescentCLITune", "DescentCLITools"])
        var printing = 0
        for module in modules {
            let root = sources.appendingPathComponent(module)
            let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
            for file in files {
                let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
                let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
                let prints = code.contains { line in
                    guard let range = line.range(of: "print(") else { return false }
                    return range.lowerBound == line.startIndex || !".abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
                        .contains(line[line.index(before: range.lowerBound)])
                }
                guard prints else { continue }
                printing += 1
                XCTAssertTrue(code.contains("import DescentCLIShared"), "\(module)/\(file) prints without importing DescentCLIShared")
            }
        }
        XCTAssertGreaterThan(printing, 20)
    }
}
