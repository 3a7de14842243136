import DescentTrain
import Foundation
import XCTest

/// The small-table rule (`SmallTableEnsemble`, docs/tabular.md "Small tables"): `descent train --save-weights` on a
/// table of fewer than 1,000 training rows trains five models and saves them as one ensemble that `predict` averages.
/// Held-out R² on ISLR's Auto (a public table, `SmallTableFixture`) is checked against scikit-learn's references on the
/// same split (benchmarks/small_table_reference.py wrote both).
final class SmallTableEnsembleCommandTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-small-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func lastJSON(_ output: String) throws -> [String: Any] {
        let line = try XCTUnwrap(output.split(separator: "\n").last)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// R² of `predictions` (descent predict's first column) against the held-out rows' mpg.
    private func heldOutR2(_ predictions: String) throws -> Double {
        let truth = SmallTableFixture.heldOut.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[0]) ?? .nan }
        let predicted = predictions.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[0]) ?? .nan }
        XCTAssertEqual(predicted.count, truth.count)
        let mean = truth.reduce(0, +) / Double(truth.count)
        let residual = zip(truth, predicted).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        let total = truth.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        return 1 - residual / total
    }

    func testASmallTableTrainsFiveModelsAndTheirAverageBeatsScikitLearnOnHeldOutRows() throws {
        let training = try write("auto.csv", SmallTableFixture.training)
        let heldOut = try write("auto-held-out.csv", SmallTableFixture.heldOut)
        let model = directory + "/auto.safetensors"
        let train = try CommandLineRunner.run(["train", "--csv", training, "--target", "mpg", "--json", "--save-weights", model])
        XCTAssertEqual(train.status, 0, train.standardError)
        let summary = try lastJSON(train.standardOutput)
        let ensemble = try XCTUnwrap(summary["ensemble"] as? [String: Any], "the rule is said in the JSON summary")
        XCTAssertEqual(ensemble["members"] as? Int, 5)
        XCTAssertEqual(ensemble["automatic"] as? Bool, true)
        XCTAssertEqual(ensemble["training_rows"] as? Int, 251, "314 rows less the 20% validation part (63)")
        XCTAssertEqual(ensemble["seeds"] as? [Int], [0, 1000, 2000, 3000, 4000])
        XCTAssertEqual((ensemble["validation_metrics"] as? [Double])?.count, 5)
        XCTAssertTrue((ensemble["reason"] as? String)?.hasPrefix("small table (251 training rows, under 1000)") == true)
        let file = try ModelFile.load(path: model)
        XCTAssertEqual(file.card?.ensembleMembers, 5, "the model card records the ensemble")
        // Format version 3: a build that reads only version 2 says "update Descent" instead of failing on ensemble.k tensors.
        XCTAssertEqual(file.metadata["descent.format_version"], "3")
        var downgraded = file.metadata
        downgraded["descent.format_version"] = "2"
        XCTAssertThrowsError(try ModelCard(metadata: downgraded, source: "auto.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("a file of several models must have format version 3 or later, this one says 2"), "\(error)")
        }

        let predictions = directory + "/predictions.csv"
        let predicted = try CommandLineRunner.run(["predict", "--model", model, "--csv", heldOut, "--out", predictions])
        XCTAssertEqual(predicted.status, 0, predicted.standardError)
        let r2 = try heldOutR2(try String(contentsOfFile: predictions, encoding: .utf8))
        XCTAssertGreaterThan(r2, SmallTableFixture.linearR2, "scikit-learn's Ridge on the same rows")
        XCTAssertGreaterThan(r2, SmallTableFixture.boostingR2, "scikit-learn's HistGradientBoosting on the same rows")
    }

    func testEnsembleOneTrainsOneModelAndTheFlagIsRangeChecked() throws {
        let training = try write("auto.csv", SmallTableFixture.training)
        let model = directory + "/one.safetensors"
        let train = try CommandLineRunner.run(["train", "--csv", training, "--target", "mpg", "--json", "--save-weights", model,
                                               "--ensemble", "1", "--epochs", "3"])
        XCTAssertEqual(train.status, 0, train.standardError)
        XCTAssertNil(try lastJSON(train.standardOutput)["ensemble"])
        let file = try ModelFile.load(path: model)
        XCTAssertNil(file.card?.ensembleMembers)
        XCTAssertNil(file.metadata["descent.ensemble"])
        XCTAssertEqual(file.metadata["descent.format_version"], "2", "one model: still readable by builds of version 2")
        for bad in ["0", "21"] {
            let refused = try CommandLineRunner.run(["train", "--csv", training, "--target", "mpg", "--ensemble", bad])
            XCTAssertEqual(refused.status, 2, "a usage error")
            XCTAssertTrue(refused.standardError.contains("--ensemble must be from 1 to 20 models, got \(bad)"), refused.standardError)
        }
        let withFolds = try CommandLineRunner.run(["train", "--csv", training, "--target", "mpg", "--ensemble", "3", "--folds", "3"])
        XCTAssertEqual(withFolds.status, 2)
        XCTAssertTrue(withFolds.standardError.contains("--ensemble 3 trains fresh models on the table: it does not go with --folds"),
                      withFolds.standardError)
    }
}
