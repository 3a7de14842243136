import XCTest
import DescentData
import DescentTensor

/// Column roles, missing values and categories of raw tables (`TabularProfile`, `TabularPreprocessing`,
/// `TabularDataset`), checked against values worked out by hand.
final class TabularTests: XCTestCase {
    private func table(_ text: String, file: String = "t.csv") throws -> RawTable {
        try RawTable.parse(bytes: Array(text.utf8), file: file)
    }

    /// Every role of the issue in one file: id (1…n), text key, constant, yes/no, 0/1, number, text, target.
    func testEachRoleIsInferred() throws {
        var text = "id,name,unit,smoker,flag,height,colour,y\n"
        for row in 0..<12 {
            text += "\(row + 1),person\(row),cm,\(row % 3 == 0 ? "Yes" : "no"),\(row % 2),\(150 + row * 2),\(["red", "green", "blue"][row % 3]),\(row % 2 == 0 ? "a" : "b")\n"
        }
        let profile = try TabularProfile(table: try table(text), options: TabularOptions(target: "y"))
        XCTAssertEqual(profile.columns.map(\.role), [.identifier, .identifier, .constant, .boolean, .boolean, .numeric, .categorical, .target])
        XCTAssertEqual(profile.ignoredColumns, ["id", "name", "unit"])
        XCTAssertEqual(profile.columns[6].distinct, 3)
        XCTAssertFalse(profile.isPlainNumeric)
        // Numbers that are distinct but not a run (heights 150, 152, …) stay numeric.
        XCTAssertEqual(profile.columns[5].role, .numeric)
    }

    func testOverridesWin() throws {
        let raw = try table("year,code,size,y\n2007,1,3,a\n2008,2,4,b\n2009,1,5,a\n2007,2,6,b\n")
        var options = TabularOptions(target: "y")
        options.categorical = ["year"]
        options.ignore = ["code"]
        options.numeric = ["size"]
        let profile = try TabularProfile(table: raw, options: options)
        XCTAssertEqual(profile.columns.map(\.role), [.categorical, .ignored, .numeric, .target])
        options.numeric = ["nope"]
        assertDataError(try TabularProfile(table: raw, options: options), contains: ["--numeric", "no column \"nope\""])
        var textAsNumber = TabularOptions(target: "y")
        textAsNumber.numeric = ["y"]
        assertDataError(try TabularProfile(table: raw, options: textAsNumber), contains: ["target column"])
    }

    /// 20 numbers and one "12abc": a malformed cell (≥ 95% numbers), named by line and column — not a text column.
    func testMalformedCellInNumericColumnIsAnError() throws {
        var text = "x,y\n"
        for row in 0..<20 { text += "\(row * 3 % 7),\(row % 2)\n" }
        text += "12abc,1\n"
        assertDataError(try TabularProfile(table: try table(text), options: TabularOptions(target: "y")),
                        contains: ["t.csv", "line 22", "column 1", "\"x\"", "12abc"])
        // A text value that recurs among numbers is a level, not a typo (openintro's yrbss: grade 9 … 12 or "other";
        // hours "<1", 1 … 4, "5+", where "5+" starts like a number): categorical (was: an error at "other").
        var levels = "grade,hours,y\n"
        for row in 0..<60 { levels += "\(9 + row % 4),\(["<1", "1", "2", "3", "4", "5+"][row % 6]),\(row % 2)\n" }
        levels += "other,2,1\nother,3,0\n"
        let coded = try TabularProfile(table: try table(levels), options: TabularOptions(target: "y"))
        XCTAssertEqual(coded.columns.map(\.role), [.categorical, .categorical, .target])
        XCTAssertEqual(coded.columns[0].distinct, 5)
        // Seen once, it is still a malformed cell.
        assertDataError(try TabularProfile(table: try table(levels + "oter,4,1\n"), options: TabularOptions(target: "y")),
                        contains: ["line 64", "column 1", "\"grade\"", "oter"])
        // Ten different text values among numbers are codes, not typos (Seattle's pet licences: ZIP codes and a few
        // ZIP+4 codes, each seen once): categorical. Nine are still malformed cells.
        var zips = "zip,y\n"
        for row in 0..<400 { zips += "\(98100 + row % 40),\(row % 2)\n" }
        let plus4 = (0..<10).map { "9810\($0)-48\($0)\($0),1\n" }.joined()
        XCTAssertEqual(try TabularProfile(table: try table(zips + plus4), options: TabularOptions(target: "y")).columns[0].role, .categorical)
        assertDataError(try TabularProfile(table: try table(zips + plus4.split(separator: "\n").dropLast().joined(separator: "\n") + "\n"),
                                           options: TabularOptions(target: "y")), contains: ["\"zip\"", "is not a number"])
        // Text keys with a few repeats (Seattle's licence numbers) are identifiers; names that recur are categories.
        var keys = "licence,name,y\n"
        for row in 0..<40 { keys += "L\(row < 38 ? row : 0),n\(row % 8),\(row % 2)\n" }
        let keyed = try TabularProfile(table: try table(keys), options: TabularOptions(target: "y"))
        XCTAssertEqual(keyed.columns.map(\.role), [.identifier, .categorical, .target])
        // Missing markers are not malformed.
        let withMissing = try table("x,y\n1,a\nNA,b\n?,a\n,b\nnull,a\nNaN,b\n4,a\n")
        let profile = try TabularProfile(table: withMissing, options: TabularOptions(target: "y"))
        XCTAssertEqual(profile.columns[0].role, .numeric)
        XCTAssertEqual(profile.columns[0].missing, 5)
    }

