@testable import DescentCLI
@testable import DescentCLIRuns
import Foundation
import XCTest

/// A rate found by a range test suits the optimizer it swept: the range test's next command names that
/// optimizer, and `train` points out a given rate outside what its optimizer normally uses.
final class RangeTestOptimizerFamilyTests: XCTestCase {
    private func lastLineJSON(_ output: String) throws -> [String: Any] {
        let last = try XCTUnwrap(output.split(separator: "\n").last)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    /// `range-test --optimizer sgd`: the train command it prints names sgd (and its momentum) and the valley, drops the sweep's
    /// own options, and runs as printed, training with SGD at that rate.
    func testTheNextCommandNamesTheOptimizerSweptAndRuns() throws {
        let result = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--optimizer", "sgd", "--repeats", "1",
                                                "--iterations", "40", "--ceiling", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let summary = try lastLineJSON(result.standardOutput)
        XCTAssertEqual(summary["optimizer"] as? String, "sgd")
        XCTAssertEqual(summary["momentum"] as? Double, 0.9)
        let valley = try XCTUnwrap((summary["suggestions"] as? [String: Double])?["valley"])
        let command = try XCTUnwrap(summary["train_command"] as? String)
        let words = command.split(separator: " ").map(String.init)
        XCTAssertEqual(Array(words.prefix(4)), ["descent", "train", "--dataset", "iris"], command)
        XCTAssertEqual(words[try XCTUnwrap(words.firstIndex(of: "--optimizer")) + 1], "sgd", command)
        XCTAssertEqual(words[try XCTUnwrap(words.firstIndex(of: "--momentum")) + 1], "0.9", command)
        let rate = try XCTUnwrap(Double(words[try XCTUnwrap(words.firstIndex(of: "--learning-rate")) + 1]))
        XCTAssertEqual(rate, valley, accuracy: valley * 5e-3, "the valley, written to 3 digits")
        for gone in ["--repeats", "--iterations", "--ceiling", "--json", "range-test"] { XCTAssertFalse(words.contains(gone), "\(gone) in \(command)") }

        let train = try CommandLineRunner.run(Array(words.dropFirst()) + ["--epochs", "2", "--json"])
        XCTAssertEqual(train.status, 0, train.standardError)
        let trained = try lastLineJSON(train.standardOutput)
        XCTAssertEqual(trained["learning_rate"] as? Double, rate)
        XCTAssertNil(trained["automatic_learning_rate"] as? [String: Any])

        // In words, the text output ends with the command and says whose rates they are.
        let text = try CommandLineRunner.run(["range-test", "--dataset", "iris", "--optimizer", "sgd", "--repeats", "1", "--iterations", "40"])
        XCTAssertEqual(text.status, 0, text.standardError)
        XCTAssertTrue(text.standardOutput.contains("its rates suit sgd; the Adam family takes rates 10–100× lower"), text.standardOutput)
        XCTAssertTrue(text.standardOutput.contains("--optimizer sgd"), text.standardOutput)
    }

    func testTheSweepsOwnOptionsAreLeftOutOfTheTrainCommand() {
        let arguments = ["/usr/bin/descent", "range-test", "--csv", "my data.csv", "--target", "y", "--start=1e-6", "--end", "1",
                         "--report", "r.html", "--noise-scale", "--optimizer", "adam", "--save-config", "c.toml"]
        XCTAssertEqual(RangeTestCommand.trainArguments(arguments, optimizer: .adam, momentum: 0.9, rate: 0.0123),
                       ["/usr/bin/descent", "train", "--csv", "my data.csv", "--target", "y", "--optimizer", "adam", "--learning-rate", "1.23e-02"])
    }

    /// The case: an SGD-sized rate given to train's default AdamW is named in the diagnosis, with the guard's outcome and the
    /// family; when the run shows the trouble such a rate brings (here the guard rolled back), the advice says how to find one for AdamW.
    func testAnSGDRateGivenToAdamWIsPointedOut() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--learning-rate", "1", "--epochs", "4", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let summary = try lastLineJSON(result.standardOutput)
        let diagnosis = try XCTUnwrap(summary["diagnosis"] as? [String: Any])
        XCTAssertEqual(diagnosis["verdict"] as? String, "rate_too_high")
        let unusual = try XCTUnwrap(diagnosis["unusual_learning_rate"] as? [String: Any], "\(diagnosis)")
        XCTAssertEqual(unusual["optimizer"] as? String, "adamw")
        XCTAssertEqual(unusual["family"] as? String, "adaptive")
        XCTAssertEqual(unusual["above"] as? Bool, true)
        XCTAssertEqual(unusual["matches_verdict"] as? Bool, true)
        XCTAssertEqual(unusual["typical_high"] as? Double, 0.01)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(unusual["rollbacks"] as? Int), 1)
        let evidence = try XCTUnwrap(diagnosis["evidence"] as? [String])
        XCTAssertTrue(evidence.contains { $0.hasPrefix("the rate 1 is above the 1e-05 to 0.01 that adamw, of the Adam family")
            && $0.contains("at it the divergence guard rolled back") }, "\(evidence)")
        let advice = try XCTUnwrap(diagnosis["advice"] as? String)
        XCTAssertTrue(advice.contains("1 is unusual for adamw: if it came from `descent range-test --optimizer sgd`, run the range test "
            + "for adamw (`descent range-test --optimizer adamw`) or leave --learning-rate out"), advice)
        // At 0.3 this run did not blow up and was still improving: the fact is in the evidence, the advice is the verdict's own.
        let calm = try CommandLineRunner.run(["train", "--dataset", "iris", "--learning-rate", "0.3", "--epochs", "4", "--json"])
        let calmDiagnosis = try XCTUnwrap(try lastLineJSON(calm.standardOutput)["diagnosis"] as? [String: Any])
        XCTAssertEqual((calmDiagnosis["unusual_learning_rate"] as? [String: Any])?["matches_verdict"] as? Bool, false, "\(calmDiagnosis)")
        XCTAssertTrue(try XCTUnwrap(calmDiagnosis["evidence"] as? [String]).contains { $0.contains("the loss did not blow up at it") })
        XCTAssertFalse(try XCTUnwrap(calmDiagnosis["advice"] as? String).contains("unusual"))
        // The same rate with SGD is within its family's span: nothing to point out.
        let sgd = try CommandLineRunner.run(["train", "--dataset", "iris", "--optimizer", "sgd", "--learning-rate", "0.3", "--epochs", "4", "--json"])
        XCTAssertEqual(sgd.status, 0, sgd.standardError)
        XCTAssertNil((try lastLineJSON(sgd.standardOutput)["diagnosis"] as? [String: Any])?["unusual_learning_rate"])
    }
}
