import ArgumentParser
import Descent
import Foundation

extension ConformanceReport {
    /// Runs a conformance file for a `descent conformance` subcommand: a file that cannot be
    /// read or is malformed prints `error: …` (naming the file, case or field) on standard
    /// error and exits 1; otherwise one line per case, `N passed, M failed`, and exit 1 on a failure.
    static func runCommand(_ load: () throws -> ConformanceReport) throws {
        let report: ConformanceReport
        do {
            report = try load()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        try report.printAndCheck()
    }
}