    /// Median of the training rows only, then standardised; the indicator column marks the filled cell.
    func testMissingNumericIsFilledWithTheTrainingMedianAndFlagged() throws {
        // Training rows 0…3: x = 1, 3, NA, 8 → median of (1, 3, 8) = 3; filled (1, 3, 3, 8): mean 3.75,
        // population deviation sqrt(((2.75² + 0.75² + 0.75² + 4.25²) / 4)) = sqrt(6.6875).
        let raw = try table("x,y\n1,a\n3,b\nNA,a\n8,b\n100,a\nNA,b\n")
        let options = TabularOptions(target: "y")
        let profile = try TabularProfile(table: raw, options: options)
        let preprocessing = try TabularPreprocessing(fitting: raw, profile: profile, options: options, trainingRows: [0, 1, 2, 3])
        XCTAssertEqual(preprocessing.columns[0].median, 3)
        XCTAssertEqual(preprocessing.inputNames, ["x", "x_missing"])
        let encoded = try preprocessing.encode(raw)
        let deviation = 6.6875.squareRoot()
        let expected: [Double] = [(1 - 3.75) / deviation, 0, (3 - 3.75) / deviation, 0, (3 - 3.75) / deviation, 1,
                                  (8 - 3.75) / deviation, 0, (100 - 3.75) / deviation, 0, (3 - 3.75) / deviation, 1]
        for (actual, wanted) in zip(encoded.features, expected) { XCTAssertEqual(Double(actual), wanted, accuracy: 1e-5) }
        XCTAssertEqual(encoded.rowsKept, [0, 1, 2, 3, 4, 5])
    }

    /// What pandas and spreadsheets write for a missing cell is missing by default (a numeric column stays numeric, with
    /// its indicator); `none` is not (a real level in public tables), so a column holding it is categorical.
    func testSpreadsheetAndPandasMissingMarkersAreMissingButNoneIsALevel() throws {
        let raw = try table("x,c,y\n1,none,a\nN/A,some,b\n#N/A,none,a\n8,some,b\n<NA>,none,a\n5, n/a ,b\n-1.#IND,some,a\n2,#NA,b\n")
        let options = TabularOptions(target: "y")
        let profile = try TabularProfile(table: raw, options: options)
        XCTAssertEqual(profile.columns[0].role, .numeric)
        XCTAssertEqual(profile.columns[0].missing, 4)
        XCTAssertEqual(profile.columns[1].role, .categorical)
        XCTAssertEqual(profile.columns[1].missing, 2)
        let preprocessing = try TabularPreprocessing(fitting: raw, profile: profile, options: options, trainingRows: Array(0..<8))
        // Median of 1, 8, 5, 2 = 3.5 fills the four missing cells.
        XCTAssertEqual(preprocessing.columns[0].median, 3.5)
        XCTAssertTrue(preprocessing.inputNames.contains("x_missing"), "\(preprocessing.inputNames)")
    }

