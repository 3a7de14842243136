import Descent
import Foundation
import XCTest

/// A Swift program gets from `TrainingRun` the run `descent train --csv F --target T` makes with the same
/// specification on a raw table (text categories, missing cells, a row-number column): the same preprocessing,
/// the same weights bit for bit, the same final validation loss; and the library's prediction on raw rows
/// (strings, missing cells, an unseen category, a malformed cell) gives what `descent predict` prints.
final class TrainingRunRawTableTests: XCTestCase {
    private let penguins = "/work/shared/data/penguins.csv"
    private var directory = ""

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: penguins), "penguins.csv is not on this machine")
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-run-raw-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func lastJSON(_ output: String) throws -> [String: Any] {
        let last = try XCTUnwrap(output.split(separator: "\n").last)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    /// The raw rows both predict for: reordered columns, an extra one, NA cells, an island never seen, a malformed cell.
    private let rows = """
        sex,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,year,note,species
        male,Torgersen,39.1,18.7,181,3750,2007,x,Adelie
        NA,Dream,NA,NA,NA,NA,2008,y,Adelie
        female,Atlantis,46.5,14.8,217,5200,2009,z,Gentoo
        female,Biscoe,12abc,14.8,217,5200,2009,z,Gentoo
        male,Biscoe,50,15.5,230,5500,2009,z,Gentoo

        """

    /// Classes with balanced class weights and a raw-table field (`min_category_count`), at a fixed rate.
    func testClassificationMatchesTrainAndPredict() throws {
        var spec = RunSpecification()
        (spec.csv, spec.target) = (penguins, "species")
        spec.learningRate = .fixed(0.01)
        spec.epochs = 3
        spec.classWeights = .balanced
        spec.minCategoryCount = 3
        try compare(spec, flags: ["--target", "species", "--learning-rate", "0.01", "--epochs", "3", "--class-weights", "balanced",
                                  "--min-category-count", "3"])
    }

    /// A regression target read through `target_transform log`, predicted back in grams.
    func testLogRegressionMatchesTrainAndPredict() throws {
        var spec = RunSpecification()
        (spec.csv, spec.target) = (penguins, "body_mass_g")
        spec.learningRate = .fixed(0.01)
        spec.epochs = 3
        spec.targetTransform = .log
        try compare(spec, flags: ["--target", "body_mass_g", "--learning-rate", "0.01", "--epochs", "3", "--target-transform", "log"])
    }

    /// What only `descent train` does (cross-validation, a warm start) is refused by name, not left out of the run.
    func testFoldsAndInitialWeightsAreRefusedByName() throws {
        var spec = RunSpecification()
        (spec.csv, spec.target, spec.folds) = (penguins, "species", 3)
        XCTAssertThrowsError(try TrainingRun(spec).train()) { error in
            XCTAssertEqual((error as? RunSpecificationError)?.field, "folds", "\(error)")
        }
        (spec.folds, spec.initWeights) = (nil, "model.safetensors")
        XCTAssertThrowsError(try TrainingRun(spec).train()) { error in
            XCTAssertEqual((error as? RunSpecificationError)?.field, "init_weights", "\(error)")
        }
    }

    private func compare(_ spec: RunSpecification, flags: [String]) throws {
        let trained = try TrainingRun(spec).train()
        let card = trained.predictor.card
        XCTAssertEqual(card.preprocessing?.ignoredColumns, ["rownames"], "the row numbers are dropped, as by train")
        let library = directory + "/library.safetensors"
        try trained.save(to: library)

        let weights = directory + "/train.safetensors"
        let train = try CommandLineRunner.run(["train", "--csv", penguins] + flags + ["--save-weights", weights, "--json"])
        XCTAssertEqual(train.status, 0, train.standardError)
        let summary = try lastJSON(train.standardOutput)
        XCTAssertEqual(summary["final_validation_loss"] as? Double, trained.outcome.history.last?.validationLoss,
                       "the same final validation loss")
        let cli = try ModelFile.load(path: weights)
        XCTAssertEqual(cli.card?.preprocessing, card.preprocessing, "the same fitted preprocessing")
        XCTAssertEqual(cli.tensors.keys.sorted(), try ModelFile.load(path: library).tensors.keys.sorted())
        for (name, tensor) in trained.predictor.model.stateDictionary {
            XCTAssertEqual(cli.tensors[name]?.scalars.map(\.bitPattern), tensor.scalars.map(\.bitPattern), name)
        }

        // Prediction on raw rows: the library's against `descent predict`'s lines (the malformed row's line left empty).
        let path = directory + "/new.csv"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(rows.utf8)))
        let predicted = try trained.predictor.predict(try RawTable.read(path: path))
        XCTAssertEqual(predicted.rowsKept, [0, 1, 2, 4])
        XCTAssertEqual(predicted.unknownCategories, ["island": 1])
        XCTAssertEqual(predicted.skipped.map { "\($0)" }.first?.contains("line 5, column 3 (\"bill_length_mm\")"), true)
        let printed = try CommandLineRunner.run(["predict", "--model", library, "--csv", path])
        XCTAssertEqual(printed.status, 3, printed.standardError)
        let lines = printed.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let mine = predicted.labels ?? (predicted.values ?? []).map { "\($0)" }
        XCTAssertEqual([lines[1], lines[2], lines[3], lines[5]], mine)
        XCTAssertEqual(lines[4], "")

        // The same rows as dictionaries: a column a row does not name is a missing cell.
        var dictionaries: [[String: String]] = [["island": "Dream", "year": "2008", "species": "Adelie", "note": "y"]]
        let header = rows.split(separator: "\n")[0].split(separator: ",").map(String.init)
        let first = rows.split(separator: "\n")[1].split(separator: ",").map(String.init)
        dictionaries.insert(Dictionary(uniqueKeysWithValues: zip(header, first)), at: 0)
        let fromDictionaries = try trained.predictor.predict(rows: dictionaries)
        XCTAssertEqual(fromDictionaries.rowsKept, [0, 1])
        XCTAssertEqual(fromDictionaries.outputs.scalars, Array(predicted.outputs.scalars.prefix(2 * predicted.outputs.shape[1])),
                       "a row without its measurements is the row of NA cells")
    }
}
