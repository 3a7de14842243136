import Foundation
import XCTest

/// A raw CSV in, a model out, raw rows predicted (#20): `train`, `inspect`, `predict` and `evaluate` end to end.
final class TabularCommandTests: XCTestCase {
    private var directory = ""
    private let penguins = "/work/shared/data/penguins.csv"

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-tabular-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func write(_ name: String, _ text: String) -> String {
        let path = directory + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        return path
    }

    private func lastJSON(_ output: String) throws -> [String: Any] {
        let last = try XCTUnwrap(output.split(separator: "\n").last)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    /// The Palmer penguins as distributed (row numbers, text, NA) train with --csv and --target alone, and the
    /// saved model predicts raw rows: reordered columns, missing cells, an unseen island, a malformed cell.
    func testPenguinsTrainWithNoFlagsAndPredictRawRows() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: penguins), "penguins.csv is not on this machine")
        let model = directory + "/penguins.safetensors"
        let train = try CommandLineRunner.run(["train", "--csv", penguins, "--target", "species", "--json", "--save-weights", model])
        XCTAssertEqual(train.status, 0, train.standardError)
        let summary = try lastJSON(train.standardOutput)
        XCTAssertEqual(summary["ignored_columns"] as? [String], ["rownames"])
        XCTAssertGreaterThan(try XCTUnwrap(summary["final_validation_accuracy"] as? Double), 0.9)
        XCTAssertNotNil(summary["final_validation_balanced_accuracy"] as? Double)
        XCTAssertNotNil(summary["final_validation_macro_f1"] as? Double)

        let rows = write("new.csv", """
            sex,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,year,note
            male,Torgersen,39.1,18.7,181,3750,2007,x
            NA,Dream,NA,NA,NA,NA,2008,y
            female,Atlantis,46.5,14.8,217,5200,2009,z
            female,Biscoe,12abc,14.8,217,5200,2009,z
            male,Biscoe,50,15.5,230,5500,2009,z

            """)
        let predicted = try CommandLineRunner.run(["predict", "--model", model, "--csv", rows, "--json"])
        XCTAssertEqual(predicted.status, 3, predicted.standardError)   // rows skipped: docs/exit-codes.md
        let lines = predicted.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[0], "prediction")
        XCTAssertEqual(lines[1], "Adelie")   // the first penguin of the file
        XCTAssertEqual(lines[4], "")         // the malformed row keeps its place, empty
        XCTAssertEqual(lines[5], "Gentoo")
        let object = try lastJSON(predicted.standardOutput)
        XCTAssertEqual(object["rows"] as? Int, 4)
        XCTAssertEqual(object["skipped_rows"] as? Int, 1)
        XCTAssertEqual(object["unknown_categories"] as? [String: Int], ["island": 1])
        XCTAssertTrue(predicted.standardError.contains("line 5, column 3 (\"bill_length_mm\"): \"12abc\" is not a number"), predicted.standardError)

        let evaluated = try CommandLineRunner.run(["evaluate", "--model", model, "--csv", penguins, "--json"])
        XCTAssertEqual(evaluated.status, 0, evaluated.standardError)
        let report = try lastJSON(evaluated.standardOutput)
        XCTAssertEqual(report["rows"] as? Int, 344)
        XCTAssertGreaterThan(try XCTUnwrap(report["balanced_accuracy"] as? Double), 0.9)

        let inspect = try CommandLineRunner.run(["inspect", penguins, "--target", "species", "--json"])
        XCTAssertEqual(inspect.status, 0, inspect.standardError)
        let roles = try XCTUnwrap(try lastJSON(inspect.standardOutput)["roles"] as? [[String: Any]])
        XCTAssertEqual(roles.compactMap { $0["role"] as? String },
                       ["identifier", "target", "categorical", "numeric", "numeric", "numeric", "numeric", "categorical", "numeric"])
        XCTAssertTrue(inspect.standardOutput.contains("ignored columns: rownames"), inspect.standardOutput)
    }

    /// Overrides, class weights, an embedded column and a log-transformed regression target, through the CLI.
    /// A file saved as Latin-1 (Excel's "CSV" on Windows) trains, and the run says how its bytes were read; the
    /// same table saved as UTF-8 says nothing of the kind.
    func testALatin1FileTrainsAndSaysHowItWasRead() throws {
        var text = "drink,size,y\n"
        for row in 0..<60 { text += ["café", "thé", "eau"][row % 3] + ",\(row % 7),\(row % 3 == 0 ? "yes" : "no")\n" }
        let utf8 = write("utf8.csv", text)
        let latin1 = directory + "/latin1.csv"
        XCTAssertTrue(FileManager.default.createFile(atPath: latin1, contents: try XCTUnwrap(text.data(using: .isoLatin1))))
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: latin1)), Data(text.utf8))   // é is one byte, 0xE9

        let plain = try CommandLineRunner.run(["train", "--csv", latin1, "--target", "y", "--epochs", "2"])
        XCTAssertEqual(plain.status, 0, plain.standardError)
        XCTAssertTrue(plain.standardOutput.contains("The file is not UTF-8: read as Windows-1252 (Latin-1)"), plain.standardOutput)
        let read = try CommandLineRunner.run(["train", "--csv", latin1, "--target", "y", "--epochs", "2", "--json"])
        XCTAssertEqual(read.status, 0, read.standardError)
        let preprocessing = try XCTUnwrap(try lastJSON(read.standardOutput)["preprocessing"] as? [String: Any])
        XCTAssertEqual(preprocessing["text_encoding"] as? String, "windows-1252")
        let columns = try XCTUnwrap(preprocessing["columns"] as? [[String: String]])
        XCTAssertEqual(columns.first { $0["name"] == "drink" }?["role"], "categorical")

        let asUTF8 = try CommandLineRunner.run(["train", "--csv", utf8, "--target", "y", "--epochs", "2", "--json"])
        XCTAssertEqual(asUTF8.status, 0, asUTF8.standardError)
        XCTAssertFalse(asUTF8.standardOutput.contains("Windows-1252"))
        XCTAssertNil(try XCTUnwrap(try lastJSON(asUTF8.standardOutput)["preprocessing"] as? [String: Any])["text_encoding"])
    }

    func testOverridesClassWeightsEmbeddingsAndLogTarget() throws {
        var text = "id,city,grade,member,price,buy\n"
        for row in 0..<200 {
            let city = "c\(row % 15)", grade = ["A", "B", "C"][row % 3], member = row % 4 == 0 ? "yes" : "no"
            let price = row % 7 == 0 ? "NA" : String(10 * (1 + row % 13))
            text += "\(row + 1),\(city),\(grade),\(member),\(price),\(row % 10 == 0 ? "y" : "n")\n"
        }
        let csv = write("shop.csv", text)
        let train = try CommandLineRunner.run(["train", "--csv", csv, "--target", "buy", "--class-weights", "balanced", "--ignore", "grade",
                                               "--epochs", "3", "--json", "--save-weights", directory + "/shop.safetensors"])
        XCTAssertEqual(train.status, 0, train.standardError)
        let summary = try lastJSON(train.standardOutput)
        XCTAssertEqual(summary["ignored_columns"] as? [String], ["id", "grade"])
        let preprocessing = try XCTUnwrap(summary["preprocessing"] as? [String: Any])
        let weights = try XCTUnwrap(preprocessing["class_weights"] as? [Double])
        // 160 training rows, 16 "y" (stratified): 160 / (2 × 144), 160 / (2 × 16).
        XCTAssertEqual(weights[0], 160.0 / 288.0, accuracy: 1e-6)
        XCTAssertEqual(weights[1], 5.0, accuracy: 1e-6)
        let columns = try XCTUnwrap(preprocessing["columns"] as? [[String: String]])
        XCTAssertEqual(columns.first?["encoding"], "embedding 15 levels × 8")   // 1.6 × 16^0.56 = 7.9
        XCTAssertNotNil(summary["final_validation_roc_auc"] as? Double)

        let regression = try CommandLineRunner.run(["train", "--csv", csv, "--target", "price", "--task", "regression",
                                                    "--target-transform", "log", "--epochs", "2",
                                                    "--json", "--save-weights", directory + "/price.safetensors"])
        XCTAssertEqual(regression.status, 0, regression.standardError)
        let regressionSummary = try lastJSON(regression.standardOutput)
        let notes = try XCTUnwrap(regressionSummary["preprocessing"] as? [String: Any])
        XCTAssertEqual(notes["target_transform"] as? String, "log")
        XCTAssertEqual(notes["dropped_rows"] as? Int, 29)   // rows 0, 7, …, 196 have no price
        let predicted = try CommandLineRunner.run(["predict", "--model", directory + "/price.safetensors", "--csv", csv])
        XCTAssertEqual(predicted.status, 0, predicted.standardError)
        // Predictions are prices again: positive (exp of the model's output), not standardised logs.
        let values = predicted.standardOutput.split(separator: "\n").dropFirst().compactMap { Double($0) }
        XCTAssertEqual(values.count, 200)
        XCTAssertTrue(values.allSatisfy { $0 > 0 }, "\(values.prefix(5))")

        // Prices 10 … 130 are 13 integers: read as classes unless told; a log transform of classes is refused.
        let classes = try CommandLineRunner.run(["train", "--csv", csv, "--target", "price", "--target-transform", "log"])
        XCTAssertEqual(classes.status, 1)
        XCTAssertTrue(classes.standardError.contains("--target-transform log goes with a regression target"), classes.standardError)
        let bad = try CommandLineRunner.run(["train", "--csv", csv, "--target", "buy", "--numeric", "city"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.standardError.contains("\"city\"") && bad.standardError.contains("--numeric city"), bad.standardError)
    }

    /// --folds 3: three fold results, their mean and spread, and a final run at the median rate.
    func testFoldsReportEachFoldAndTheirSpread() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: penguins), "penguins.csv is not on this machine")
        let result = try CommandLineRunner.run(["train", "--csv", penguins, "--target", "species", "--folds", "3", "--epochs", "3", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let summary = try lastJSON(result.standardOutput)
        let crossValidation = try XCTUnwrap(summary["cross_validation"] as? [String: Any])
        let folds = try XCTUnwrap(crossValidation["folds"] as? [[String: Any]])
        XCTAssertEqual(folds.count, 3)
        let metrics = folds.compactMap { $0["validation_metric"] as? Double }
        let mean = metrics.reduce(0, +) / 3
        XCTAssertEqual(try XCTUnwrap(crossValidation["mean"] as? Double), mean, accuracy: 1e-9)
        let deviation = (metrics.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 2).squareRoot()
        XCTAssertEqual(try XCTUnwrap(crossValidation["standard_deviation"] as? Double), deviation, accuracy: 1e-9)
        // The rate is chosen per fold (auto, the default): the run goes on at their median.
        let rates = folds.compactMap { $0["learning_rate"] as? Double }.sorted()
        XCTAssertEqual(rates.count, 3)
        XCTAssertEqual(crossValidation["learning_rate_median"] as? Double, rates[1])
        XCTAssertEqual(summary["learning_rate"] as? Double, rates[1])
        XCTAssertEqual(summary["epochs_run"] as? Int, 3)
        let bad = try CommandLineRunner.run(["train", "--csv", penguins, "--target", "species", "--folds", "1"])
        XCTAssertEqual(bad.status, 2)
    }
}