    /// Rare levels share (other), missing has its own level, an unseen value is (unknown): zero one-hot, counted.
    func testCategoriesOtherMissingAndUnknown() throws {
        var text = "c,y\n"
        for _ in 0..<6 { text += "red,a\n" }
        for _ in 0..<5 { text += "blue,b\n" }
        text += "pink,a\nNA,b\n"
        let raw = try table(text)
        let options = TabularOptions(target: "y")
        let profile = try TabularProfile(table: raw, options: options)
        let preprocessing = try TabularPreprocessing(fitting: raw, profile: profile, options: options, trainingRows: Array(0..<raw.count))
        XCTAssertEqual(preprocessing.columns[0].levels, ["(unknown)", "(other)", "(missing)", "blue", "red"])
        XCTAssertEqual(preprocessing.inputNames, ["c=(other)", "c=(missing)", "c=blue", "c=red"])
        let training = try preprocessing.encode(raw, training: true)
        XCTAssertEqual(Array(training.features[(11 * 4)..<(13 * 4)]), [1, 0, 0, 0, 0, 1, 0, 0])   // pink → other, NA → missing
        let later = try table("y,c\na,green\nb,red\nc,NA\n")   // reordered columns, an unseen value and an unseen target
        let encoded = try preprocessing.encode(later)
        XCTAssertEqual(encoded.features, [0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0])
        XCTAssertEqual(encoded.unknownCategories, ["c": 1])
        XCTAssertTrue(encoded.skipped.isEmpty)
    }

    /// Above 10 levels a column is embedded with fastai's size rule; a malformed numeric cell at prediction skips the row.
    func testEmbeddingSizeRuleAndSkippedRows() {
        XCTAssertEqual(ColumnEncoding.embeddingSize(levels: 11), 6)     // 1.6 × 11^0.56 = 6.13
        XCTAssertEqual(ColumnEncoding.embeddingSize(levels: 100), 21)   // 1.6 × 13.18 = 21.1
        XCTAssertEqual(ColumnEncoding.embeddingSize(levels: 1000), 77)  // 1.6 × 47.86 = 76.6
        XCTAssertEqual(ColumnEncoding.embeddingSize(levels: 10_000_000), 600)
    }

    func testManyLevelsAreEmbeddedAndMalformedRowsSkipped() throws {
        var text = "city,x,y\n"
        for row in 0..<120 { text += "c\(row % 12),\(row),\(row % 2 == 0 ? "a" : "b")\n" }
        let raw = try table(text)
        var options = TabularOptions(target: "y")
        options.numeric = ["x"]
        let loaded = try TabularDataset(table: raw, options: options, validationFraction: 0.2, seed: 0)
        let city = try XCTUnwrap(loaded.preprocessing.columns.first)
        XCTAssertEqual(city.levels?.count, 13)   // (unknown) + 12 cities seen ≥ 5 times
        XCTAssertEqual(city.embeddingDimension, ColumnEncoding.embeddingSize(levels: 13))
        XCTAssertEqual(loaded.preprocessing.inputNames, ["x", "city"])
        XCTAssertEqual(loaded.dataset.featureCount, 2)
        let later = try table("x,city\n5,c3\n12abc,c4\n7,c99\n", file: "later.csv")
        let encoded = try loaded.preprocessing.encode(later)
        XCTAssertEqual(encoded.rowsKept, [0, 2])
        XCTAssertEqual(encoded.skipped.first?.description.contains("later.csv: line 3, column 1"), true, "\(encoded.skipped)")
        XCTAssertEqual(encoded.features[3], 0)   // c99: unknown, code 0
        XCTAssertEqual(encoded.features[1], 6)   // c3: levels (unknown), c0, c1, c10, c11, c2, c3, … (sorted as text): code 6
    }

    /// 1,000 levels kept (--min-category-count 1): 1,002 × 77 = 77,154 parameters, over a limit of 50,000 (the
    /// default, 50 million, refuses 100,000 levels: 100,002 × 600).
    func testAnEmbeddingTooLargeIsRefusedWithItsSize() throws {
        var rows = (0..<2_000).map { ["k\($0 % 1_000)", $0 % 2 == 0 ? "a" : "b"] }   // each key twice: not a key column
        rows.append(["NA", "a"])
        let raw = RawTable(file: "big.csv", header: ["key", "y"], rows: rows, lines: Array(2..<(rows.count + 2)))
        var options = TabularOptions(target: "y")
        options.minimumCategoryCount = 1
        options.embeddingParameterLimit = 50_000
        let profile = try TabularProfile(table: raw, options: options)
        XCTAssertEqual(profile.columns[0].role, .categorical)
        assertDataError(try TabularPreprocessing(fitting: raw, profile: profile, options: options, trainingRows: Array(0..<raw.count)),
                        contains: ["\"key\"", "1001 categories", "1002 × 77 = 77154 parameters", "--ignore key", "--min-category-count"])
    }

