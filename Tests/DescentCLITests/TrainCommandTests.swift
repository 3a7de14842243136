import Foundation
import XCTest

final class TrainCommandTests: XCTestCase {
    func testTrainsIrisAndPrintsAJSONSummary() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "30", "--batch-size", "16",
                                                "--learning-rate", "0.01", "--seed", "1", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let last = try XCTUnwrap(result.standardOutput.split(separator: "\n").last)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        let epochs = try XCTUnwrap(summary["epochs"] as? [[String: Any]])
        XCTAssertEqual(epochs.count, 30)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(summary["final_validation_accuracy"] as? Double), 0.9)
    }

    func testCosineScheduleIsFollowedEpochByEpoch() throws {
        // 120 training rows / 40 = 3 steps per epoch, 10 epochs: cosine from 0.1 to 0 over 30 steps.
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "10", "--batch-size", "40",
                                                "--learning-rate", "0.1", "--schedule", "cosine", "--optimizer", "sgd", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let last = try XCTUnwrap(result.standardOutput.split(separator: "\n").last)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        let rates = try XCTUnwrap(summary["epochs"] as? [[String: Any]]).map { $0["learning_rate"] as! Double }
        for (index, rate) in rates.enumerated() {
            let step = Double(3 * (index + 1))
            XCTAssertEqual(rate, 0.05 * (1 + Foundation.cos(Double.pi * step / 30)), accuracy: 1e-9)
        }
    }

    func testBadInputIsAClearError() throws {
        let missing = try CommandLineRunner.run(["train", "--csv", "/nonexistent/data.csv"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.standardError.contains("/nonexistent/data.csv"), missing.standardError)
        let unknown = try CommandLineRunner.run(["train", "--dataset", "mnist"])
        XCTAssertEqual(unknown.status, 2, "a flag naming no data set is a usage error")
        XCTAssertTrue(unknown.standardError.contains("digits"), unknown.standardError)
        let both = try CommandLineRunner.run(["train"])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.standardError.contains("--dataset"), both.standardError)
        let schedule = try CommandLineRunner.run(["train", "--dataset", "iris", "--schedule", "cosine(to: "])
        XCTAssertEqual(schedule.status, 2, "a bad option value is a usage error")
        XCTAssertTrue(schedule.standardError.contains("column"), schedule.standardError)
    }
}
