import ArgumentParser
import Descent

extension ConformanceReport {
    /// Prints one line per case (`PASS adam (max rel err 3.10e-07)` or `FAIL name: …`), then `N passed, M failed`;
    /// throws `ExitCode.failure` (exit status 1) when a case failed.
    func printAndCheck() throws {
        for result in results { print(result.line) }
        print(summary)
        if failedCount > 0 { throw ExitCode.failure }
    }
}
