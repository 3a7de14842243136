import ArgumentParser
import Descent
import Foundation

/// How every `descent conformance` command ends: one line a case on standard output (failing
/// ones on standard error too, so a script that keeps only errors still sees them), the summary
/// "N passed, M failed", and status 1 when a case failed or when the file has no cases at all
/// (nothing was checked). With `--json` the last line is `{"failed":0,"passed":19,"status":"passed"}`
/// or the failure object with the counts and the failing cases' names.
enum ConformanceRun {
    struct Outcome {
        var name: String
        var passed: Bool
        var line: String
    }

    /// Loads (an error is an input error, status 1), prints and checks the outcomes.
    static func run(file: String, json: Bool, _ load: () throws -> [Outcome]) async throws {
        try await FailureJSON.run(json: json) {
            let outcomes: [Outcome]
            do {
                outcomes = try load()
            } catch {
                throw CommandFailure(.input, "\(error)")
            }
            try finish(file: file, outcomes, json: json)
        }
    }

    static func finish(file: String, _ outcomes: [Outcome], json: Bool) throws {
        guard !outcomes.isEmpty else {
            throw CommandFailure(.check, "\(file) has no cases: nothing was checked",
                                 extra: ["passed": .number(0), "failed": .number(0)])
        }
        for outcome in outcomes {
            print(outcome.line)
            if !outcome.passed { FileHandle.standardError.write(Data("\(outcome.line)\n".utf8)) }
        }
        let failures = outcomes.filter { !$0.passed }.map(\.name)
        let passed = outcomes.count - failures.count
        print("\(passed) passed, \(failures.count) failed")
        let counts: [String: JSONValue] = ["passed": .number(Double(passed)), "failed": .number(Double(failures.count))]
        guard failures.isEmpty else {
            let named = failures.prefix(10).joined(separator: ", ") + (failures.count > 10 ? ", …" : "")
            throw CommandFailure(.check, "\(failures.count) of \(outcomes.count) cases failed: \(named)",
                                 extra: counts.merging(["failures": .array(failures.map(JSONValue.string))]) { $1 })
        }
        if json {
            var object = counts
            object["status"] = .string("passed")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(JSONValue.object(object)), as: UTF8.self))
        }
    }
}

extension ConformanceReport {
    /// The outcomes of an optimizers or range-test report, for ``ConformanceRun``.
    var outcomes: [ConformanceRun.Outcome] {
        results.map { ConformanceRun.Outcome(name: $0.name, passed: $0.passed, line: $0.line) }
    }
}