    func testMissingTargetRowsAreDroppedAndBadTargetsRefused() throws {
        let raw = try table("x,y\n1,a\n4,NA\n2,b\n9,\n5,a\n7,b\n")
        let loaded = try TabularDataset(table: raw, options: TabularOptions(target: "y"), validationFraction: 0.25, seed: 0)
        XCTAssertEqual(loaded.droppedRows, 2)
        XCTAssertEqual(loaded.dataset.count, 4)
        assertDataError(try TabularDataset(table: try table("x,y\n1,NA\n2,\n"), options: TabularOptions(target: "y"),
                                           validationFraction: 0.5, seed: 0), contains: ["\"y\"", "no values"])
        assertDataError(try TabularDataset(table: try table("x,y\n1,a\n2,a\n"), options: TabularOptions(target: "y"),
                                           validationFraction: 0.5, seed: 0), contains: ["single class"])
        assertDataError(try TabularProfile(table: try table("x,y\n1,a\n"), options: TabularOptions(target: "z")),
                        contains: ["unknown target column \"z\""])
        // A file of ';' with a row of commas: a file mixing delimiters, named (a file of ';' throughout reads: RawTableFormatsTests).
        assertDataError(try table("a;b;y\n1;2;3\n1,2,3\n"), contains: ["line 3", "separated by commas, the header by ';'"])
    }

    /// A regression target is standardised with the training part's statistics (log first when asked) and maps back.
    func testRegressionTargetIsStandardisedAndMapsBack() throws {
        let raw = try table("x,price\n2,10\n3,100\n5,1000\n7,10000\n11,100000\n")
        var options = TabularOptions(target: "price")
        options.targetTransform = .log
        let loaded = try TabularDataset(table: raw, options: options, validationFraction: 0.2, seed: 0)
        let target = loaded.preprocessing.target
        let standardized = try XCTUnwrap(loaded.dataset.targets.tensor.scalars)
        for (row, value) in standardized.enumerated() {
            XCTAssertEqual(Double(target.original(value)), pow(10, Double(row + 1)), accuracy: pow(10, Double(row + 1)) * 1e-4)
        }
        let negative = try table("x,price\n1,10\n2,-1\n4,5\n")
        assertDataError(try TabularDataset(table: negative, options: options, validationFraction: 0.34, seed: 0),
                        contains: ["line 3", "not positive", "--target-transform log"])
    }

    func testTheBundledPenguinsFileNeedsNoFlags() throws {
        let path = "/work/shared/data/penguins.csv"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: path), "penguins.csv is not on this machine")
        let loaded = try TabularDataset(path: path, options: TabularOptions(target: "species"), validationFraction: 0.2, seed: 0)
        XCTAssertEqual(loaded.profile.ignoredColumns, ["rownames"])
        XCTAssertEqual(loaded.dataset.count, 344)
        XCTAssertEqual(loaded.dataset.targets.classNames, ["Adelie", "Chinstrap", "Gentoo"])
        // island one-hot (3), four measurements with indicators (8), sex one-hot with (missing) (3), year (1).
        XCTAssertEqual(loaded.preprocessing.inputWidth, 15)
    }
}

/// `Dataset.folds`: every row in exactly one fold, each class spread evenly (stratified), sizes within one.
final class DatasetFoldTests: XCTestCase {
    func testStratifiedFoldsPartitionTheRows() throws {
        // 10 of class 0, 5 of class 1: 5 folds of 2 + 1.
        let labels = Array(repeating: 0, count: 10) + Array(repeating: 1, count: 5)
        let data = try Dataset(features: try Tensor(shape: [15, 1], scalars: (0..<15).map(Float.init)),
                               targets: .classes(labels, names: ["a", "b"]))
        let folds = try data.folds(5, seed: 3)
        XCTAssertEqual(folds.flatMap { $0 }.sorted(), Array(0..<15))
        for fold in folds {
            XCTAssertEqual(fold.filter { labels[$0] == 0 }.count, 2)
            XCTAssertEqual(fold.filter { labels[$0] == 1 }.count, 1)
        }
        let split = data.split(fold: 2, of: folds)
        XCTAssertEqual(split.validationIndices, folds[2])
        XCTAssertEqual(Set(split.trainIndices).union(split.validationIndices), Set(0..<15))
        XCTAssertTrue(Set(split.trainIndices).isDisjoint(with: split.validationIndices))
        assertDataError(try data.folds(1, seed: 0), contains: ["folds", "from 2"])
        assertDataError(try data.folds(16, seed: 0), contains: ["folds"])
    }
}
