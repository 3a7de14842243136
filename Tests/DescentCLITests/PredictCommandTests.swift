import Foundation
import XCTest

/// `descent predict`, `descent evaluate`, `--save-weights` with its card and `--init-weights`, end to end.
final class PredictCommandTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-predict-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = directory + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    private func lastJSON(_ output: String) throws -> [String: Any] {
        let last = try XCTUnwrap(output.split(separator: "\n").last)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    /// Trains the 4-8-3 iris MLP for 15 epochs at 0.03, saves it to `model` and returns what it printed (`--json`).
    private func trainIris(savingTo model: String) throws -> String {
        let train = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "15", "--hidden", "8", "--learning-rate", "0.03",
                                               "--save-weights", model, "--json"])
        XCTAssertEqual(train.status, 0, train.standardError)
        return train.standardOutput
    }

    /// evaluate's numbers against a hand computation: the model's logits are (a, b).
    func testEvaluateMatchesAHandComputation() throws {
        let model = write("linear.safetensors", ModelFixture.linearClassifier)
        // Rows: (2,1)→0 true 0; (1,3)→1 true 1; (0,1)→1 true 0; (4,0)→0 true 1; (5,0)→0 true 0.
        let csv = write("tiny.csv", Array("b,extra,a,y\n1,x,2,0\n3,x,1,1\n1,x,0,0\n0,x,4,1\n0,x,5,0\n".utf8))
        let result = try CommandLineRunner.run(["evaluate", "--model", model, "--csv", csv, "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let report = try lastJSON(result.standardOutput)
        XCTAssertEqual(report["rows"] as? Int, 5)
        XCTAssertEqual(try XCTUnwrap(report["accuracy"] as? Double), 0.6, accuracy: 1e-12)
        let matrix = try XCTUnwrap(report["confusion_matrix"] as? [String: Any])
        XCTAssertEqual(matrix["labels"] as? [String], ["0", "1"])
        XCTAssertEqual(matrix["counts"] as? [[Int]], [[2, 1], [1, 1]])
        let perClass = try XCTUnwrap(report["per_class"] as? [[String: Any]])
        XCTAssertEqual(try XCTUnwrap(perClass[0]["precision"] as? Double), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(perClass[0]["recall"] as? Double), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(perClass[1]["precision"] as? Double), 0.5, accuracy: 1e-12)
        XCTAssertEqual(perClass[1]["support"] as? Int, 2)
        let loss = [-1.0, -2, 1, 4, -5].map { log(1 + exp($0)) }.reduce(0, +) / 5
        XCTAssertEqual(try XCTUnwrap(report["loss"] as? Double), loss, accuracy: 1e-6)

        let table = try CommandLineRunner.run(["evaluate", "--model", model, "--csv", csv])
        XCTAssertEqual(table.status, 0, table.standardError)
        XCTAssertTrue(table.standardOutput.contains("5 rows: loss (cross-entropy) \(String(format: "%.4f", loss)), accuracy 0.6000"), table.standardOutput)
        XCTAssertTrue(table.standardOutput.contains("ignoring 1 column(s) the model does not use: extra"), table.standardOutput)

        // predict: one label per row, in order; probabilities are the softmax of (a, b).
        let predicted = try CommandLineRunner.run(["predict", "--model", model, "--csv", csv, "--probabilities"])
        XCTAssertEqual(predicted.status, 0, predicted.standardError)
        let lines = predicted.standardOutput.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "prediction,probability_0,probability_1")
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: ",")[0] }, ["0", "1", "1", "0", "0"])
        let first = lines[1].split(separator: ",").dropFirst().map { Double($0)! }
        XCTAssertEqual(first[0], 1 / (1 + exp(-1.0)), accuracy: 1e-6)
        XCTAssertTrue(predicted.standardError.contains("ignoring 2 column(s) the model does not use: extra, y"), predicted.standardError)
    }

    /// train → save → predict on the training file gives the labels evaluate scores, and --out appears only whole.
    func testTrainSavePredictAndEvaluateAgree() throws {
        let model = directory + "/iris.safetensors"
        let summary = try lastJSON(try trainIris(savingTo: model))
        let inspect = try CommandLineRunner.run(["inspect", model])
        XCTAssertEqual(inspect.status, 0, inspect.standardError)
        for words in ["model: MLP 4 → 8 → 3, relu", "features (4, in this order): sepal_length", "classification of \"species\" into 3 classes",
                      "schedule constant", "15 epochs (completed)"] {
            XCTAssertTrue(inspect.standardOutput.contains(words), "\(words) in\n\(inspect.standardOutput)")
        }
        let iris = CommandLineRunner.repositoryRoot.appendingPathComponent("Sources/DescentData/Resources/iris.csv").path
        guard FileManager.default.fileExists(atPath: iris) else { throw XCTSkip("no bundled iris.csv at \(iris)") }
        let out = directory + "/predictions.csv"
        let predict = try CommandLineRunner.run(["predict", "--model", model, "--csv", iris, "--out", out, "--json"])
        XCTAssertEqual(predict.status, 0, predict.standardError)
        XCTAssertEqual(try lastJSON(predict.standardOutput)["rows"] as? Int, 150)
        let labels = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst().map(String.init)
        let truth = try String(contentsOfFile: iris, encoding: .utf8).split(separator: "\n").dropFirst().map { String($0.split(separator: ",").last!) }
        XCTAssertEqual(labels.count, 150)
        let accuracy = Double(zip(labels, truth).filter { $0 == $1 }.count) / 150
        let evaluate = try CommandLineRunner.run(["evaluate", "--model", model, "--csv", iris, "--json"])
        XCTAssertEqual(evaluate.status, 0, evaluate.standardError)
        XCTAssertEqual(try XCTUnwrap(try lastJSON(evaluate.standardOutput)["accuracy"] as? Double), accuracy, accuracy: 1e-12)
        XCTAssertNotNil(summary["final_validation_accuracy"])

        // A failure part-way leaves --out as it was and no temporary file.
        var bad = try String(contentsOfFile: iris, encoding: .utf8)
        bad += "5.0,3.0,oops,0.2,0\n"
        let badCSV = write("bad.csv", Array(bad.utf8))
        let failed = try CommandLineRunner.run(["predict", "--model", model, "--csv", badCSV, "--out", out])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.standardError.contains("line 152, column 3 (\"petal_length\"): \"oops\" is not a number"), failed.standardError)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count, 151)
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: directory).contains { $0.hasSuffix(".partial") })

        // Warm start: from the saved weights with a vanishing rate, the saved weights come back unchanged.
        let again = directory + "/again.safetensors"
        let warm = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--hidden", "8", "--learning-rate", "1e-30",
                                              "--init-weights", model, "--save-weights", again, "--json"])
        XCTAssertEqual(warm.status, 0, warm.standardError)
        let before = try Data(contentsOf: URL(fileURLWithPath: model)), after = try Data(contentsOf: URL(fileURLWithPath: again))
        XCTAssertEqual(before.suffix(4 * (4 * 8 + 8 + 8 * 3 + 3)), after.suffix(4 * (4 * 8 + 8 + 8 * 3 + 3)), "the tensors are the same")
        let mismatch = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--hidden", "16", "--init-weights", model])
        XCTAssertEqual(mismatch.status, 1)
        XCTAssertTrue(mismatch.standardError.contains("0.weight expects [16, 4], got [8, 4]"), mismatch.standardError)
        XCTAssertTrue(mismatch.standardError.contains("the file holds MLP 4 → 8 → 3"), mismatch.standardError)
        XCTAssertTrue(mismatch.standardError.contains("this run builds MLP 4 → 16 → 3"), mismatch.standardError)
    }

    /// A warm start on other data keeps the saved model's standardisation: the weights see features on the
    /// scale they were trained on, and the model saved again scores the same as the original.
    func testWarmStartOnOtherDataKeepsTheSavedStandardization() throws {
        let model = directory + "/iris.safetensors"
        _ = try trainIris(savingTo: model)
        let iris = CommandLineRunner.repositoryRoot.appendingPathComponent("Sources/DescentData/Resources/iris.csv").path
        guard FileManager.default.fileExists(atPath: iris) else { throw XCTSkip("no bundled iris.csv at \(iris)") }
        // 40 setosa, 10 versicolor, 10 virginica: all three classes, means far from the whole set's.
        let lines = try String(contentsOfFile: iris, encoding: .utf8).split(separator: "\n")
        let rows = [lines[0]] + lines[1...40] + lines[51...60] + lines[101...110]
        let part = write("part.csv", Array((rows.joined(separator: "\n") + "\n").utf8))
        let again = directory + "/again.safetensors"
        let warm = try CommandLineRunner.run(["train", "--csv", part, "--target", "species", "--epochs", "1", "--hidden", "8",
                                              "--learning-rate", "1e-30", "--init-weights", model, "--save-weights", again])
        XCTAssertEqual(warm.status, 0, warm.standardError)
        XCTAssertTrue(warm.standardOutput.contains("Features: the saved model's standardisation"), warm.standardOutput)
        let original = try lastJSON(try CommandLineRunner.run(["evaluate", "--model", model, "--csv", iris, "--json"]).standardOutput)
        let resaved = try lastJSON(try CommandLineRunner.run(["evaluate", "--model", again, "--csv", iris, "--json"]).standardOutput)
        XCTAssertEqual(try XCTUnwrap(resaved["loss"] as? Double), try XCTUnwrap(original["loss"] as? Double), accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(resaved["accuracy"] as? Double), try XCTUnwrap(original["accuracy"] as? Double))
        // Two of the three classes: they keep the model's numbering (versicolor stays output 1), and the model
        // scores as before; a class the model does not predict is an input error naming it.
        let twoClasses = write("two.csv", Array((([lines[0]] + lines[1...70]).joined(separator: "\n") + "\n").utf8))
        let two = directory + "/two.safetensors"
        let partial = try CommandLineRunner.run(["train", "--csv", twoClasses, "--target", "species", "--epochs", "1", "--hidden", "8",
                                                 "--learning-rate", "1e-30", "--init-weights", model, "--save-weights", two, "--json"])
        XCTAssertEqual(partial.status, 0, partial.standardError)
        XCTAssertGreaterThan(try XCTUnwrap(try lastJSON(partial.standardOutput)["final_validation_accuracy"] as? Double), 0.9)
        let scoredTwo = try lastJSON(try CommandLineRunner.run(["evaluate", "--model", two, "--csv", iris, "--json"]).standardOutput)
        XCTAssertEqual(try XCTUnwrap(scoredTwo["loss"] as? Double), try XCTUnwrap(original["loss"] as? Double), accuracy: 1e-9)
        let renamed = write("renamed.csv", Array((([lines[0]] + lines[1...70].map { Substring($0.hasSuffix(",0") ? $0.dropLast() + "7" : String($0)) })
            .joined(separator: "\n") + "\n").utf8))
        let unknown = try CommandLineRunner.run(["train", "--csv", renamed, "--target", "species", "--epochs", "1", "--hidden", "8",
                                                 "--init-weights", model])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.standardError.contains("class \"7\" that the saved model does not predict"), unknown.standardError)
        // Other features than the saved model's: an input error naming the counts.
        let diabetes = try CommandLineRunner.run(["train", "--dataset", "diabetes", "--epochs", "1", "--hidden", "8", "--init-weights", model])
        XCTAssertEqual(diabetes.status, 1)
        XCTAssertTrue(diabetes.standardError.contains("regression task"), diabetes.standardError)
    }

    func testSIGTERMEndsPredictWithOneObjectAndNoPartialFile() throws {
        // Was: killed by the signal: no JSON object, `.out.csv.PID.N.partial` left beside --out.
        let model = directory + "/iris.safetensors"
        let train = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--hidden", "3", "--learning-rate", "0.03",
                                               "--save-weights", model])
        XCTAssertEqual(train.status, 0, train.standardError)
        let csv = directory + "/rows.csv"
        let row = "5.1,3.5,1.4,0.2\n"
        try ("sepal_length,sepal_width,petal_length,petal_width\n" + String(repeating: row, count: 400_000))
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let out = directory + "/out.csv"
        try "old predictions\n".write(toFile: out, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = ["predict", "--model", model, "--csv", csv, "--out", out, "--json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        func partials() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".partial") } }
        let deadline = Date().addingTimeInterval(60)
        while partials().isEmpty && process.isRunning && Date() < deadline { usleep(1_000) }
        kill(process.processIdentifier, SIGTERM)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let summary = try lastJSON(printed)
        guard summary["status"] as? String != "completed" else { return }   // it finished before the signal arrived
        XCTAssertEqual(process.terminationStatus, 143)
        XCTAssertEqual(summary["status"] as? String, "interrupted")
        XCTAssertTrue(((summary["error"] as? [String: Any])?["message"] as? String)?.contains("stopped by SIGTERM after") == true, "\(summary)")
        XCTAssertEqual(partials(), [])
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "old predictions\n")
    }
}
